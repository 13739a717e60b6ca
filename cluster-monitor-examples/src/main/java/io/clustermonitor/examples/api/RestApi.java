package io.clustermonitor.examples.api;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.clustermonitor.core.DockerMonitor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The read-only REST proxy over a {@link DockerMonitor}, as JDK {@link HttpHandler}s that can be
 * mounted on any {@link HttpServer} (next to {@code /metrics}) or started on their own.
 *
 * <pre>{@code
 * RestApi api = RestApi.builder(monitor).bearerToken("s3cret").build();
 * try (RestApiServer server = api.start(new InetSocketAddress("127.0.0.1", 3001))) {
 *   // GET http://127.0.0.1:3001/api/containers
 * }
 * }</pre>
 *
 * <p>Endpoints (all {@code GET}/{@code HEAD}, JSON): {@code /health}, {@code /api/containers},
 * {@code /api/containers/{id}}, {@code /api/containers/{id}/stats}, {@code /api/system/info},
 * {@code /api/stats/aggregate}, {@code /api/sd}; see {@code docs/api.md}. The handlers only ever
 * read: they hold a view of the monitor with nothing but read methods.
 *
 * <p>Thread-safe; one instance can serve any number of servers. It does not own the monitor.
 */
public final class RestApi {
  /** Paths of every endpoint, as documented ({@code {id}} is a placeholder). */
  public static final List<String> PATHS = ApiRoutes.PATHS;

  private final ApiHandler handler;
  private final int maxThreads;

  private RestApi(Builder b) {
    // A few threads beyond the cap, so requests over it get a quick 503 instead of queueing.
    this.maxThreads = b.maxConcurrentRequests + 4;
    ApiRoutes routes = new ApiRoutes(new ReadOnlyDocker(b.monitor), b.clock);
    this.handler =
        new ApiHandler(
            routes,
            b.token,
            b.healthOpen,
            b.corsOrigins,
            b.maxConcurrentRequests,
            b.maxUriLength,
            b.maxBodyBytes);
  }

  /** Starts a builder over {@code monitor} (which the API does not close). */
  public static Builder builder(DockerMonitor monitor) {
    return new Builder(monitor);
  }

  /** One handler answering every path: API endpoints, JSON 404 for the rest. */
  public HttpHandler handler() {
    return handler;
  }

  /**
   * The contexts to create on a shared server: {@code /health} and {@code /api/}, each mapped to
   * {@link #handler()}.
   */
  public Map<String, HttpHandler> contexts() {
    return Map.of(ApiRoutes.HEALTH, handler, "/api/", handler);
  }

  /**
   * Creates {@link #contexts()} on {@code server}.
   *
   * @throws IllegalArgumentException when the server already has one of those contexts
   */
  public void mountOn(HttpServer server) {
    contexts().forEach(server::createContext);
  }

  /**
   * Starts a dedicated server on {@code address} answering every path with {@link #handler()}.
   *
   * @throws IOException when the address cannot be bound
   */
  public RestApiServer start(InetSocketAddress address) throws IOException {
    return RestApiServer.start(handler, address, maxThreads);
  }

  /** Builder for {@link RestApi}; not thread-safe. */
  public static final class Builder {
    private final DockerMonitor monitor;
    private String token;
    private boolean healthOpen = true;
    private final Set<String> corsOrigins = new LinkedHashSet<>();
    private int maxConcurrentRequests = 128;
    private int maxUriLength = 2048;
    private int maxBodyBytes = 1024;
    private Clock clock = Clock.systemUTC();

    private Builder(DockerMonitor monitor) {
      this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    /**
     * Requires {@code Authorization: Bearer <token>} on every request (compared in constant time).
     *
     * @throws IllegalArgumentException when the token is blank
     */
    public Builder bearerToken(String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("bearer token must not be blank");
      }
      this.token = token.trim();
      return this;
    }

    /** Whether {@code /health} answers without the token (default true). */
    public Builder healthOpen(boolean open) {
      this.healthOpen = open;
      return this;
    }

    /**
     * Allows cross-origin reads from these origins ({@code https://host[:port]}, or {@code *}).
     * Without any, no CORS header is ever sent.
     *
     * @throws IllegalArgumentException for an origin that is not {@code *} or {@code scheme://host}
     */
    public Builder corsOrigins(List<String> origins) {
      for (String o : origins) {
        String t = o == null ? "" : o.trim();
        if (!t.equals("*") && !t.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+")) {
          throw new IllegalArgumentException(
              "CORS origin must be * or scheme://host[:port], got '" + o + "'");
        }
        corsOrigins.add(t);
      }
      return this;
    }

    /**
     * Requests handled at once (default 128); more get 503 with {@code Retry-After}.
     *
     * @throws IllegalArgumentException unless 1-10000
     */
    public Builder maxConcurrentRequests(int max) {
      this.maxConcurrentRequests = range(max, 1, 10_000, "maxConcurrentRequests");
      return this;
    }

    /** Longest accepted path plus query (default 2048); longer gets 414. */
    public Builder maxUriLength(int max) {
      this.maxUriLength = range(max, 64, 65_536, "maxUriLength");
      return this;
    }

    /** Largest accepted request body (default 1024 bytes); larger gets 413. */
    public Builder maxBodyBytes(int max) {
      this.maxBodyBytes = range(max, 0, 1 << 20, "maxBodyBytes");
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    private static int range(int v, int min, int max, String what) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            what + " must be between " + min + " and " + max + ", got " + v);
      }
      return v;
    }

    /** Builds the API. */
    public RestApi build() {
      return new RestApi(this);
    }
  }
}
