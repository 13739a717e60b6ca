package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollectorRunnerTest {

  private static MetricsCollector sleeping(String name, long millis, boolean fail) {
    return new MetricsCollector() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<MetricFamily> collect() throws Exception {
        Thread.sleep(millis);
        if (fail) {
          throw new IllegalStateException("boom");
        }
        return List.of();
      }
    };
  }

  @Test
  void eachOutcomeCarriesItsOwnDurationNotTheTimeSinceTheScrapeStarted() {
    try (CollectorRunner runner =
        new CollectorRunner(
            List.of(
                sleeping("a_slow", 600, false),
                sleeping("b_fast", 0, false),
                sleeping("c_fails_fast", 0, true)),
            Duration.ofSeconds(30))) {
      List<CollectorRunner.Outcome> outcomes = runner.collectAll();
      assertThat(outcomes.get(0).seconds()).isGreaterThanOrEqualTo(0.6);
      // awaited after the slow one, yet reports its own (short) run
      assertThat(outcomes.get(1).success()).isTrue();
      assertThat(outcomes.get(1).seconds()).isLessThan(0.5);
      assertThat(outcomes.get(2).success()).isFalse();
      assertThat(outcomes.get(2).error()).contains("boom");
      assertThat(outcomes.get(2).seconds()).isLessThan(0.5);
    }
  }

  @Test
  void aTimedOutCollectorReportsTheTimeUntilTheDeadline() {
    try (CollectorRunner runner =
        new CollectorRunner(List.of(sleeping("stuck", 5_000, false)), Duration.ofMillis(300))) {
      CollectorRunner.Outcome o = runner.collectAll().get(0);
      assertThat(o.success()).isFalse();
      assertThat(o.error()).isEqualTo("timeout");
      assertThat(o.seconds()).isBetween(0.29, 4.0);
    }
  }

  @Test
  void idleCollectorThreadsAreGivenBackBetweenScrapesAndMadeAgainForTheNext() {
    List<MetricsCollector> many =
        java.util.stream.IntStream.range(0, 8)
            .mapToObj(i -> sleeping("c" + i, 100, false))
            .toList();
    try (CollectorRunner runner =
        new CollectorRunner(many, Duration.ofSeconds(30), Duration.ofMillis(200))) {
      assertThat(runner.collectAll()).allMatch(CollectorRunner.Outcome::success);
      await().atMost(Duration.ofSeconds(10)).until(() -> runner.threads() == 0);
      assertThat(runner.collectAll()).allMatch(CollectorRunner.Outcome::success);
    }
    assertThat(CollectorRunner.IDLE_THREAD_KEEP_ALIVE).isLessThan(Duration.ofSeconds(10));
  }
}
