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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
  void theGenerationGrowsWithEveryChangeAndTheListIsReusedWhileItStands() {
    engine.put(summary("a", "web", ContainerState.RUNNING));
    engine.put(summary("b", "db", ContainerState.RUNNING));
    start(Duration.ofMinutes(5));
    long g0 = registry.generation();
    List<ContainerSummary> l0 = registry.containers();
    assertThat(l0).extracting(ContainerSummary::id).containsExactlyInAnyOrder("a", "b");
    // Unchanged: the same instance, unmodifiable.
    assertThat(registry.containers()).isSameAs(l0);
    assertThat(registry.generation()).isEqualTo(g0);
    assertThatThrownBy(() -> l0.remove(0)).isInstanceOf(UnsupportedOperationException.class);

    // Same size, same ids, only a state differs: a new generation and a new list.
    engine.emit("b", "pause", Map.of());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> registry.container("b").orElseThrow().state() == ContainerState.PAUSED);
    long g1 = registry.generation();
    List<ContainerSummary> l1 = registry.containers();
    assertThat(g1).isGreaterThan(g0);
    assertThat(l1).isNotSameAs(l0).isNotEqualTo(l0).hasSameSizeAs(l0);
    assertThat(l1)
        .extracting(ContainerSummary::id)
        .isEqualTo(l0.stream().map(ContainerSummary::id).toList());
    assertThat(registry.containers()).isSameAs(l1);

    engine.remove("a");
    engine.emit("a", "destroy", Map.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> registry.container("a").isEmpty());
    assertThat(registry.generation()).isGreaterThan(g1);
    assertThat(registry.containers()).extracting(ContainerSummary::id).containsExactly("b");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aSlowListenerNeverBlocksTheEventReader() throws Exception {
    start(Duration.ofMinutes(5));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean returned = new AtomicBoolean();
    registry.addListener(
        e -> {
          entered.countDown();
          try {
            release.await(120, TimeUnit.SECONDS);
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
          returned.set(true);
        });

    engine.emit("x0", "exec_start: sh", Map.of());
    assertThat(entered.await(30, TimeUnit.SECONDS)).as("the listener got the first event").isTrue();
    // The listener now blocks for up to 120 s per event. A reader that called it inline could not
    // take 10,000 more events before the 60 s timeout; ours only enqueues them.
    for (int i = 1; i < 10_000; i++) {
      engine.emit("x" + i, "exec_start: sh", Map.of());
    }
    assertThat(returned).as("the listener was still blocked while the reader went on").isFalse();
    release.countDown();
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
    assertThatThrownBy(registry::start)
        .isInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(io.clustermonitor.core.ClosedException.class);
    registry.close();
    registry.close();
    assertThatThrownBy(registry::start)
        .isInstanceOf(io.clustermonitor.core.ClosedException.class)
        .hasMessage("registry is closed");
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
