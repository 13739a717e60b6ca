package io.clustermonitor.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.StatsSample;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A first sample has no CPU value: the view serves a gap, never 0 %. */
class LiveViewCpuTest {
  private static ContainerStats stats(double cpu) {
    StatsSample s =
        new StatsSample(
            Instant.parse("2026-12-01T10:00:00Z"),
            1_000_000_000L,
            0,
            0,
            0,
            2,
            0,
            0,
            0,
            1L << 20,
            1L << 20,
            64L << 20,
            0,
            0,
            0,
            0,
            0,
            List.of(),
            List.of(),
            1);
    return new ContainerStats("c1", "web", "local", s.timestamp(), cpu, s);
  }

  @Test
  void noValueYetIsNaNAndAKnownValueIsKept() {
    assertThat(LiveView.cpuPercent(stats(Double.NaN))).isNaN();
    assertThat(LiveView.cpuPercent(stats(0.0))).isZero();
    assertThat(LiveView.cpuPercent(stats(42.5))).isEqualTo(42.5);
  }
}
