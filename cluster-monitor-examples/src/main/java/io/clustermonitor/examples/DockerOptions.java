package io.clustermonitor.examples;

import io.clustermonitor.core.DockerEndpoint;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --docker-host}: the engine, defaulting to the standard Docker environment variables. */
final class DockerOptions {
  @Option(
      names = "--docker-host",
      paramLabel = "URL",
      defaultValue = "${env:DOCKER_HOST}",
      description =
          "Docker engine: unix:///path or tcp://host:port (env: DOCKER_HOST; default"
              + " unix:///var/run/docker.sock). DOCKER_TLS_VERIFY and DOCKER_CERT_PATH apply.")
  String dockerHost;

  /**
   * The engine endpoint.
   *
   * @throws IllegalArgumentException when the address is malformed
   */
  DockerEndpoint endpoint() {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (dockerHost != null && !dockerHost.isBlank()) {
      env.put("DOCKER_HOST", dockerHost.trim());
    }
    return DockerEndpoint.fromEnvironment(env);
  }
}
