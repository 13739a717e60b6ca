package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricsCollector;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Profiling harness, not a test: runs the default node collector set plus the text exposition
 * {@code scrapes} times on this thread (default 2000 after 200 warm-up scrapes) against the live
 * {@code /proc} and {@code /sys}, and prints CPU time and allocated bytes per scrape, in total and
 * per sub-collector. Run with the test classpath: {@code java -cp ...
 * io.clustermonitor.exporters.node.NodeScrapeProfile [scrapes] [warmup]}.
 */
public final class NodeScrapeProfile {
  private NodeScrapeProfile() {}

  /** Entry point: {@code [scrapes] [warmup]}. */
  public static void main(String[] args) throws Exception {
    int scrapes = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    List<MetricsCollector> subs = NodeCollector.create().subCollectors();
    Map<String, long[]> per = new TreeMap<>();
    for (MetricsCollector c : subs) {
      per.put(c.name(), new long[3]);
    }
    long[] text = new long[3];
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long proc0 = 0;
    int bytes = 0;
    long wall0 = 0;
    long cpu0 = 0;
    long alloc0 = 0;
    long[] wall = new long[scrapes];
    for (int i = -warmup; i < scrapes; i++) {
      if (i == 0) {
        for (long[] v : per.values()) {
          Arrays.fill(v, 0);
        }
        Arrays.fill(text, 0);
        wall0 = System.nanoTime();
        cpu0 = mx.getCurrentThreadCpuTime();
        alloc0 = mx.getThreadAllocatedBytes(tid);
        proc0 = os.getProcessCpuTime();
      }
      long w = System.nanoTime();
      List<MetricFamily> all = new ArrayList<>();
      for (MetricsCollector c : subs) {
        long c0 = mx.getCurrentThreadCpuTime();
        long a0 = mx.getThreadAllocatedBytes(tid);
        long w0 = System.nanoTime();
        try {
          all.addAll(c.collect());
        } catch (Exception e) {
          // a collector without its files: counted like a success 0 scrape
        }
        long[] v = per.get(c.name());
        v[0] += mx.getCurrentThreadCpuTime() - c0;
        v[1] += mx.getThreadAllocatedBytes(tid) - a0;
        v[2] += System.nanoTime() - w0;
      }
      long c0 = mx.getCurrentThreadCpuTime();
      long a0 = mx.getThreadAllocatedBytes(tid);
      long c0w = System.nanoTime();
      bytes = MetricFamily.toText(all).length();
      text[0] += mx.getCurrentThreadCpuTime() - c0;
      text[1] += mx.getThreadAllocatedBytes(tid) - a0;
      text[2] += System.nanoTime() - c0w;
      if (i >= 0) {
        wall[i] = System.nanoTime() - w;
      }
    }
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    long proc = os.getProcessCpuTime() - proc0;
    long alloc = mx.getThreadAllocatedBytes(tid) - alloc0;
    long elapsed = System.nanoTime() - wall0;
    Arrays.sort(wall);
    System.out.printf(
        "scrapes=%d body=%d chars%ncpu/scrape=%.3f ms (process %.3f ms) alloc/scrape=%.1f KiB"
            + " wall p50=%.3f ms mean=%.3f ms%n",
        scrapes,
        bytes,
        cpu / 1e6 / scrapes,
        proc / 1e6 / scrapes,
        alloc / 1024.0 / scrapes,
        wall[scrapes / 2] / 1e6,
        elapsed / 1e6 / scrapes);
    List<Map.Entry<String, long[]>> rows = new ArrayList<>(per.entrySet());
    rows.add(Map.entry("(text exposition)", text));
    rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
    for (Map.Entry<String, long[]> e : rows) {
      System.out.printf(
          "  %-20s cpu %7.3f ms  alloc %8.1f KiB  wall %7.3f ms%n",
          e.getKey(),
          e.getValue()[0] / 1e6 / scrapes,
          e.getValue()[1] / 1024.0 / scrapes,
          e.getValue()[2] / 1e6 / scrapes);
    }
  }
}
