package io.clustermonitor.examples;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives heap back to the OS after a burst, for the launcher's serial collector (docs/benchmarks.md,
 * "Footprint"). That collector returns free heap only at a full collection, and a quiet process may
 * go hours without one: after 100 clients, `serve`'s heap stayed at 40 MiB with 17 MiB live, 30 s
 * and more after they left. Every period this asks for one full collection ({@link System#gc()})
 * when the young generation was collected at least {@value #BUSY_YOUNG_COLLECTIONS} times since the
 * last full one and at most {@value #QUIET_YOUNG_COLLECTIONS} times in the last period (a burst has
 * ended), when a period of at least {@value #BUSY_YOUNG_COLLECTIONS} young collections is followed
 * by one with a quarter of them or fewer (a load has ended, even if the heap was collected in full
 * under it), or when the old generation holds more than {@code max(8 MiB, half the live size)}
 * above what the last full collection left live; the launcher's {@code -XX:-ShrinkHeapInSteps} then
 * shrinks the heap to its {@code MaxHeapFreeRatio} at once. It is what {@code G1PeriodicGCInterval}
 * does for G1, which the serial collector has no option for. Started only by the launcher's {@code
 * -Dcm.heapTrimSeconds}; with another collector it does nothing.
 */
final class HeapTrimmer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeapTrimmer.class);

  /** The system property the launcher sets: the period in seconds. */
  static final String PROPERTY = "cm.heapTrimSeconds";

  static final long MIN_GARBAGE_BYTES = 8L << 20;
  static final long BUSY_YOUNG_COLLECTIONS = 20;
  static final long QUIET_YOUNG_COLLECTIONS = 2;

  private final MemoryPoolMXBean tenured;
  private final GarbageCollectorMXBean young;
  private final GarbageCollectorMXBean full;
  private final ScheduledExecutorService timer;
  private long lastYoung;
  private long youngLastPeriod;
  private long lastFull = -1;
  private long youngAtLastFull;

  private HeapTrimmer(
      MemoryPoolMXBean tenured,
      GarbageCollectorMXBean young,
      GarbageCollectorMXBean full,
      Duration period) {
    this.tenured = tenured;
    this.young = young;
    this.full = full;
    this.lastYoung = young.getCollectionCount();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cm-heap-trimmer");
              t.setDaemon(true);
              t.setPriority(Thread.MIN_PRIORITY);
              return t;
            });
    long ms = period.toMillis();
    timer.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * A trimmer when {@link #PROPERTY} names a positive number of seconds and the serial collector
   * runs; otherwise empty (with one warning when the property is set but not such a number).
   */
  static Optional<HeapTrimmer> fromSystemProperty() {
    String v = System.getProperty(PROPERTY);
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    long seconds;
    try {
      seconds = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds <= 0 || seconds > 86_400) {
      LOG.warn(
          "-D{} must be a whole number of seconds from 1 to 86400, got '{}': heap trimming is off",
          PROPERTY,
          v);
      return Optional.empty();
    }
    return start(Duration.ofSeconds(seconds));
  }

  /** A trimmer checking every {@code period}, when the serial collector runs; otherwise empty. */
  static Optional<HeapTrimmer> start(Duration period) {
    MemoryPoolMXBean tenured = null;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getName().equals("Tenured Gen")) {
        tenured = p;
      }
    }
    GarbageCollectorMXBean young = null;
    GarbageCollectorMXBean full = null;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      switch (gc.getName()) {
        case "Copy" -> young = gc;
        case "MarkSweepCompact" -> full = gc;
        default -> {}
      }
    }
    if (tenured == null || young == null || full == null) {
      return Optional.empty();
    }
    return Optional.of(new HeapTrimmer(tenured, young, full, period));
  }

  /**
   * Whether to ask for a full collection now.
   *
   * @param youngSinceFull young collections since the last full one
   * @param youngPeriodBefore young collections in the period before the last one
   * @param youngLastPeriod young collections in the last period
   * @param used the old generation's use now (live and dead)
   * @param live its use after the last full collection (0 before the first one)
   */
  static boolean shouldCollect(
      long youngSinceFull, long youngPeriodBefore, long youngLastPeriod, long used, long live) {
    boolean quietAgain =
        youngSinceFull >= BUSY_YOUNG_COLLECTIONS && youngLastPeriod <= QUIET_YOUNG_COLLECTIONS;
    // A load that ended: a busy period, then a quarter of its young collections or fewer. Not
    // "since the last full collection": under 100 clients the heap is full and collected in full
    // every second or two with the in-flight answers live, and `serve` at N = 100 idles at 3-4
    // young collections per 10 s, so neither rule above saw the end of the load.
    boolean loadEnded =
        youngPeriodBefore >= BUSY_YOUNG_COLLECTIONS && youngLastPeriod * 4 <= youngPeriodBefore;
    return quietAgain || loadEnded || worthCollecting(used, live);
  }

  /**
   * Whether the old generation holds enough garbage to collect it: {@code used} (live and dead)
   * more than {@code max(8 MiB, live / 2)} above {@code live}, what the last full collection left
   * (0 before the first one).
   */
  static boolean worthCollecting(long used, long live) {
    return used - live > Math.max(MIN_GARBAGE_BYTES, live / 2);
  }

  private void check() {
    try {
      long y = young.getCollectionCount();
      long f = full.getCollectionCount();
      if (f != lastFull) {
        lastFull = f;
        youngAtLastFull = y;
      }
      long lastPeriod = y - lastYoung;
      long periodBefore = youngLastPeriod;
      youngLastPeriod = lastPeriod;
      lastYoung = y;
      MemoryUsage now = tenured.getUsage();
      MemoryUsage afterLast = tenured.getCollectionUsage();
      long live = afterLast == null ? 0 : afterLast.getUsed();
      long used = now == null ? 0 : now.getUsed();
      if (shouldCollect(y - youngAtLastFull, periodBefore, lastPeriod, used, live)) {
        LOG.debug(
            "{} young collections since the last full one, {} in the last period, {} in the one"
                + " before; old generation {} KiB used, {} KiB live at the last full collection:"
                + " collecting",
            y - youngAtLastFull,
            lastPeriod,
            periodBefore,
            used >> 10,
            live >> 10);
        System.gc();
      }
    } catch (RuntimeException e) {
      LOG.debug("heap trim check failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
