package io.clustermonitor.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.livetest.DockerCli;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ContainerRegistryIT {
  private static DockerCli docker;
  private static ContainerRegistry registry;
  private static EngineClient client;
  private static final List<ContainerEvent> events = new CopyOnWriteArrayList<>();

  /** Start event time and the moment the registry showed the container running, per id. */
  private static final Map<String, Duration> startLag = new ConcurrentHashMap<>();

  @BeforeAll
  static void startRegistry() {
    docker = new DockerCli(ContainerRegistryIT.class);
    assumeTrue(docker.engineAvailable(), "no Docker engine at " + DockerCli.DOCKER_HOST);
    registry =
        ContainerRegistry.builder(
                client =
                    io.clustermonitor.core.internal.DockerJavaEngineClient.create(
                        DockerEndpoint.builder(DockerCli.DOCKER_HOST).build(), 1))
            .resyncInterval(Duration.ofMinutes(5))
            .build();
    registry.addListener(
        e -> {
          events.add(e);
          if (e.action() == ContainerEvent.Action.START
              && registry.container(e.containerId()).map(ContainerSummary::running).orElse(false)) {
            startLag.putIfAbsent(e.containerId(), Duration.between(e.time(), Instant.now()));
          }
        });
    registry.start();
    assertThat(registry.awaitFirstSync(Duration.ofSeconds(20))).isTrue();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (client != null) {
      client.close();
    }
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void
      twentyStartedContainersAreInTheRegistryWithinTwoSecondsOfTheirStartEventsAndLeaveOnRemoval() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(docker.run("IMAGE", "sleep", "600"));
    }

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(registry.running().stream().map(ContainerSummary::id)).containsAll(ids));
    await().atMost(Duration.ofSeconds(5)).until(() -> startLag.keySet().containsAll(ids));
    Duration worst = ids.stream().map(startLag::get).max(Duration::compareTo).orElseThrow();
    // Event times have nanosecond precision from the daemon's clock on this host.
    assertThat(worst).isLessThan(Duration.ofSeconds(2));
    assertThat(registry.engineUp()).isTrue();
    assertThat(registry.pid(ids.get(0))).isPositive();

    for (String id : ids) {
      // one at a time: see DockerCli#removeOwn
      docker.docker("rm", "-f", id);
    }

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(registry.containers().stream().map(ContainerSummary::id))
                    .doesNotContainAnyElementsOf(ids));
  }

  @Test
  void aRenamedContainerShowsItsNewName() {
    String id = docker.run("--name", docker.runId() + "-before", "IMAGE", "sleep", "600");
    await().atMost(Duration.ofSeconds(10)).until(() -> registry.container(id).isPresent());

    docker.docker("rename", docker.runId() + "-before", docker.runId() + "-after");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(registry.container(id).orElseThrow().name())
                    .isEqualTo(docker.runId() + "-after"));
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.containerId()).isEqualTo(id);
              assertThat(e.action()).isEqualTo(ContainerEvent.Action.RENAME);
            });
  }

  @Test
  void healthTransitionsAreSeen() {
    String id =
        docker.run(
            "--health-cmd",
            "cat /tmp/ok",
            "--health-interval",
            "1s",
            "--health-retries",
            "1",
            "--health-timeout",
            "1s",
            "IMAGE",
            "sh",
            "-c",
            "echo ok > /tmp/ok; sleep 5; rm /tmp/ok; sleep 600");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(registry.container(id).orElseThrow().health())
                    .isEqualTo(HealthStatus.HEALTHY));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(registry.container(id).orElseThrow().health())
                    .isEqualTo(HealthStatus.UNHEALTHY));
    Set<HealthStatus> seen = ConcurrentHashMap.newKeySet();
    events.stream()
        .filter(
            e -> e.containerId().equals(id) && e.action() == ContainerEvent.Action.HEALTH_STATUS)
        .forEach(e -> seen.add(e.healthStatus()));
    assertThat(seen).contains(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY);
  }

  @Test
  void anOomKilledContainerReportsTheOom() {
    String id =
        docker.run(
            "--memory",
            "8m",
            "--memory-swap",
            "8m",
            "IMAGE",
            "sh",
            "-c",
            "x=a; while true; do x=$x$x; done");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(registry.oomEvents()).containsKey(id));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ContainerSummary c = registry.container(id).orElseThrow();
              assertThat(c.state()).isEqualTo(ContainerState.EXITED);
              assertThat(c.oomKilled()).isTrue();
            });
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.containerId()).isEqualTo(id);
              assertThat(e.action()).isEqualTo(ContainerEvent.Action.OOM);
            });
  }
}
