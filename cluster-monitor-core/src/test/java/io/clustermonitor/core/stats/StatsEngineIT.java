package io.clustermonitor.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.events.EngineClient;
import io.clustermonitor.core.livetest.DockerCli;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.StatsSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StatsEngineIT {
  private static DockerCli docker;
  private static DockerEndpoint endpoint;

  @BeforeAll
  static void check() {
    docker = new DockerCli(StatsEngineIT.class);
    assumeTrue(docker.engineAvailable(), "no Docker engine at " + DockerCli.DOCKER_HOST);
    endpoint = DockerEndpoint.builder(DockerCli.DOCKER_HOST).build();
  }

  @AfterAll
  static void cleanUp() {
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void autoChoosesTheCgroupSourceForTheLocalEngineAndReportsCpuOfABusyContainer() {
    assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup")), "no cgroup tree on this host");
    String id =
        docker.run("--cpus", "0.5", "--memory", "64m", "IMAGE", "sh", "-c", "yes > /dev/null");
    try (StatsEngine engine =
        StatsEngine.builder(endpoint).samplingInterval(Duration.ofMillis(500)).buildAndStart()) {
      assertThat(engine.statsSourceName()).isEqualTo("cgroup");
      assertThat(engine.statsSourceReason()).isNotBlank();

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                ContainerStats s = engine.snapshot().stats().get(id);
                assertThat(s).isNotNull();
                // --cpus 0.5 caps it at 50 % of one CPU; on a loaded 2-core machine it gets less,
                // but a busy loop always shows up once two samples exist.
                assertThat(s.cpuPercent()).isBetween(1.0, 65.0);
                assertThat(s.memoryLimitBytes()).isEqualTo(64L * 1024 * 1024);
              });
      StatsSnapshot snap = engine.snapshot();
      assertThat(snap.statsSource()).isEqualTo("cgroup");
      assertThat(snap.engineUp()).isTrue();

      docker.docker("stop", "-t", "0", id);

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(engine.snapshot().stats()).doesNotContainKey(id));
      assertThat(engine.stats(id)).isEmpty();
    }
  }

  @Test
  void cgroupAndEngineApiSourcesAgreeOnARunningContainer() {
    assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup")), "no cgroup tree on this host");
    String id =
        docker.run("--cpus", "0.3", "--memory", "48m", "IMAGE", "sh", "-c", "yes > /dev/null");
    try (EngineClient client =
            io.clustermonitor.core.internal.DockerJavaEngineClient.create(endpoint, 4);
        StatsEngine api =
            StatsEngine.builder(client).statsSource(StatsSourceChoice.ENGINE_API).buildAndStart();
        StatsEngine cgroup =
            StatsEngine.builder(client).statsSource(StatsSourceChoice.CGROUP).buildAndStart()) {
      assertThat(api.statsSourceName()).isEqualTo("engine-api");
      assertThat(cgroup.statsSourceName()).isEqualTo("cgroup");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.stats(id).isPresent() && cgroup.stats(id).isPresent());

      // The stream frame is up to 1 s older than the cgroup read: compare at the same instant by
      // taking the frame's own timestamp and a cgroup sample right after it.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                ContainerStats a = api.stats(id).orElseThrow();
                Optional<StatsSample> c;
                // closed: its writable-layer sampler thread must not outlive the check
                try (CgroupStatsSource host = CgroupStatsSource.ofHost()) {
                  c = host.sample(new StatsTarget(id, cgroup.registry().pid(id)));
                }
                assertThat(c).isPresent();
                double ageSeconds = Duration.between(a.read(), c.get().timestamp()).toNanos() / 1e9;
                // CPU runs at 0.3 cores: allow for the time between the two reads.
                double expected = a.cpuSeconds() + 0.3 * ageSeconds;
                assertThat(c.get().cpu().totalNanos() / 1e9)
                    .isCloseTo(expected, within(expected * 0.05));
                assertThat((double) c.get().memory().usageBytes())
                    .isCloseTo((double) a.memoryUsageBytes(), within(a.memoryUsageBytes() * 0.05));
                assertThat(c.get().memory().limitBytes()).isEqualTo(a.memoryLimitBytes());
              });
    }
  }
}
