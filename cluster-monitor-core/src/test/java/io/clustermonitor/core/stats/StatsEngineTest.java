package io.clustermonitor.core.stats;

import static io.clustermonitor.core.events.FakeEngineClient.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.core.events.FakeEngineClient;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.StatsSample;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StatsEngineTest {

  /** Each sample adds 0.25 s of container CPU per 1 s of host CPU time on 1 CPU: 25 %. */
  static final class CountingSource implements StatsSource {
    final AtomicLong ticks = new AtomicLong();
    final Set<String> tracked = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public boolean canRead(StatsTarget target) {
      return true;
    }

    @Override
    public void track(StatsTarget target) {
      tracked.add(target.id());
    }

    @Override
    public void untrack(String containerId) {
      tracked.remove(containerId);
    }

    @Override
    public Optional<StatsSample> sample(StatsTarget target) {
      long t = ticks.incrementAndGet();
      return Optional.of(
          StatsSample.builder(Instant.now().plusNanos(t))
              .cpuTotalNanos(t * 250_000_000L)
              .systemCpuNanos(t * 1_000_000_000L)
              .onlineCpus(1)
              .memoryUsageBytes(1000)
              .memoryWorkingSetBytes(800)
              .memoryLimitBytes(4000)
              .memoryLimited(true)
              .pids(1)
              .build());
    }

    @Override
    public void close() {}
  }

  @Test
  void snapshotHoldsExactlyTheRunningContainersAndStoppedOnesLeaveOnTheirEvent() {
    FakeEngineClient fake = new FakeEngineClient();
    fake.put(summary("a", "one", ContainerState.RUNNING));
    fake.put(summary("b", "two", ContainerState.RUNNING));
    fake.put(summary("c", "three", ContainerState.EXITED));
    CountingSource source = new CountingSource();
    try (StatsEngine engine =
        StatsEngine.builder(fake)
            .statsSource(source)
            .samplingInterval(Duration.ofMillis(100))
            .buildAndStart()) {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                Map<String, ContainerStats> stats = engine.snapshot().stats();
                assertThat(stats).containsOnlyKeys("a", "b");
                assertThat(stats.get("a").cpuPercent()).isGreaterThan(0);
              });
      assertThat(engine.snapshot().containers()).hasSize(3);
      assertThat(engine.snapshot().statsSource()).isEqualTo("counting");
      assertThat(engine.aggregate().containers()).isEqualTo(2);

      fake.put(summary("a", "one", ContainerState.EXITED));
      fake.emit("a", "die", Map.of());

      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> !engine.snapshot().stats().containsKey("a"));
      assertThat(engine.stats("a")).isEmpty();
      await().atMost(Duration.ofSeconds(2)).until(() -> !source.tracked.contains("a"));
      assertThat(engine.stats("b")).isPresent();
    }
  }

  @Test
  void snapshotsBetweenTwoSamplesShareOneStatsMapAndTheNextSampleShowsAtOnce() {
    FakeEngineClient fake = new FakeEngineClient();
    fake.put(summary("a", "one", ContainerState.RUNNING));
    CountingSource counting = new CountingSource();
    Semaphore permits = new Semaphore(1); // one sample, then the next round waits
    StatsSource gated =
        new StatsSource() {
          @Override
          public String name() {
            return counting.name();
          }

          @Override
          public boolean canRead(StatsTarget target) {
            return true;
          }

          @Override
          public void track(StatsTarget target) {
            counting.track(target);
          }

          @Override
          public void untrack(String containerId) {
            counting.untrack(containerId);
          }

          @Override
          public Optional<StatsSample> sample(StatsTarget target) {
            try {
              return permits.tryAcquire(30, TimeUnit.SECONDS)
                  ? counting.sample(target)
                  : Optional.empty();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return Optional.empty();
            }
          }

          @Override
          public void close() {}
        };
    try (StatsEngine engine =
        StatsEngine.builder(fake)
            .statsSource(gated)
            .samplingInterval(Duration.ofMillis(100))
            .buildAndStart()) {
      // the first round is over once the second one waits for its permit
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> permits.hasQueuedThreads() && engine.snapshot().stats().containsKey("a"));
      Map<String, ContainerStats> first = engine.snapshot().stats();
      assertThat(engine.snapshot().stats()).isSameAs(first);
      Instant sampled = first.get("a").read();

      permits.release();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> engine.snapshot().stats().get("a").read().isAfter(sampled));
      assertThat(engine.snapshot().stats()).isNotSameAs(first);
      assertThat(engine.snapshot().stats().get("a").cpuPercent()).isEqualTo(25.0);

      fake.put(summary("a", "one", ContainerState.EXITED));
      fake.emit("a", "die", Map.of());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !engine.snapshot().stats().containsKey("a"));
      permits.release(100);
    }
  }

  @Test
  void cpuPercentComesFromTheLastTwoSamples() {
    FakeEngineClient fake = new FakeEngineClient();
    fake.put(summary("a", "one", ContainerState.RUNNING));
    try (StatsEngine engine =
        StatsEngine.builder(fake)
            .statsSource(new CountingSource())
            .samplingInterval(Duration.ofMillis(100))
            .buildAndStart()) {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(engine.stats("a").orElseThrow().cpuPercent()).isEqualTo(25.0));
    }
  }

  @Test
  void builderRejectsBadSettings() {
    FakeEngineClient fake = new FakeEngineClient();
    assertThatThrownBy(() -> StatsEngine.builder(fake).samplingInterval(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("samplingInterval");
    assertThatThrownBy(() -> StatsEngine.builder(fake).resyncInterval(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StatsEngine.builder(fake).maxStreams(1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StatsEngine.builder((io.clustermonitor.core.DockerEndpoint) null))
        .isInstanceOf(NullPointerException.class);
    StatsEngine engine = StatsEngine.builder(fake).statsSource(new CountingSource()).build();
    assertThat(engine.statsSourceName()).isEqualTo("none");
    engine.close();
    assertThatThrownBy(engine::start)
        .isInstanceOf(io.clustermonitor.core.ClosedException.class)
        .hasMessage("stats engine is closed");
  }
}
