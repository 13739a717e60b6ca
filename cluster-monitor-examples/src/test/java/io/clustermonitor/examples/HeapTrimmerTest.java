package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeapTrimmerTest {
  private static final long MIB = 1L << 20;

  @Test
  void collectsOnlyWhenTheGarbageIsWorthAFullCollection() {
    // before the first full collection nothing is known live: 8 MiB of old generation is enough
    assertThat(HeapTrimmer.worthCollecting(8 * MIB + 1, 0)).isTrue();
    assertThat(HeapTrimmer.worthCollecting(8 * MIB, 0)).isFalse();
    // a small live set: the 8 MiB floor
    assertThat(HeapTrimmer.worthCollecting(12 * MIB, 6 * MIB)).isFalse();
    assertThat(HeapTrimmer.worthCollecting(15 * MIB, 6 * MIB)).isTrue();
    // a large one: half of it (serve after 100 clients: 31 MiB used, 17 live)
    assertThat(HeapTrimmer.worthCollecting(31 * MIB, 17 * MIB)).isTrue();
    assertThat(HeapTrimmer.worthCollecting(40 * MIB, 30 * MIB)).isFalse();
    assertThat(HeapTrimmer.worthCollecting(46 * MIB, 30 * MIB)).isTrue();
    // right after a full collection
    assertThat(HeapTrimmer.worthCollecting(17 * MIB, 17 * MIB)).isFalse();
  }

  @Test
  void collectsOnceABurstOfYoungCollectionsHasEnded() {
    long small = 4 * MIB;
    // busy (a scrape load): not while it lasts
    assertThat(HeapTrimmer.shouldCollect(300, 0, 150, small, small)).isFalse();
    // ended: fewer than three young collections in the last period
    assertThat(HeapTrimmer.shouldCollect(300, 0, 2, small, small)).isTrue();
    assertThat(HeapTrimmer.shouldCollect(300, 0, 0, small, small)).isTrue();
    // a quiet process (a 15 s scrape interval: a young collection now and then) only every
    // twenty of them
    assertThat(HeapTrimmer.shouldCollect(19, 0, 1, small, small)).isFalse();
    assertThat(HeapTrimmer.shouldCollect(20, 0, 1, small, small)).isTrue();
    // right after the full collection it asked for
    assertThat(HeapTrimmer.shouldCollect(0, 0, 0, small, small)).isFalse();
    // garbage alone is reason enough
    assertThat(HeapTrimmer.shouldCollect(0, 0, 0, 40 * MIB, small)).isTrue();
  }

  @Test
  void collectsOnceALoadHasEndedEvenRightAfterAFullCollectionAndWithSomeIdleAllocation() {
    // serve at N = 100 under 100 clients (measured): ~500 young collections per 10 s and full
    // ones every second or two that left 41-43 MiB live; after the load 3-4 per 10 s, and the old
    // generation at 47 MiB with about 26 MiB of it live
    long used = 47 * MIB;
    long liveUnderLoad = 43 * MIB;
    assertThat(HeapTrimmer.shouldCollect(5, 520, 250, used, liveUnderLoad))
        .as("the load ended within the last period: not yet")
        .isFalse();
    assertThat(HeapTrimmer.shouldCollect(9, 250, 4, used, liveUnderLoad))
        .as("the period after it")
        .isTrue();
    // idle at that rate, with no load before: never
    assertThat(HeapTrimmer.shouldCollect(9, 4, 3, used, liveUnderLoad)).isFalse();
    // a steady scrape load: not while it lasts
    assertThat(HeapTrimmer.shouldCollect(9, 40, 38, used, liveUnderLoad)).isFalse();
    // a busy period below the threshold before the quiet one is no load
    assertThat(HeapTrimmer.shouldCollect(9, 19, 1, used, liveUnderLoad)).isFalse();
  }

  @Test
  void aBadPeriodIsOneClearWarningAndNoTrimmer() {
    String old = System.getProperty(HeapTrimmer.PROPERTY);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      for (String bad : new String[] {"0", "-5", "ten", "1e3", "86401", "99999999999999999999"}) {
        System.setProperty(HeapTrimmer.PROPERTY, bad);
        assertThat(HeapTrimmer.fromSystemProperty()).as(bad).isEmpty();
      }
    } finally {
      System.setErr(err);
      if (old == null) {
        System.clearProperty(HeapTrimmer.PROPERTY);
      } else {
        System.setProperty(HeapTrimmer.PROPERTY, old);
      }
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("-Dcm.heapTrimSeconds must be a whole number", "got 'ten'");
    assertThat(log).doesNotContain("Exception");
  }

  @Test
  void unsetMeansNoTrimmerAndWithoutTheSerialCollectorThereIsNothingToTrim() {
    assertThat(System.getProperty(HeapTrimmer.PROPERTY)).isNull();
    assertThat(HeapTrimmer.fromSystemProperty()).isEmpty();
    boolean serial =
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
            .anyMatch(p -> p.getName().equals("Tenured Gen"));
    java.util.Optional<HeapTrimmer> t = HeapTrimmer.start(Duration.ofHours(1));
    t.ifPresent(HeapTrimmer::close);
    assertThat(t.isPresent()).isEqualTo(serial);
  }
}
