package io.clustermonitor.examples.api;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.examples.web.EventHub;
import io.clustermonitor.examples.web.History;
import io.clustermonitor.examples.web.HostSampler;
import io.clustermonitor.examples.web.WebPages;
import io.clustermonitor.exporters.web.BasicAuthenticator;
import io.clustermonitor.exporters.web.BasicCredentials;
import io.clustermonitor.exporters.web.ServerLimits;
import io.clustermonitor.exporters.web.WebConfig;
import io.clustermonitor.exporters.web.WebHandler;
import io.clustermonitor.exporters.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The read-only REST proxy over a {@link DockerMonitor}, as a {@link WebHandler} that can be
 * mounted on an {@link io.clustermonitor.exporters.ExporterServer} (next to {@code /metrics}),
 * served from any HTTP server through the {@link WebHandler} seam, or started on its own {@link
 * WebServer} (Jetty) with the {@link ServerLimits}.
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
 * <p>Requests that call the engine (inspect, system info, a first stats read) run in a bulkhead of
 * their own with a deadline ({@link Builder#engineDeadline}, {@link Builder#engineConcurrency}):
 * past the deadline they get 504, past the bulkhead's size 503, and {@code /health} reports the
 * engine unhealthy until a call succeeds again. The in-memory endpoints never wait on the engine.
 *
 * <p>Thread-safe; one instance can serve any number of servers. It does not own the monitor; {@link
 * #close()} stops the bulkhead's threads.
 */
public final class RestApi implements AutoCloseable {
  /** Paths of every endpoint, as documented ({@code {id}} is a placeholder). */
  public static final List<String> PATHS = ApiRoutes.PATHS;

  private final ApiHandler handler;
  private final EngineBulkhead bulkhead;
  private final ServerLimits limits;
  private final Set<String> allowedHosts;
  private final LiveView live;
  private final WebPages pages = new WebPages();

  private RestApi(Builder b) {
    ReadOnlyDocker docker = new ReadOnlyDocker(b.monitor);
    History history = new History(b.historyInterval, b.historyRetention, b.historyBudgetBytes);
    EventHub hub =
        new EventHub(
            b.maxStreamClients,
            b.streamHeartbeat,
            Duration.ofHours(1),
            Duration.ofSeconds(30),
            System::nanoTime);
    this.live =
        new LiveView(docker, history, hub, b.procRoot == null ? null : new HostSampler(b.procRoot));
    this.bulkhead = new EngineBulkhead(b.engineConcurrency, b.engineDeadline, b.clock);
    ApiRoutes routes = new ApiRoutes(docker, b.clock, bulkhead, live);
    this.handler = new ApiHandler(routes, b.token, b.healthOpen, b.corsOrigins, b.maxUriLength);
    this.limits =
        b.limits.toBuilder()
            .maxConcurrentRequests(
                b.maxConcurrentRequests == null
                    ? b.limits.maxConcurrentRequests()
                    : b.maxConcurrentRequests)
            .maxBodyBytes(b.maxBodyBytes == null ? b.limits.maxBodyBytes() : b.maxBodyBytes)
            .build();
    this.allowedHosts = Set.copyOf(b.allowedHosts);
    live.start();
  }

  /** Starts a builder over {@code monitor} (which the API does not close). */
  public static Builder builder(DockerMonitor monitor) {
    return new Builder(monitor);
  }

  /** One handler answering every path: API endpoints, JSON 404 for the rest. */
  public WebHandler handler() {
    return handler;
  }

  /**
   * The routes to mount on a shared server (e.g. {@link
   * io.clustermonitor.exporters.ExporterServer.Builder#handler}): {@code /health} and everything
   * below {@code /api/}, each mapped to {@link #handler()}.
   */
  public Map<String, WebHandler> contexts() {
    return Map.of(ApiRoutes.HEALTH, handler, "/api/", handler);
  }

  /**
   * The web view's pages and assets ({@code /}, {@code /containers/}, {@code /static/}), to mount
   * next to {@link #contexts()}. They hold no data and need no token (their scripts ask for it and
   * send it to the API); mount them without the bearer check (e.g. {@link
   * io.clustermonitor.exporters.ExporterServer.Builder#publicHandler}).
   */
  public Map<String, WebHandler> pages() {
    Map<String, WebHandler> m = new LinkedHashMap<>();
    for (String p : WebPages.PATHS) {
      m.put(p, pages);
    }
    return m;
  }

  /** Bytes the retained history holds now, and its budget: {@code [used, budget]}. */
  public long[] historyMemory() {
    return new long[] {live.history().bytesUsed(), live.history().budgetBytes()};
  }

  /** Open {@code /api/stream} clients. */
  public int streamClients() {
    return live.hub().clients();
  }

  /** The server limits this API was built with (the concurrency cap and body size included). */
  public ServerLimits limits() {
    return limits;
  }

  /** The JSON error body the API uses, for a server that serves it (status, safe message). */
  public static WebServer.ErrorBodies errorBodies() {
    return ApiHandler::serverError;
  }

  /**
   * Starts a dedicated server on {@code address} answering every path with {@link #handler()}, with
   * this API's limits and JSON error bodies.
   *
   * @throws IOException when the address cannot be bound
   */
  public RestApiServer start(InetSocketAddress address) throws IOException {
    return start(address, null);
  }

  /**
   * Starts a dedicated server as {@link #start(InetSocketAddress)} does, with the TLS, basic auth
   * users and response headers of an exporter-toolkit web config file ({@code --web.config.file};
   * {@code null} for none). The users guard every path but {@code /health}, the web view's pages
   * included (401 with {@code WWW-Authenticate: Basic}); they and the certificate reload as the
   * file changes. Do not combine users with {@link Builder#bearerToken}.
   *
   * @throws IOException when the address cannot be bound
   */
  public RestApiServer start(InetSocketAddress address, WebConfig web) throws IOException {
    WebHandler all = r -> isPage(r.path()) ? pages.handle(r) : handler.handle(r);
    WebServer.Builder b =
        WebServer.builder()
            .listen(address.getHostString(), address.getPort())
            .limits(limits)
            .errorBodies(errorBodies())
            .allowedHosts(allowedHosts)
            .name("cm-api");
    if (web != null) {
      web.tls().ifPresent(b::tls);
      if (!web.headers().isEmpty()) {
        b.responseHeaders(web.headers());
      }
      if (web.basicAuth().isPresent()) {
        all = basic(all, web.basicAuth().get());
      }
    }
    try {
      return new RestApiServer(b.handler(all).start(), address.getHostString());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Requires basic credentials {@code users} accepts on every path but {@code /health}. */
  private static WebHandler basic(WebHandler inner, BasicAuthenticator users) {
    return r -> {
      if (r.path().equals(ApiRoutes.HEALTH)
          || BasicCredentials.verify(r.header("Authorization"), users)) {
        return inner.handle(r);
      }
      return ApiHandler.serverError(401, "Valid basic credentials are required")
          .withHeader("WWW-Authenticate", "Basic realm=\"cluster-monitor\"");
    };
  }

  private static boolean isPage(String path) {
    return path.equals("/") || path.startsWith("/containers/") || path.startsWith("/static/");
  }

  /** Stops the web view's sampling thread, its streams and the engine bulkhead's threads. */
  @Override
  public void close() {
    live.close();
    bulkhead.close();
  }

  /** Builder for {@link RestApi}; not thread-safe. */
  public static final class Builder {
    private final DockerMonitor monitor;
    private String token;
    private boolean healthOpen = true;
    private final Set<String> corsOrigins = new LinkedHashSet<>();
    private Integer maxConcurrentRequests;
    private int maxUriLength = 2048;
    private Integer maxBodyBytes;
    private ServerLimits limits = ServerLimits.defaults();
    private final Set<String> allowedHosts = new LinkedHashSet<>();
    private Duration engineDeadline = Duration.ofSeconds(10);
    private int engineConcurrency = 16;
    private Clock clock = Clock.systemUTC();
    private Duration historyInterval = Duration.ofSeconds(1);
    private Duration historyRetention = Duration.ofMinutes(15);
    private long historyBudgetBytes = 16L << 20;
    private int maxStreamClients = 64;
    private Duration streamHeartbeat = Duration.ofSeconds(15);
    private java.nio.file.Path procRoot = java.nio.file.Path.of("/proc");

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
     * The server limits of {@link #start} (default {@link ServerLimits#defaults()}); {@link
     * #maxConcurrentRequests} and {@link #maxBodyBytes} override theirs.
     */
    public Builder limits(ServerLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Host names a {@code Host} header may carry besides loopback names on a loopback bind (421
     * otherwise, against DNS rebinding); on other binds, when non-empty, the only ones accepted.
     */
    public Builder allowedHosts(Set<String> hosts) {
      hosts.forEach(h -> allowedHosts.add(Objects.requireNonNull(h, "host")));
      return this;
    }

    /**
     * How long a request waits for an engine call (default 10 s); past it, 504.
     *
     * @throws IllegalArgumentException unless between 100 ms and 10 minutes
     */
    public Builder engineDeadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline");
      if (deadline.toMillis() < 100 || deadline.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "engineDeadline must be between 100 ms and 10 minutes, got " + deadline);
      }
      this.engineDeadline = deadline;
      return this;
    }

    /**
     * Engine calls in flight at once (default 16); more get 503 at once.
     *
     * @throws IllegalArgumentException unless 1-1000
     */
    public Builder engineConcurrency(int n) {
      this.engineConcurrency = range(n, 1, 1000, "engineConcurrency");
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

    /**
     * Largest accepted request body (default 1024 bytes); larger gets 413. GET and HEAD take none
     * at all (400).
     */
    public Builder maxBodyBytes(int max) {
      this.maxBodyBytes = range(max, 0, 1 << 20, "maxBodyBytes");
      return this;
    }

    /**
     * The web view's retained history: samples read every {@code interval} (default 1 s, the stats
     * engine's default sampling interval) kept for {@code retention} (default 15 minutes) within
     * {@code budgetBytes} (default 16 MiB; {@link History#BYTES_PER_SAMPLE} bytes per sample).
     *
     * @throws IllegalArgumentException for values {@link History} rejects
     */
    public Builder history(Duration interval, Duration retention, long budgetBytes) {
      new History(interval, retention, budgetBytes); // validates
      this.historyInterval = interval;
      this.historyRetention = retention;
      this.historyBudgetBytes = budgetBytes;
      return this;
    }

    /**
     * Open {@code /api/stream} clients at most (default 64; more get 503) and the heartbeat sent on
     * an otherwise quiet stream (default 15 s, below the idle timeout).
     *
     * @throws IllegalArgumentException for a cap outside 1-10000 or a heartbeat outside 100 ms-1 h
     */
    public Builder streams(int maxClients, Duration heartbeat) {
      this.maxStreamClients = range(maxClients, 1, 10_000, "maxStreamClients");
      if (heartbeat.toMillis() < 100 || heartbeat.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "stream heartbeat must be between 100 ms and 1 hour, got " + heartbeat);
      }
      this.streamHeartbeat = heartbeat;
      return this;
    }

    /** The procfs root the web view reads host CPU and memory from (default /proc; null: none). */
    public Builder procRoot(java.nio.file.Path root) {
      this.procRoot = root;
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
