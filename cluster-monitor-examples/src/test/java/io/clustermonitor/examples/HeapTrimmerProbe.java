package io.clustermonitor.examples;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Run by {@link HeapTrimmerIT} in a JVM of the launcher's heap settings: fills the old generation
 * with 32 MiB that then become garbage (arrays larger than the young generation go there directly),
 * starts the trimmer, then plays bursts of short-lived garbage (30 young collections each) followed
 * by quiet, as scrape bursts do, until the old generation has been given back. Whether the filling
 * itself caused a full collection (after which the dead arrays no longer count as garbage above the
 * live size) and when the trimmer's first check runs depend on the machine; a burst that ended
 * always counts.
 *
 * <p>Only the trimmer calls {@link System#gc()} here, and the probe watches every full collection
 * after the arrays died: exit 0 when the first of them was one the trimmer asked for ({@code
 * System.gc()}) and left the old generation below a third of its peak, within 60 s; exit 2 when the
 * JVM collected on its own first (the probe then proves nothing); 1 otherwise.
 */
final class HeapTrimmerProbe {
  static volatile Object sink;

  public static void main(String[] args) throws Exception {
    MemoryPoolMXBean tenured =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getName().equals("Tenured Gen"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("not the serial collector"));
    GarbageCollectorMXBean young = collector("Copy");
    GarbageCollectorMXBean full = collector("MarkSweepCompact");
    // load what the trimmer and the collections below load, so that none of it is promoted later
    HeapTrimmer.start(Duration.ofHours(1)).orElseThrow().close();
    Queue<GarbageCollectionNotificationInfo> fulls = new ConcurrentLinkedQueue<>();
    long fullsUnwatched = full.getCollectionCount();
    ((NotificationEmitter) full)
        .addNotificationListener(
            (n, h) -> {
              if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                  n.getType())) {
                fulls.add(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()));
              }
            },
            null,
            null);
    System.gc();
    byte[][] big = new byte[4][];
    for (int i = 0; i < big.length; i++) {
      big[i] = new byte[8 << 20];
    }
    sink = big;
    long peak = tenured.getUsage().getCommitted();
    sink = null;
    big = null;
    System.out.println("peak committed " + (peak >> 10) + " KiB");
    // the notifications of the collections so far arrive on their own thread: wait for them
    long fullsBefore = full.getCollectionCount() - fullsUnwatched;
    long waitUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (fulls.size() < fullsBefore && System.nanoTime() < waitUntil) {
      Thread.sleep(10);
    }
    fulls.clear();
    HeapTrimmer t = HeapTrimmer.start(Duration.ofMillis(500)).orElseThrow();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        long from = young.getCollectionCount();
        while (young.getCollectionCount() < from + 30 && System.nanoTime() < deadline) {
          sink = new byte[64 << 10];
        }
        sink = null;
        long quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < quietUntil) {
          GarbageCollectionNotificationInfo first = fulls.peek();
          if (first != null) {
            // the heap is resized at the end of the pause, after the usage the notification holds
            long after = tenured.getUsage().getCommitted();
            System.out.println(
                "full collection ("
                    + first.getGcCause()
                    + "): committed "
                    + (after >> 10)
                    + " KiB");
            if (!first.getGcCause().equals("System.gc()")) {
              System.exit(2);
            }
            if (after < peak / 3) {
              System.out.println("given back");
              System.exit(0);
            }
            System.exit(1);
          }
          Thread.sleep(100);
        }
        System.out.println(
            "after a burst: committed " + (tenured.getUsage().getCommitted() >> 10) + " KiB");
      }
    } finally {
      t.close();
    }
    System.out.println("still committed " + (tenured.getUsage().getCommitted() >> 10) + " KiB");
    System.exit(1);
  }

  private static GarbageCollectorMXBean collector(String name) {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .filter(g -> g.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("not the serial collector"));
  }

  private HeapTrimmerProbe() {}
}
