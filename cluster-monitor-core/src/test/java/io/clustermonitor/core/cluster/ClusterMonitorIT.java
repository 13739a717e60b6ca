package io.clustermonitor.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.livetest.DockerCli;
import io.clustermonitor.core.livetest.SecondDockerd;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.SystemInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real engines over a unix socket and over tcp, next to a tcp engine that is down. */
class ClusterMonitorIT {
  private static DockerCli docker;

  @BeforeAll
  static void check() {
    docker = new DockerCli(ClusterMonitorIT.class);
    assumeTrue(docker.engineAvailable(), "no Docker engine at " + DockerCli.DOCKER_HOST);
  }

  @AfterAll
  static void cleanUp() {
    if (docker != null) {
      docker.close();
    }
  }

  /** A loopback port nobody listens on. */
  private static int deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aHostThatIsDownIsReportedWithoutFailingTheLiveOneAndResultsCarryTheirHost()
      throws IOException {
    String id = docker.run("IMAGE", "sleep", "600");
    DockerEndpoint live = DockerEndpoint.builder(DockerCli.DOCKER_HOST).name("live").build();
    DockerEndpoint dead =
        DockerEndpoint.builder("tcp://127.0.0.1:" + deadPort())
            .name("dead")
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    try (ClusterMonitor cluster =
        ClusterMonitor.builder().add(live).add(dead).hostTimeout(Duration.ofSeconds(10)).build()) {
      ClusterResult<List<ContainerSummary>> running = cluster.containers(ContainerFilter.RUNNING);

      assertThat(running.values()).containsOnlyKeys("live");
      assertThat(running.values().get("live"))
          .anySatisfy(
              c -> {
                assertThat(c.id()).isEqualTo(id);
                assertThat(c.host()).isEqualTo("live");
              });
      assertThat(running.failures()).containsOnlyKeys("dead");
      assertThat(running.failures().get("dead")).isNotBlank();

      ClusterResult<SystemInfo> info = cluster.systemInfo();
      assertThat(info.host("live").value().host()).isEqualTo("live");
      assertThat(info.host("dead").ok()).isFalse();
    }
  }

  @Test
  void aUnixAndATcpEngineAreQueriedTogetherAndEachResultCarriesItsHost() throws Exception {
    String local = docker.run("IMAGE", "sleep", "600");
    try (SecondDockerd remote = new SecondDockerd(deadPort())) {
      remote.start();
      remote.importTestImage();
      DockerCli remoteCli = new DockerCli(remote.host(), ClusterMonitorIT.class);
      try {
        String far = remoteCli.run("IMAGE", "sleep", "600");
        DockerEndpoint unix = DockerEndpoint.builder(DockerCli.DOCKER_HOST).name("unix").build();
        DockerEndpoint tcp = DockerEndpoint.builder(remote.tcpHost()).name("tcp").build();
        try (ClusterMonitor cluster =
            ClusterMonitor.builder()
                .add(unix)
                .add(tcp)
                .hostTimeout(Duration.ofSeconds(20))
                .build()) {
          ClusterResult<List<ContainerSummary>> running =
              cluster.containers(ContainerFilter.RUNNING);

          assertThat(running.failures()).isEmpty();
          assertThat(running.values().get("unix"))
              .anySatisfy(c -> assertThat(c.id()).isEqualTo(local))
              .allSatisfy(c -> assertThat(c.host()).isEqualTo("unix"))
              .noneSatisfy(c -> assertThat(c.id()).isEqualTo(far));
          assertThat(running.values().get("tcp"))
              .singleElement()
              .satisfies(
                  c -> {
                    assertThat(c.id()).isEqualTo(far);
                    assertThat(c.host()).isEqualTo("tcp");
                  });
          assertThat(cluster.systemInfo().host("tcp").value().host()).isEqualTo("tcp");
        }
      } finally {
        remoteCli.close();
      }
    }
  }
}
