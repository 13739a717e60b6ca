package io.clustermonitor.examples;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.examples.api.RestApi;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code api-proxy} and {@code serve}: the engine, the bearer token file, CORS
 * and the concurrency cap. Each has an environment variable; the flag wins.
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

  DockerEndpoint endpoint() {
    return docker.endpoint();
  }

  String token() {
    return tokens.token();
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
    return b.maxConcurrentRequests(maxConcurrent);
  }
}
