package io.clustermonitor.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerStatsTest {
  private static StatsSample sample(long cpuNanos, long systemNanos, Instant at) {
    return new StatsSample(
        at,
        cpuNanos,
        0,
        0,
        systemNanos,
        2,
        0,
        0,
        0,
        1 << 20,
        1 << 20,
        64 << 20,
        0,
        0,
        0,
        0,
        0,
        List.of(),
        List.of(),
        1);
  }

  @Test
  void aFirstSampleHasNoCpuValueYetRatherThanZero() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    ContainerStats first = ContainerStats.of("id", "web", "local", null, sample(5_000, 1_000, t0));
    assertThat(first.hasCpuPercent()).isFalse();
    assertThat(first.knownCpuPercent()).isEmpty();
    assertThat(first.cpuPercent()).isZero(); // for callers that want a number
    assertThat(AggregateStats.of(List.of(first), t0).cpuPercent()).isZero();

    StatsSample second = sample(5_000 + 500_000_000L, 1_000 + 2_000_000_000L, t0.plusSeconds(1));
    ContainerStats two = ContainerStats.of("id", "web", "local", sample(5_000, 1_000, t0), second);
    assertThat(two.hasCpuPercent()).isTrue();
    // 0.5 s of 2 s system time on 2 CPUs: 50 %
    assertThat(two.knownCpuPercent().orElseThrow()).isCloseTo(50.0, within(1e-9));
  }

  @Test
  void anIdleContainerWithTwoSamplesHasAZeroValue() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    ContainerStats idle =
        ContainerStats.of(
            "id",
            "web",
            "local",
            sample(5_000, 1_000, t0),
            sample(5_000, 1_000 + 2_000_000_000L, t0.plusSeconds(1)));
    assertThat(idle.hasCpuPercent()).isTrue();
    assertThat(idle.knownCpuPercent()).hasValue(0.0);
  }
}
