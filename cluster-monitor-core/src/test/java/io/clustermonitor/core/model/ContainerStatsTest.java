package io.clustermonitor.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerStatsTest {
  private static StatsSample sample(long cpuNanos, long systemNanos, Instant at) {
    return StatsSample.builder(at)
        .cpuTotalNanos(cpuNanos)
        .systemCpuNanos(systemNanos)
        .onlineCpus(2)
        .memoryUsageBytes(1 << 20)
        .memoryWorkingSetBytes(1 << 20)
        .memoryLimitBytes(64 << 20)
        .memoryLimited(true)
        .pids(1)
        .build();
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

  @Test
  void resourceLimitsSayNoneExplicitly() {
    ResourceLimits none = ResourceLimits.NONE;
    ResourceLimits set = new ResourceLimits(64L << 20, 128L << 20, 50_000, 100_000, 512, 0, 100);

    assertThat(none.memoryLimited()).isFalse();
    assertThat(none.memoryLimit()).isEmpty();
    assertThat(none.memorySwapLimit()).isEmpty();
    assertThat(none.pidsLimitValue()).isEmpty();
    assertThat(none.cpuLimit()).isEmpty();
    assertThat(set.memoryLimited()).isTrue();
    assertThat(set.memoryLimit()).hasValue(64L << 20);
    assertThat(set.memorySwapLimit()).hasValue(128L << 20);
    assertThat(set.pidsLimitValue()).hasValue(100);
    assertThat(set.cpuLimit()).hasValue(0.5);
  }

  @Test
  void memoryCountersWithoutALimitValueAreNotLimited() {
    assertThat(new MemoryCounters(1, 1, 0, true, 0, 0, 0, 0, 0).limited()).isFalse();
    assertThat(MemoryCounters.NONE.limit()).isEmpty();
  }
}
