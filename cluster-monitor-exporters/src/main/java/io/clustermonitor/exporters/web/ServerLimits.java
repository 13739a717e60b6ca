package io.clustermonitor.exporters.web;

import io.clustermonitor.core.GoDuration;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The limits a {@link WebServer} enforces on every connection and request. Each has a default, a
 * builder setter and an environment variable read by {@link #fromEnvironment(Map)}.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>default</th><th>variable</th><th>past it</th></tr>
 *   <tr><td>header read timeout</td><td>10 s</td><td>{@code CM_WEB_HEADER_TIMEOUT}</td>
 *       <td>connection closed</td></tr>
 *   <tr><td>idle timeout</td><td>30 s</td><td>{@code CM_WEB_IDLE_TIMEOUT}</td>
 *       <td>connection closed</td></tr>
 *   <tr><td>request time limit</td><td>30 s</td><td>{@code CM_WEB_REQUEST_TIMEOUT}</td>
 *       <td>503</td></tr>
 *   <tr><td>max concurrent requests</td><td>128</td><td>{@code CM_WEB_MAX_CONCURRENT}</td>
 *       <td>503 with {@code Retry-After}</td></tr>
 *   <tr><td>max connections</td><td>1024</td><td>{@code CM_WEB_MAX_CONNECTIONS}</td>
 *       <td>not accepted until one closes</td></tr>
 *   <tr><td>max header size</td><td>8192 bytes</td><td>{@code CM_WEB_MAX_HEADER_BYTES}</td>
 *       <td>431 (414 for the request line)</td></tr>
 *   <tr><td>max body size</td><td>1024 bytes</td><td>{@code CM_WEB_MAX_BODY_BYTES}</td>
 *       <td>413; any body on GET/HEAD is 400</td></tr>
 * </table>
 */
public final class ServerLimits {
  /** Variable for {@link Builder#headerReadTimeout}. */
  public static final String ENV_HEADER_TIMEOUT = "CM_WEB_HEADER_TIMEOUT";

  /** Variable for {@link Builder#idleTimeout}. */
  public static final String ENV_IDLE_TIMEOUT = "CM_WEB_IDLE_TIMEOUT";

  /** Variable for {@link Builder#requestTimeout}. */
  public static final String ENV_REQUEST_TIMEOUT = "CM_WEB_REQUEST_TIMEOUT";

  /** Variable for {@link Builder#maxConcurrentRequests}. */
  public static final String ENV_MAX_CONCURRENT = "CM_WEB_MAX_CONCURRENT";

  /** Variable for {@link Builder#maxConnections}. */
  public static final String ENV_MAX_CONNECTIONS = "CM_WEB_MAX_CONNECTIONS";

  /** Variable for {@link Builder#maxHeaderBytes}. */
  public static final String ENV_MAX_HEADER_BYTES = "CM_WEB_MAX_HEADER_BYTES";

  /** Variable for {@link Builder#maxBodyBytes}. */
  public static final String ENV_MAX_BODY_BYTES = "CM_WEB_MAX_BODY_BYTES";

  private static final ServerLimits DEFAULTS = new Builder().build();

  private final Duration headerReadTimeout;
  private final Duration idleTimeout;
  private final Duration requestTimeout;
  private final int maxConcurrentRequests;
  private final int maxConnections;
  private final int maxHeaderBytes;
  private final int maxBodyBytes;

  private ServerLimits(Builder b) {
    this.headerReadTimeout = b.headerReadTimeout;
    this.idleTimeout = b.idleTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxConcurrentRequests = b.maxConcurrentRequests;
    this.maxConnections = b.maxConnections;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.maxBodyBytes = b.maxBodyBytes;
  }

  /** The defaults. */
  public static ServerLimits defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    return new Builder()
        .headerReadTimeout(headerReadTimeout)
        .idleTimeout(idleTimeout)
        .requestTimeout(requestTimeout)
        .maxConcurrentRequests(maxConcurrentRequests)
        .maxConnections(maxConnections)
        .maxHeaderBytes(maxHeaderBytes)
        .maxBodyBytes(maxBodyBytes);
  }

  /**
   * The defaults overridden by the {@code CM_WEB_*} variables that are set (durations like {@code
   * 10s}, {@code 500ms}, {@code 1m} or {@code PT10S}).
   *
   * @throws IllegalArgumentException naming the variable when a value is malformed or out of range
   */
  public static ServerLimits fromEnvironment(Map<String, String> env) {
    return applyEnvironment(builder(), env).build();
  }

  /** Sets on {@code b} the limits whose variables are set in {@code env}. */
  public static Builder applyEnvironment(Builder b, Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String v;
    if ((v = value(env, ENV_HEADER_TIMEOUT)) != null) {
      b.headerReadTimeout(duration(ENV_HEADER_TIMEOUT, v));
    }
    if ((v = value(env, ENV_IDLE_TIMEOUT)) != null) {
      b.idleTimeout(duration(ENV_IDLE_TIMEOUT, v));
    }
    if ((v = value(env, ENV_REQUEST_TIMEOUT)) != null) {
      b.requestTimeout(duration(ENV_REQUEST_TIMEOUT, v));
    }
    if ((v = value(env, ENV_MAX_CONCURRENT)) != null) {
      b.maxConcurrentRequests(integer(ENV_MAX_CONCURRENT, v));
    }
    if ((v = value(env, ENV_MAX_CONNECTIONS)) != null) {
      b.maxConnections(integer(ENV_MAX_CONNECTIONS, v));
    }
    if ((v = value(env, ENV_MAX_HEADER_BYTES)) != null) {
      b.maxHeaderBytes(integer(ENV_MAX_HEADER_BYTES, v));
    }
    if ((v = value(env, ENV_MAX_BODY_BYTES)) != null) {
      b.maxBodyBytes(integer(ENV_MAX_BODY_BYTES, v));
    }
    return b;
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static int integer(String name, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
    }
  }

  /**
   * Parses a Go duration ({@code 10s}, {@code 1500ms}, {@code 1m30s}; see {@link GoDuration}) or an
   * ISO-8601 one ({@code PT10S}).
   *
   * @throws IllegalArgumentException naming {@code what} when malformed or not positive
   */
  public static Duration duration(String what, String text) {
    Duration d =
        GoDuration.tryParseOrIso(text)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        what + " must be a duration like 10s, 500ms or PT10S, got '" + text + "'"));
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got '" + text + "'");
    }
    return d;
  }

  /** How long a client may take to send a request's headers. */
  public Duration headerReadTimeout() {
    return headerReadTimeout;
  }

  /** How long a connection may stay silent. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** How long a request may take before the server answers 503 for it. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Requests handled at once; more get 503 with {@code Retry-After}. */
  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  /** Connections open at once; more wait in the accept queue. */
  public int maxConnections() {
    return maxConnections;
  }

  /** Largest request line plus headers, in bytes. */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /** Largest request body, in bytes (GET and HEAD take none). */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  @Override
  public String toString() {
    return "ServerLimits[headerReadTimeout="
        + headerReadTimeout
        + ", idleTimeout="
        + idleTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", maxConcurrentRequests="
        + maxConcurrentRequests
        + ", maxConnections="
        + maxConnections
        + ", maxHeaderBytes="
        + maxHeaderBytes
        + ", maxBodyBytes="
        + maxBodyBytes
        + "]";
  }

  /** Builder for {@link ServerLimits}; every setter validates its range. Not thread-safe. */
  public static final class Builder {
    private Duration headerReadTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxConcurrentRequests = 128;
    private int maxConnections = 1024;
    private int maxHeaderBytes = 8192;
    private int maxBodyBytes = 1024;

    private Builder() {}

    /** How long a client may take to send a request's headers (default 10 s). */
    public Builder headerReadTimeout(Duration d) {
      this.headerReadTimeout = positive(d, "headerReadTimeout");
      return this;
    }

    /** How long a connection may stay silent (default 30 s). */
    public Builder idleTimeout(Duration d) {
      this.idleTimeout = positive(d, "idleTimeout");
      return this;
    }

    /** How long a request may take before the server answers 503 (default 30 s). */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = positive(d, "requestTimeout");
      return this;
    }

    /** Requests handled at once (default 128, 1-10000). */
    public Builder maxConcurrentRequests(int n) {
      this.maxConcurrentRequests = range(n, 1, 10_000, "maxConcurrentRequests");
      return this;
    }

    /** Connections open at once (default 1024, 1-100000). */
    public Builder maxConnections(int n) {
      this.maxConnections = range(n, 1, 100_000, "maxConnections");
      return this;
    }

    /** Largest request line plus headers (default 8192 bytes, 1024-1048576). */
    public Builder maxHeaderBytes(int n) {
      this.maxHeaderBytes = range(n, 1024, 1 << 20, "maxHeaderBytes");
      return this;
    }

    /** Largest request body (default 1024 bytes, 0-1048576). */
    public Builder maxBodyBytes(int n) {
      this.maxBodyBytes = range(n, 0, 1 << 20, "maxBodyBytes");
      return this;
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }

    private static int range(int v, int min, int max, String what) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            what + " must be between " + min + " and " + max + ", got " + v);
      }
      return v;
    }

    /** The limits. */
    public ServerLimits build() {
      return new ServerLimits(this);
    }
  }
}
