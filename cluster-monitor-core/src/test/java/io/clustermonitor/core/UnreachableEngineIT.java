package io.clustermonitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An engine that is not there fails fast with {@link EngineUnavailableException}. */
class UnreachableEngineIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aClosedTcpPortIsUnavailableWithinTheTimeout() throws IOException {
    String host = "tcp://127.0.0.1:" + closedPort();
    DockerEndpoint endpoint =
        DockerEndpoint.fromEnvironment(Map.of("DOCKER_HOST", host))
            .newBuilder()
            .connectTimeout(TIMEOUT)
            .readTimeout(TIMEOUT)
            .build();

    long start = System.nanoTime();
    try (DockerMonitor docker = DockerMonitor.connect(endpoint)) {
      assertThatThrownBy(() -> docker.containers(ContainerFilter.ALL))
          .isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining(host)
          .satisfies(e -> assertThat(((EngineUnavailableException) e).endpoint()).contains(host));
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(3));
  }

  @Test
  void aMissingUnixSocketIsUnavailableWithinTheTimeout() throws IOException {
    Path dir = Files.createTempDirectory("cm-no-engine");
    Path socket = dir.resolve("docker.sock");
    DockerEndpoint endpoint =
        DockerEndpoint.unixSocket(socket).newBuilder().connectTimeout(TIMEOUT).build();

    long start = System.nanoTime();
    try (DockerMonitor docker = DockerMonitor.connect(endpoint)) {
      assertThatThrownBy(docker::systemInfo)
          .isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining(socket.toString());
      assertThatThrownBy(() -> docker.stats("abc")).isInstanceOf(EngineUnavailableException.class);
    } finally {
      Files.deleteIfExists(dir);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(3));
  }

  @Test
  void aSnapshotOfAnUnreachableEngineReportsItDownInsteadOfThrowing() throws IOException {
    DockerEndpoint endpoint =
        DockerEndpoint.builder("tcp://127.0.0.1:" + closedPort())
            .connectTimeout(TIMEOUT)
            .readTimeout(TIMEOUT)
            .build();

    try (DockerMonitor docker = DockerMonitor.connect(endpoint)) {
      StatsSnapshot snap = docker.snapshot();

      assertThat(snap.engineUp()).isFalse();
      assertThat(snap.engineError()).contains("127.0.0.1");
      assertThat(snap.containers()).isEmpty();
    }
  }
}
