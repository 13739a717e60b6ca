package io.clustermonitor.examples;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.examples.api.RestApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code api-proxy} and {@code serve}: the engine, the bearer token file, CORS
 * and the concurrency cap. Each has an environment variable; the flag wins.
 */
final class ApiOptions {
  /** Environment variable naming the bearer token file. */
  static final String TOKEN_FILE_ENV = "CLUSTER_MONITOR_TOKEN_FILE";

  @Option(
      names = "--docker-host",
      paramLabel = "URL",
      defaultValue = "${env:DOCKER_HOST}",
      description =
          "Docker engine: unix:///path or tcp://host:port (env: DOCKER_HOST; default"
              + " unix:///var/run/docker.sock). DOCKER_TLS_VERIFY and DOCKER_CERT_PATH apply.")
  String dockerHost;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      defaultValue = "${env:" + TOKEN_FILE_ENV + "}",
      description =
          "File holding a bearer token required on every request except /health (env: "
              + TOKEN_FILE_ENV
              + "). Without it no token is asked for.")
  Path tokenFile;

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

  /** The engine endpoint from {@code --docker-host} or the standard environment variables. */
  DockerEndpoint endpoint() {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (dockerHost != null && !dockerHost.isBlank()) {
      env.put("DOCKER_HOST", dockerHost.trim());
    }
    return DockerEndpoint.fromEnvironment(env);
  }

  /** The token from the file, or {@code null} without one. */
  String token() {
    if (tokenFile == null || tokenFile.toString().isBlank()) {
      return null;
    }
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read the token file " + tokenFile + " (" + TOKEN_FILE_ENV + "): " + e, e);
    }
    if (token.isEmpty()) {
      throw new IllegalArgumentException("The token file " + tokenFile + " is empty");
    }
    return token;
  }

  /** Applies the options to an API builder. */
  RestApi.Builder apply(RestApi.Builder b) {
    String token = token();
    if (token != null) {
      b.bearerToken(token).healthOpen(!healthAuth);
    }
    if (corsOrigins != null) {
      List<String> origins =
          corsOrigins.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
      b.corsOrigins(origins);
    }
    return b.maxConcurrentRequests(maxConcurrent);
  }
}
