package io.clustermonitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.core.livetest.DockerCli;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DockerMonitor answers from the live stats engine once snapshot() started it. */
class LiveDockerMonitorIT {
  private static DockerCli docker;

  @BeforeAll
  static void check() {
    docker = new DockerCli(LiveDockerMonitorIT.class);
    assumeTrue(docker.engineAvailable(), "no Docker engine at " + DockerCli.DOCKER_HOST);
  }

  @AfterAll
  static void cleanUp() {
    if (docker != null) {
      docker.close();
    }
  }

  private static long millis(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1_000_000;
  }

  @Test
  void afterTheFirstSnapshotStatsContainersAndAggregatesAreAnsweredFromMemory() {
    String name = docker.runId() + "-busy";
    String id =
        docker.run(
            "--name",
            name,
            "--cpus",
            "0.2",
            "--memory",
            "32m",
            "IMAGE",
            "sh",
            "-c",
            "yes > /dev/null");
    DockerEndpoint endpoint = DockerEndpoint.builder(DockerCli.DOCKER_HOST).build();
    try (DockerMonitor monitor = DockerMonitor.connect(endpoint)) {
      assertThat(monitor.systemInfo().statsSource()).isEqualTo("none");
      assertThat(monitor.trySnapshot()).as("not started: empty, and it starts nothing").isEmpty();
      assertThat(monitor.systemInfo().statsSource()).isEqualTo("none");

      StatsSnapshot first = monitor.snapshot();
      assertThat(monitor.trySnapshot()).hasValueSatisfying(s -> assertThat(s.engineUp()).isTrue());
      assertThat(first.engineUp()).isTrue();
      assertThat(first.statsSource()).isIn("cgroup", "engine-api");
      assertThat(monitor.systemInfo().statsSource()).isEqualTo(first.statsSource());

      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> assertThat(monitor.snapshot().stats()).containsKey(id));

      // One engine stats call takes 1-2 s here; answers from the cache take microseconds.
      ContainerStats[] byName = new ContainerStats[1];
      long statsMillis = millis(() -> byName[0] = monitor.stats(name));
      assertThat(byName[0].id()).isEqualTo(id);
      assertThat(byName[0].memoryLimitBytes()).isEqualTo(32L * 1024 * 1024);
      assertThat(statsMillis).isLessThan(200);
      assertThat(monitor.stats(id.substring(0, 12)).id()).isEqualTo(id);

      long listMillis =
          millis(
              () ->
                  assertThat(monitor.containers(ContainerFilter.RUNNING))
                      .extracting(ContainerSummary::id)
                      .contains(id));
      assertThat(listMillis).isLessThan(200);
      assertThat(millis(monitor::aggregateStats)).isLessThan(200);
      assertThat(monitor.aggregateStats().containers()).isPositive();
      long snapMillis = millis(monitor::snapshot);
      assertThat(snapMillis).isLessThan(200);

      docker.docker("stop", "-t", "0", id);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(monitor.snapshot().stats()).doesNotContainKey(id);
                assertThat(monitor.containers(ContainerFilter.RUNNING))
                    .extracting(ContainerSummary::id)
                    .doesNotContain(id);
              });
    }
  }
}
