package io.clustermonitor.core.events;

import static io.clustermonitor.core.events.FakeEngineClient.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.HealthStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContainerRegistryTest {
  private final FakeEngineClient engine = new FakeEngineClient();
  private ContainerRegistry registry;

  private ContainerRegistry start(Duration resync) {
    registry = ContainerRegistry.builder(engine).resyncInterval(resync).buildAndStart();
    assertThat(registry.awaitFirstSync(Duration.ofSeconds(5))).isTrue();
    return registry;
  }

  @AfterEach
  void close() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void subscribesBeforeListingAndAppliesLifecycleEvents() {
    engine.put(summary("a", "web", ContainerState.RUNNING));
    start(Duration.ofMinutes(5));
    assertThat(engine.subscriptions.get()).isEqualTo(1);
    assertThat(registry.running()).extracting(ContainerSummary::id).containsExactly("a");
    assertThat(registry.pid("a")).isEqualTo(100);

    engine.put(summary("b", "db", ContainerState.RUNNING));
    engine.emit("b", "start", Map.of("name", "db"));
    await().atMost(Duration.ofSeconds(5)).until(() -> registry.container("b").isPresent());

    engine.put(summary("b", "db", ContainerState.EXITED));
    engine.emit("b", "die", Map.of("exitCode", "0"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> registry.container("b").orElseThrow().state() == ContainerState.EXITED);

    ContainerSummary web2 = summary("a", "web2", ContainerState.RUNNING);
    engine.put(
        new ContainerSummary(
            "a",
            "web2",
            "img",
            ContainerState.RUNNING,
            HealthStatus.UNHEALTHY,
            web2.createdAt(),
            null,
            null,
            0,
            false,
            0,
            Map.of(),
            null,
            "fake"));
    engine.emit("a", "rename", Map.of("name", "web2", "oldName", "/web"));
    engine.emit("a", "health_status: unhealthy", Map.of());
    engine.emit("a", "oom", Map.of());
    engine.remove("b");
    engine.emit("b", "destroy", Map.of());

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(registry.container("b")).isEmpty();
              ContainerSummary a = registry.container("a").orElseThrow();
              assertThat(a.name()).isEqualTo("web2");
              assertThat(a.health()).isEqualTo(HealthStatus.UNHEALTHY);
              assertThat(registry.oomEvents()).containsEntry("a", 1L);
            });
  }

  @Test
  void aSlowListenerNeverBlocksTheEventReader() throws Exception {
    start(Duration.ofMinutes(5));
    CountDownLatch release = new CountDownLatch(1);
    registry.addListener(
        e -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
        });

    long t0 = System.nanoTime();
    for (int i = 0; i < 10_000; i++) {
      engine.emit("x" + i, "exec_start: sh", Map.of());
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    release.countDown();

    // The reader only enqueues: 10,000 events take far less than the daemon's 100 ms budget each.
    assertThat(millis).isLessThan(2_000);
  }

  @Test
  void reportsTheEngineDownAndResyncsAfterItComesBack() {
    List<Boolean> states = new CopyOnWriteArrayList<>();
    engine.put(summary("a", "web", ContainerState.RUNNING));
    start(Duration.ofMinutes(5));
    registry.addListener(
        new ContainerRegistry.Listener() {
          @Override
          public void onEvent(ContainerEvent event) {}

          @Override
          public void onEngineState(boolean up, String error) {
            states.add(up);
          }
        });

    engine.kill();
    await().atMost(Duration.ofSeconds(5)).until(() -> !registry.engineUp());
    assertThat(registry.engineError()).isNotBlank();
    assertThat(registry.containers()).as("last known containers stay readable").hasSize(1);

    // Changes while down are lost as events; the resync after reconnecting finds them.
    engine.remove("a");
    engine.put(summary("c", "new", ContainerState.RUNNING));
    engine.revive();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(registry.engineUp()).isTrue();
              assertThat(registry.containers())
                  .extracting(ContainerSummary::id)
                  .containsExactly("c");
            });
    assertThat(registry.engineError()).isEmpty();
    assertThat(states).containsExactly(false, true);
  }

  @Test
  void anEngineThatIsDownAtStartDoesNotMakeTheFirstSyncWaitForTheTimeout() {
    engine.kill();
    registry = ContainerRegistry.builder(engine).buildAndStart();
    long t0 = System.nanoTime();

    assertThat(registry.awaitFirstSync(Duration.ofSeconds(30))).isFalse();

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(registry.engineUp()).isFalse();
    assertThat(registry.engineError()).contains("connection refused");
    engine.revive();
    await().atMost(Duration.ofSeconds(10)).until(registry::engineUp);
  }

  @Test
  void periodicResyncRepairsALostEvent() {
    start(Duration.ofMillis(200));
    engine.put(summary("quiet", "q", ContainerState.RUNNING));

    await().atMost(Duration.ofSeconds(5)).until(() -> registry.container("quiet").isPresent());
    assertThat(engine.lists.get()).isGreaterThan(1);

    ContainerSummary q = summary("quiet", "q", ContainerState.RUNNING);
    engine.put(
        new ContainerSummary(
            "quiet",
            "q",
            "img",
            ContainerState.RUNNING,
            HealthStatus.UNHEALTHY,
            q.createdAt(),
            null,
            null,
            0,
            false,
            0,
            Map.of(),
            null,
            "fake"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> registry.container("quiet").orElseThrow().health() == HealthStatus.UNHEALTHY);
  }

  @Test
  void badArgumentsAndLifecycleMisuseAreRejected() {
    assertThatThrownBy(() -> ContainerRegistry.builder(engine).resyncInterval(Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resyncInterval");
    assertThatThrownBy(() -> ContainerRegistry.builder((EngineClient) null))
        .isInstanceOf(NullPointerException.class);
    start(Duration.ofMinutes(1));
    assertThatThrownBy(registry::start).isInstanceOf(IllegalStateException.class);
    registry.close();
    registry.close();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("cluster-monitor-registry-fake") && t.isAlive());
  }

  @Test
  void parsesEventActions() {
    assertThat(ContainerEvent.Action.parse("health_status: healthy"))
        .isEqualTo(ContainerEvent.Action.HEALTH_STATUS);
    assertThat(ContainerEvent.Action.parse("exec_start: sh -c x"))
        .isEqualTo(ContainerEvent.Action.OTHER);
    assertThat(ContainerEvent.Action.parse(null)).isEqualTo(ContainerEvent.Action.OTHER);
    ContainerEvent e =
        new ContainerEvent(
            "id",
            ContainerEvent.Action.HEALTH_STATUS,
            "health_status: starting",
            null,
            null,
            java.time.Instant.EPOCH);
    assertThat(e.healthStatus()).isEqualTo(HealthStatus.STARTING);
    assertThatThrownBy(
            () ->
                new ContainerEvent(
                    null, ContainerEvent.Action.OOM, null, null, null, java.time.Instant.EPOCH))
        .isInstanceOf(NullPointerException.class);
  }
}
