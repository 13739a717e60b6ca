package io.clustermonitor.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.StatsSample;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A first sample has no CPU value: the view serves a gap, never 0 %. */
class LiveViewCpuTest {
  private static ContainerStats stats(double cpu) {
    StatsSample s =
        StatsSample.builder(Instant.parse("2026-12-01T10:00:00Z"))
            .cpuTotalNanos(1_000_000_000L)
            .onlineCpus(2)
            .memoryUsageBytes(1L << 20)
            .memoryWorkingSetBytes(1L << 20)
            .memoryLimitBytes(64L << 20)
            .memoryLimited(true)
            .pids(1)
            .build();
    return new ContainerStats("c1", "web", "local", s.timestamp(), cpu, s);
  }

  @Test
  void noValueYetIsNaNAndAKnownValueIsKept() {
    assertThat(LiveView.cpuPercent(stats(Double.NaN))).isNaN();
    assertThat(LiveView.cpuPercent(stats(0.0))).isZero();
    assertThat(LiveView.cpuPercent(stats(42.5))).isEqualTo(42.5);
  }
}
