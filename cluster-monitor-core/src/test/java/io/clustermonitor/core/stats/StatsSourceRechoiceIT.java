package io.clustermonitor.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.livetest.DockerCli;
import io.clustermonitor.core.livetest.SecondDockerd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stats engine started before its engine is reachable and before the cgroup tree it reads
 * exists (as when a container's {@code /host/sys/fs/cgroup} mount and the engine come up after the
 * exporter): it starts on the Engine API and switches to the cgroup reader within one resync of the
 * first running container.
 */
class StatsSourceRechoiceIT {

  @Test
  void startedBeforeTheEngineAndItsCgroupTreeItSwitchesToCgroupWithinOneResync(@TempDir Path tmp)
      throws Exception {
    assumeTrue(new DockerCli(StatsSourceRechoiceIT.class).engineAvailable(), "no Docker engine");
    assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup")), "no cgroup tree on this host");
    Path cgroupRoot = tmp.resolve("host-cgroup"); // appears later, as a late mount would
    try (SecondDockerd dockerd = new SecondDockerd();
        StatsEngine engine =
            StatsEngine.builder(DockerEndpoint.builder(dockerd.host()).build())
                .cgroupRoot(cgroupRoot)
                .resyncInterval(Duration.ofSeconds(2))
                .firstSyncTimeout(Duration.ofSeconds(1))
                .buildAndStart()) {
      assertThat(engine.statsSourceName()).isEqualTo("engine-api");
      assertThat(engine.statsSourceReason()).contains("checked again");

      dockerd.start();
      dockerd.importTestImage();
      Files.createSymbolicLink(cgroupRoot, Path.of("/sys/fs/cgroup"));
      try (DockerCli docker = new DockerCli(dockerd.host(), StatsSourceRechoiceIT.class)) {
        String id = docker.run("IMAGE", "sleep", "600");
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> engine.registry().container(id).isPresent());
        long seen = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> engine.statsSourceName().equals("cgroup") && engine.stats(id).isPresent());
        Duration took = Duration.ofNanos(System.nanoTime() - seen);
        // one resync (2 s) plus a sampling interval, with room for this slow shared machine
        assertThat(took).isLessThan(Duration.ofSeconds(30));
        assertThat(engine.statsSourceReason()).contains("readable under " + cgroupRoot);
        assertThat(engine.snapshot().statsSource()).isEqualTo("cgroup");
        if (Files.isDirectory(Path.of("/sys/fs/cgroup/cpuacct"))) {
          assertThat(engine.stats(id).orElseThrow().current().details().perCpuNanos())
              .as("read from the cgroup files (v1 per-CPU time)")
              .isNotEmpty();
        }
        docker.docker("rm", "-f", id);
      }
    }
  }
}
