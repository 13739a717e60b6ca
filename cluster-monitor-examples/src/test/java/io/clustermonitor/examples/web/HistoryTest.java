package io.clustermonitor.examples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HistoryTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration FIFTEEN_MINUTES = Duration.ofMinutes(15);

  private static History.Reading reading(String id, long atMillis, long n) {
    return new History.Reading(
        id, true, atMillis, n % 100, 10L << 20, 8L << 20, 64L << 20, n * 1000, n * 500, n * 10,
        n * 20, 3);
  }

  /** Simulated clock: {@code seconds} rounds of {@code containers} readings, 1 s apart. */
  private static void feed(History h, int containers, long fromSecond, long seconds) {
    Set<String> ids = new HashSet<>();
    for (int c = 0; c < containers; c++) {
      ids.add("c" + c);
    }
    for (long s = fromSecond; s < fromSecond + seconds; s++) {
      List<History.Reading> round = new ArrayList<>(containers);
      for (int c = 0; c < containers; c++) {
        round.add(reading("c" + c, 1_700_000_000_000L + s * 1000, s));
      }
      h.record(ids, round);
    }
  }

  @Test
  void hundredContainersForFifteenMinutesStayWithinTheStatedBudget() {
    long perContainer = History.seriesBytes(900);
    assertThat(History.BYTES_PER_SAMPLE).isEqualTo(40);
    // 40 B per sample at 1 s: 2,400 B per container per minute, as docs/api.md states
    assertThat(60L * History.BYTES_PER_SAMPLE).isEqualTo(2400);
    History h = new History(SECOND, FIFTEEN_MINUTES, 100 * perContainer);
    assertThat(h.capacity()).isEqualTo(900);
    feed(h, 100, 0, 15 * 60);
    assertThat(h.seriesCount()).isEqualTo(100);
    assertThat(h.bytesUsed()).isEqualTo(100 * perContainer).isLessThanOrEqualTo(h.budgetBytes());
    assertThat(h.window("c7", Long.MIN_VALUE, 10_000).size()).isEqualTo(900);
    // another 30 minutes: the rings wrap, nothing grows
    feed(h, 100, 15 * 60, 30 * 60);
    assertThat(h.bytesUsed()).isEqualTo(100 * perContainer);
    History.Window w = h.window("c7", Long.MIN_VALUE, 10_000);
    assertThat(w.size()).isEqualTo(900);
    assertThat(w.timesMillis()[0]).isEqualTo(1_700_000_000_000L + (45 * 60 - 900) * 1000L);
    assertThat(w.timesMillis()[899]).isEqualTo(1_700_000_000_000L + (45 * 60 - 1) * 1000L);
    // counters grow by 1000 B/s rx, 500 tx, 10 read, 20 write
    assertThat(w.column(History.NET_RX)[899]).isEqualTo(1000f);
    assertThat(w.column(History.NET_TX)[899]).isEqualTo(500f);
    assertThat(w.column(History.BLK_READ)[899]).isEqualTo(10f);
    assertThat(w.column(History.BLK_WRITE)[899]).isEqualTo(20f);
    assertThat(h.untracked()).isZero();
  }

  @Test
  void theArraysReallyAreThatSmall() {
    // Measured, not just computed: allocate the history of 100 containers and compare heap use.
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    History h = new History(SECOND, FIFTEEN_MINUTES, 64L << 20);
    feed(h, 100, 0, 2);
    System.gc();
    long after = rt.totalMemory() - rt.freeMemory();
    // 100 x 36,256 B = 3.6 MB; allow GC noise but not, say, boxed samples (10x more)
    assertThat(after - before).isLessThan(3 * h.bytesUsed());
    assertThat(h.bytesUsed()).isEqualTo(100 * History.seriesBytes(900));
  }

  @Test
  void removedContainersFreeTheirSeriesAndTheBudgetCapsNewOnes() {
    History h = new History(SECOND, Duration.ofMinutes(1), 3 * History.seriesBytes(60));
    assertThat(h.maxSeries()).isEqualTo(3);
    feed(h, 5, 0, 10);
    assertThat(h.seriesCount()).isEqualTo(3);
    assertThat(h.untracked()).isPositive();
    h.record(Set.of("c0"), List.of(reading("c0", 1_700_000_100_000L, 100)));
    assertThat(h.seriesCount()).isEqualTo(1);
    assertThat(h.tracked("c1")).isFalse();
    assertThat(h.bytesUsed()).isEqualTo(History.seriesBytes(60));
  }

  @Test
  void aStoppedContainerIsEvictedFirst() {
    History h = new History(SECOND, Duration.ofMinutes(1), 2 * History.seriesBytes(60));
    h.record(Set.of("a", "b"), List.of(reading("a", 1000, 1), reading("b", 1000, 1)));
    History.Reading stopped = new History.Reading("a", false, 2000, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    h.record(Set.of("a", "b", "c"), List.of(stopped, reading("c", 2000, 2)));
    assertThat(h.tracked("a")).isFalse();
    assertThat(h.tracked("b")).isTrue();
    assertThat(h.tracked("c")).isTrue();
  }

  @Test
  void windowsThinEvenlyAndKeepTheNewest() {
    History h = new History(SECOND, Duration.ofMinutes(2), 1 << 20);
    feed(h, 1, 0, 100);
    History.Window w = h.window("c0", Long.MIN_VALUE, 10);
    assertThat(w.size()).isEqualTo(10);
    assertThat(w.timesMillis()[9]).isEqualTo(1_700_000_000_000L + 99_000);
    assertThat(w.timesMillis()[0]).isEqualTo(1_700_000_000_000L);
    assertThat(h.window("c0", 1_700_000_000_000L + 90_000, 1000).size()).isEqualTo(10);
    assertThat(h.window("nope", 0, 10).size()).isZero();
    // the first sample has no rate; a repeated sample is not stored twice
    assertThat(Float.isNaN(h.window("c0", Long.MIN_VALUE, 1000).column(History.NET_RX)[0]))
        .isTrue();
    h.record(Set.of("c0"), List.of(reading("c0", 1_700_000_000_000L + 99_000, 99)));
    assertThat(h.window("c0", Long.MIN_VALUE, 1000).size()).isEqualTo(100);
  }

  @Test
  void badSettingsAreRejectedClearly() {
    assertThatThrownBy(() -> new History(Duration.ZERO, FIFTEEN_MINUTES, 1 << 20))
        .hasMessageContaining("interval");
    assertThatThrownBy(() -> new History(SECOND, FIFTEEN_MINUTES, 1000))
        .hasMessageContaining("budget");
    assertThatThrownBy(() -> new History(SECOND, Duration.ofDays(2), 1L << 30))
        .hasMessageContaining("retention");
  }
}
