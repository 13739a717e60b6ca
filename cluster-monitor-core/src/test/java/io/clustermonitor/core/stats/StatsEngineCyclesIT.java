package io.clustermonitor.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.livetest.DockerCli;
import io.clustermonitor.core.model.ContainerSummary;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** 200 container starts and stops under a running engine: the snapshot follows exactly. */
class StatsEngineCyclesIT {
  private static final int CONTAINERS = 10;
  private static final int TARGET_STARTS = 200;
  private static DockerCli docker;

  @BeforeAll
  static void check() {
    docker = new DockerCli(StatsEngineCyclesIT.class);
    assumeTrue(docker.engineAvailable(), "no Docker engine at " + DockerCli.DOCKER_HOST);
  }

  @AfterAll
  static void cleanUp() {
    if (docker != null) {
      docker.close();
    }
  }

  private static Set<String> cliRunning() {
    String out =
        docker.docker(
            "ps",
            "-q",
            "--no-trunc",
            "--filter",
            "label=" + docker.runLabel() + "=" + docker.runId());
    return out.isBlank() ? Set.of() : Set.of(out.trim().split("\\s+"));
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return mem.getHeapMemoryUsage().getUsed();
  }

  @Test
  void afterTwoHundredStartsAndStopsTheSnapshotHoldsExactlyTheRunningContainersAndHeapIsFlat()
      throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < CONTAINERS; i++) {
      ids.add(
          docker
              .docker(
                  "create",
                  "--network",
                  "none",
                  "--stop-timeout",
                  "1",
                  "--label",
                  DockerCli.TEST_LABEL + "=true",
                  "--label",
                  docker.runLabel() + "=" + docker.runId(),
                  DockerCli.IMAGE,
                  "sleep",
                  "600")
              .trim());
    }
    Random random = new Random(42);
    DockerEndpoint endpoint = DockerEndpoint.builder(DockerCli.DOCKER_HOST).build();
    try (StatsEngine engine =
        StatsEngine.builder(endpoint).samplingInterval(Duration.ofMillis(250)).buildAndStart()) {
      Set<String> own = new HashSet<>(ids);
      Set<Set<String>> distinctRunningSets = new HashSet<>();
      Set<String> seenWithStats = new HashSet<>();
      int starts = 0;
      int round = 0;
      long heapBefore = -1;
      long t0 = System.nanoTime();
      while (starts < TARGET_STARTS) {
        round++;
        Set<String> running = cliRunning();
        List<String> toStart = ids.stream().filter(id -> !running.contains(id)).toList();
        // One container per CLI call: the CLI runs the containers of one call in parallel, and
        // Docker 20.10 can deadlock on concurrent endpoint teardown (moby/moby#46661).
        for (String id : toStart) {
          docker.docker("start", id);
          starts++;
        }
        // stop a random half, so each round has a different running set
        for (String id : ids) {
          if (random.nextBoolean()) {
            docker.docker("stop", "-t", "0", id);
          }
        }
        Set<String> expected = cliRunning();
        distinctRunningSets.add(expected);
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  StatsSnapshot s = engine.snapshot();
                  Set<String> snapRunning =
                      s.running().stream()
                          .map(ContainerSummary::id)
                          .filter(own::contains)
                          .collect(Collectors.toSet());
                  Set<String> withStats =
                      s.stats().keySet().stream().filter(own::contains).collect(Collectors.toSet());
                  assertThat(snapRunning).isEqualTo(expected);
                  assertThat(withStats).isEqualTo(expected);
                });
        seenWithStats.addAll(expected);
        if (round == 2) {
          heapBefore = usedHeapAfterGc();
        }
      }
      long heapAfter = usedHeapAfterGc();
      System.out.printf(
          "StatsEngineCyclesIT: %d starts in %d rounds, %d s; heap after GC %d KiB -> %d KiB%n",
          starts,
          round,
          (System.nanoTime() - t0) / 1_000_000_000L,
          heapBefore / 1024,
          heapAfter / 1024);
      // The run really varied the running set (a start that silently failed would shrink it), and
      // every container was seen with stats at least once.
      assertThat(distinctRunningSets).hasSizeGreaterThan(10);
      assertThat(seenWithStats).containsExactlyInAnyOrderElementsOf(ids);
      // Tolerance: class loading and JIT allocate a little; a leak of per-container state over 200
      // cycles would be far more than this.
      assertThat(heapAfter).isLessThan(heapBefore + 8L * 1024 * 1024);
    }
  }
}
