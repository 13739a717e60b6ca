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
    assertThat(HeapTrimmer.shouldCollect(300, 150, small, small)).isFalse();
    // ended: fewer than three young collections in the last period
    assertThat(HeapTrimmer.shouldCollect(300, 2, small, small)).isTrue();
    assertThat(HeapTrimmer.shouldCollect(300, 0, small, small)).isTrue();
    // a quiet process (a 15 s scrape interval: a young collection now and then) only every
    // twenty of them
    assertThat(HeapTrimmer.shouldCollect(19, 1, small, small)).isFalse();
    assertThat(HeapTrimmer.shouldCollect(20, 1, small, small)).isTrue();
    // right after the full collection it asked for
    assertThat(HeapTrimmer.shouldCollect(0, 0, small, small)).isFalse();
    // garbage alone is reason enough
    assertThat(HeapTrimmer.shouldCollect(0, 0, 40 * MIB, small)).isTrue();
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
