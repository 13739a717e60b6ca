package io.clustermonitor.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.livetest.DockerCli;
import io.clustermonitor.core.livetest.SecondDockerd;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.stats.StatsEngine;
import io.clustermonitor.core.stats.StatsSourceChoice;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kills and restarts a second dockerd (own socket, data root and exec root) under a running stats
 * engine: the registry must report the engine down, recover with the right list, and leak no
 * threads over many cycles.
 */
class EngineRestartIT {
  private static final int CYCLES = 20;

  private static SecondDockerd dockerd;
  private static DockerCli docker;

  @BeforeAll
  static void startSecondEngine() throws Exception {
    assumeTrue(new DockerCli(EngineRestartIT.class).engineAvailable(), "no Docker engine");
    dockerd = new SecondDockerd();
    dockerd.start();
    dockerd.importTestImage();
    docker = new DockerCli(dockerd.host(), EngineRestartIT.class);
  }

  @AfterAll
  static void stopSecondEngine() throws Exception {
    if (docker != null && dockerd.pid() > 0) {
      docker.removeOwn();
    }
    if (dockerd != null) {
      dockerd.close();
    }
  }

  /** Container id to state, as the CLI lists them. */
  private static Map<String, String> cliList() {
    String out = docker.docker("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.State}}");
    return Arrays.stream(out.trim().split("\n"))
        .filter(l -> !l.isBlank())
        .map(l -> l.split(" "))
        .collect(Collectors.toMap(p -> p[0], p -> p[1], (a, b) -> a, TreeMap::new));
  }

  private static Map<String, String> registryList(ContainerRegistry r) {
    return r.containers().stream()
        .collect(
            Collectors.toMap(
                ContainerSummary::id, c -> c.state().engineName(), (a, b) -> a, TreeMap::new));
  }

  private static List<String> monitorThreadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("cluster-monitor-"))
        .map(Thread::getName)
        .sorted()
        .toList();
  }

  private static long monitorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("cluster-monitor-"))
        .count();
  }

  @Test
  void registryReportsTheEngineDownRecoversWithTheRightListAndLeaksNoThreads() throws Exception {
    docker.run("--stop-timeout", "1", "IMAGE", "sleep", "600");
    docker.run("--stop-timeout", "1", "IMAGE", "sleep", "600");
    DockerEndpoint endpoint = DockerEndpoint.builder(dockerd.host()).name("second").build();
    try (StatsEngine engine =
        StatsEngine.builder(endpoint)
            .statsSource(StatsSourceChoice.ENGINE_API)
            .samplingInterval(Duration.ofMillis(500))
            .resyncInterval(Duration.ofSeconds(30))
            .buildAndStart()) {
      ContainerRegistry registry = engine.registry();
      await().atMost(Duration.ofSeconds(15)).until(() -> registry.running().size() == 2);

      long baselineThreads = -1;
      long baselineAll = -1;
      int done = 0;
      long loopStart = System.nanoTime();
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        dockerd.kill();
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  assertThat(registry.engineUp()).isFalse();
                  assertThat(engine.snapshot().engineUp()).isFalse();
                  assertThat(engine.snapshot().engineError()).isNotBlank();
                });

        dockerd.start();
        long upAt = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(
                () -> {
                  assertThat(registry.engineUp()).isTrue();
                  assertThat(registryList(registry)).isEqualTo(cliList());
                });
        Duration recovery = Duration.ofNanos(System.nanoTime() - upAt);
        assertThat(recovery).isLessThan(Duration.ofSeconds(15));
        if (cycle == 1) {
          // Keep one container running for the following cycles (without live-restore the
          // daemon stops them when it comes back).
          docker.run("--stop-timeout", "1", "IMAGE", "sleep", "600");
          await().atMost(Duration.ofSeconds(15)).until(() -> !registry.running().isEmpty());
        }
        if (cycle == 2) {
          await().atMost(Duration.ofSeconds(10)).until(() -> monitorThreads() > 0);
          Thread.sleep(1_000);
          baselineThreads = monitorThreads();
          baselineAll = Thread.activeCount();
        }
        done = cycle;
      }
      System.out.printf(
          "EngineRestartIT: %d dockerd kill/restart cycles in %d s%n",
          done, (System.nanoTime() - loopStart) / 1_000_000_000L);
      assertThat(done).isEqualTo(CYCLES);
      long base = baselineThreads;
      long baseAll = baselineAll;
      // Stream threads of containers that stop come and go: allow the settle time.
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                assertThat(monitorThreads()).isLessThanOrEqualTo(base);
                assertThat((long) Thread.activeCount()).isLessThanOrEqualTo(baseAll + 2);
              });
    }
    // A leaked thread stays for good; a stream thread still unwinding on a loaded machine is gone
    // within seconds. The names say which one it was if this ever fails.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(monitorThreadNames()).isEmpty());
  }
}
