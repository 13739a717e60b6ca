package io.clustermonitor.examples;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.time.Duration;

/**
 * Run by {@link HeapTrimmerIT} in a JVM of the launcher's heap settings: fills the old generation
 * with 32 MiB that then become garbage (arrays larger than the young generation go there directly),
 * starts the trimmer and prints the old generation's committed size until it has been given back.
 * Exit 0 when it shrank below a third of its peak within 30 s, 1 otherwise.
 */
final class HeapTrimmerProbe {
  static volatile Object sink;

  public static void main(String[] args) throws Exception {
    MemoryPoolMXBean tenured =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getName().equals("Tenured Gen"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("not the serial collector"));
    byte[][] big = new byte[4][];
    for (int i = 0; i < big.length; i++) {
      big[i] = new byte[8 << 20];
    }
    sink = big;
    long peak = tenured.getUsage().getCommitted();
    sink = null;
    big = null;
    System.out.println("peak committed " + (peak >> 10) + " KiB");
    HeapTrimmer t = HeapTrimmer.start(Duration.ofMillis(500)).orElseThrow();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        long committed = tenured.getUsage().getCommitted();
        if (committed < peak / 3) {
          System.out.println("given back: committed " + (committed >> 10) + " KiB");
          System.exit(0);
        }
        Thread.sleep(100);
      }
    } finally {
      t.close();
    }
    System.out.println("still committed " + (tenured.getUsage().getCommitted() >> 10) + " KiB");
    System.exit(1);
  }

  private HeapTrimmerProbe() {}
}
