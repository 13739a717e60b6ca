package io.clustermonitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.core.livetest.DockerCli;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.stats.StatsSnapshot;
import io.clustermonitor.core.stats.StatsSourceChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A monitor configured from code only, against the real engine. */
class BuilderConfiguredMonitorIT {

  @Test
  void theForcedEngineApiSourceWithACustomCgroupRootServesSnapshots(@TempDir Path emptyCgroup)
      throws Exception {
    Files.createDirectories(emptyCgroup.resolve("cpu"));
    try (DockerCli cli = new DockerCli(BuilderConfiguredMonitorIT.class);
        DockerMonitor docker =
            DockerMonitor.builder(DockerEndpoint.builder(DockerCli.DOCKER_HOST).build())
                .statsSource(StatsSourceChoice.ENGINE_API)
                .cgroupRoot(emptyCgroup) // a tree with no container: only the Engine API can serve
                .samplingInterval(Duration.ofMillis(500))
                .readTimeout(Duration.ofSeconds(20))
                .build()) {
      assumeTrue(cli.engineAvailable(), "no Docker engine at " + DockerCli.DOCKER_HOST);
      String name = "cm-" + cli.runId().toLowerCase(java.util.Locale.ROOT) + "-built";
      String id = cli.run("--name", name, "IMAGE", "sh", "-c", "yes >/dev/null").strip();

      StatsSnapshot first = docker.snapshot();
      assertThat(first.statsSource()).isEqualTo("engine-api");
      assertThat(docker.systemInfo().statsSource()).isEqualTo("engine-api");

      // the stream delivers about one frame per second: two samples give a CPU value
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                ContainerStats s = docker.snapshot().stats().get(id);
                assertThat(s).as("stats of " + name).isNotNull();
                assertThat(s.hasCpuPercent()).isTrue();
                assertThat(s.cpuPercent()).isGreaterThan(1.0);
              });
    }
  }

  @Test
  void anUnknownContainerIsNotFoundNamingWhatWasAsked() {
    try (DockerMonitor docker =
        DockerMonitor.builder(DockerEndpoint.builder(DockerCli.DOCKER_HOST).build()).build()) {
      String asked = "cm-no-such-container-" + System.nanoTime();
      assertThatThrownBy(() -> docker.container(asked))
          .isInstanceOfSatisfying(
              ContainerNotFoundException.class, e -> assertThat(e.container()).isEqualTo(asked));
      assertThatThrownBy(() -> docker.stats(asked))
          .isInstanceOfSatisfying(
              ContainerNotFoundException.class, e -> assertThat(e.container()).isEqualTo(asked));
    }
  }
}
