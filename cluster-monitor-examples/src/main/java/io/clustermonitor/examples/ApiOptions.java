package io.clustermonitor.examples;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.examples.api.RestApi;
import io.clustermonitor.exporters.web.ServerLimits;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code api-proxy} and {@code serve}: the engine, the bearer token file, CORS,
 * the server limits and the engine bulkhead. Each has an environment variable; the flag wins.
 */
final class ApiOptions {
  @Mixin DockerOptions docker = new DockerOptions();

  @Mixin TokenOptions tokens = new TokenOptions();

  @Option(
      names = "--health-auth",
      defaultValue = "${env:CLUSTER_MONITOR_HEALTH_AUTH:-false}",
      description =
          "Require the token on /health too (env: CLUSTER_MONITOR_HEALTH_AUTH; default false).")
  boolean healthAuth;

  @Option(
      names = "--cors-origin",
      paramLabel = "ORIGIN",
      split = ",",
      defaultValue = "${env:CLUSTER_MONITOR_CORS_ORIGINS}",
      description =
          "Origins allowed to read the API from a browser, comma-separated, or * (env:"
              + " CLUSTER_MONITOR_CORS_ORIGINS). Without any, no CORS headers are sent.")
  List<String> corsOrigins;

  @Option(
      names = "--max-concurrent",
      paramLabel = "N",
      defaultValue = "${env:CLUSTER_MONITOR_MAX_CONCURRENT:-128}",
      description =
          "Requests handled at once; more get 503 with Retry-After (env:"
              + " CLUSTER_MONITOR_MAX_CONCURRENT; default ${DEFAULT-VALUE}).")
  int maxConcurrent;

  @Option(
      names = "--header-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:CLUSTER_MONITOR_HEADER_TIMEOUT:-10s}",
      description =
          "Time a client may take to send its request headers; slower connections are closed"
              + " (env: CLUSTER_MONITOR_HEADER_TIMEOUT; default ${DEFAULT-VALUE}).")
  String headerTimeout;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:CLUSTER_MONITOR_IDLE_TIMEOUT:-30s}",
      description =
          "Time a silent connection stays open (env: CLUSTER_MONITOR_IDLE_TIMEOUT; default"
              + " ${DEFAULT-VALUE}).")
  String idleTimeout;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:CLUSTER_MONITOR_REQUEST_TIMEOUT:-30s}",
      description =
          "Time limit of one request; past it the client gets 503 (env:"
              + " CLUSTER_MONITOR_REQUEST_TIMEOUT; default ${DEFAULT-VALUE}).")
  String requestTimeout;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "${env:CLUSTER_MONITOR_MAX_CONNECTIONS:-1024}",
      description =
          "Connections open at once; more wait to be accepted (env:"
              + " CLUSTER_MONITOR_MAX_CONNECTIONS; default ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--max-header-bytes",
      paramLabel = "BYTES",
      defaultValue = "${env:CLUSTER_MONITOR_MAX_HEADER_BYTES:-8192}",
      description =
          "Largest request line plus headers; more gets 414/431 (env:"
              + " CLUSTER_MONITOR_MAX_HEADER_BYTES; default ${DEFAULT-VALUE}).")
  int maxHeaderBytes;

  @Option(
      names = "--max-body-bytes",
      paramLabel = "BYTES",
      defaultValue = "${env:CLUSTER_MONITOR_MAX_BODY_BYTES:-1024}",
      description =
          "Largest request body, 413 past it; GET and HEAD take none (env:"
              + " CLUSTER_MONITOR_MAX_BODY_BYTES; default ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(
      names = "--engine-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:CLUSTER_MONITOR_ENGINE_TIMEOUT:-10s}",
      description =
          "Deadline of a request that calls the engine (inspect, system info); past it 504 and"
              + " /health turns unhealthy (env: CLUSTER_MONITOR_ENGINE_TIMEOUT; default"
              + " ${DEFAULT-VALUE}).")
  String engineTimeout;

  @Option(
      names = "--engine-concurrency",
      paramLabel = "N",
      defaultValue = "${env:CLUSTER_MONITOR_ENGINE_CONCURRENCY:-16}",
      description =
          "Engine-bound requests in flight at once; more get 503 (env:"
              + " CLUSTER_MONITOR_ENGINE_CONCURRENCY; default ${DEFAULT-VALUE}).")
  int engineConcurrency;

  @Option(
      names = "--allowed-host",
      paramLabel = "HOST",
      split = ",",
      defaultValue = "${env:CLUSTER_MONITOR_ALLOWED_HOSTS}",
      description =
          "Host header names accepted besides loopback names on a loopback bind (others get 421,"
              + " against DNS rebinding); on other binds the only names accepted besides the"
              + " bound address. Comma-separated (env: CLUSTER_MONITOR_ALLOWED_HOSTS).")
  List<String> allowedHosts;

  DockerEndpoint endpoint() {
    return docker.endpoint();
  }

  String token() {
    return tokens.token();
  }

  /**
   * The server limits from the options.
   *
   * @throws IllegalArgumentException naming the option when a value is malformed or out of range
   */
  ServerLimits limits() {
    return ServerLimits.builder()
        .headerReadTimeout(ServerLimits.duration("--header-timeout", headerTimeout))
        .idleTimeout(ServerLimits.duration("--idle-timeout", idleTimeout))
        .requestTimeout(ServerLimits.duration("--request-timeout", requestTimeout))
        .maxConcurrentRequests(maxConcurrent)
        .maxConnections(maxConnections)
        .maxHeaderBytes(maxHeaderBytes)
        .maxBodyBytes(maxBodyBytes)
        .build();
  }

  /** The Host header allow-list. */
  Set<String> allowedHosts() {
    Set<String> out = new LinkedHashSet<>();
    if (allowedHosts != null) {
      allowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty()).forEach(out::add);
    }
    return out;
  }

  /** Applies the options to an API builder. */
  RestApi.Builder apply(RestApi.Builder b) {
    String token = token();
    if (token != null) {
      b.bearerToken(token).healthOpen(!healthAuth);
    }
    if (corsOrigins != null) {
      b.corsOrigins(corsOrigins.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
    return b.limits(limits())
        .allowedHosts(allowedHosts())
        .engineDeadline(ServerLimits.duration("--engine-timeout", engineTimeout))
        .engineConcurrency(engineConcurrency);
  }
}
