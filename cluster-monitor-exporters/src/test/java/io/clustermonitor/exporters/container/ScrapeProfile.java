package io.clustermonitor.exporters.container;

import io.clustermonitor.core.model.BlockIoStats;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.FilesystemUsage;
import io.clustermonitor.core.model.HealthStatus;
import io.clustermonitor.core.model.ResourceLimits;
import io.clustermonitor.core.model.StatsDetails;
import io.clustermonitor.core.stats.StatsSnapshot;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * In-process profile of one container-exporter scrape at N containers: the container collector over
 * a synthetic snapshot shaped like the cgroup source's on this machine (every default kind, two
 * CPUs, one blkio device, a measured writable layer), served by the SDK's real {@code /metrics}
 * handler ({@link ExporterServer.Builder#buildEndpoints()}: collector thread, text exposition,
 * optional gzip), without a socket.
 *
 * <p>Reports, per scrape, CPU ms and allocated bytes ({@code com.sun.management.ThreadMXBean},
 * summed over every live thread, so the collector thread is counted) for {@code collect()} alone
 * and for the whole handler, then the top frames of a JFR recording of the handler runs (execution
 * samples, and allocation samples weighted by bytes).
 *
 * <p>Arguments: {@code [N=100] [scrapes=1000] [gzip=false] [jfr-top=15]}. Run with the test
 * classpath: {@code java -cp <test cp> io.clustermonitor.exporters.container.ScrapeProfile 100
 * 1000}.
 */
public final class ScrapeProfile {
  private ScrapeProfile() {}

  /** Per-scrape figures of one measured phase. */
  record Figures(double cpuMsPerScrape, double allocBytesPerScrape, int bodyBytes) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "cpu %.3f ms/scrape, alloc %.0f bytes/scrape, body %d bytes",
          cpuMsPerScrape,
          allocBytesPerScrape,
          bodyBytes);
    }
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    boolean gzip = args.length > 2 && Boolean.parseBoolean(args[2]);
    int top = args.length > 3 ? Integer.parseInt(args[3]) : 15;
    StatsSnapshot snapshot = snapshot(n);
    ContainerCollector collector = collector(snapshot);
    try (ExporterServer.Endpoints endpoints = endpoints(collector)) {
      WebRequest request = request(gzip);
      // warm-up: JIT both paths
      collectPhase(collector, Math.max(200, scrapes / 5));
      handlerPhase(endpoints, request, Math.max(200, scrapes / 5));
      Figures collect = collectPhase(collector, scrapes);
      Figures handler = handlerPhase(endpoints, request, scrapes);
      System.out.printf(Locale.ROOT, "N=%d scrapes=%d gzip=%s%n", n, scrapes, gzip);
      System.out.println("collect() only : " + collect + " (body = number of families)");
      System.out.println("GET /metrics   : " + handler);
      if (top > 0) {
        jfr(endpoints, request, scrapes, top);
      }
    }
  }

  static ContainerCollector collector(StatsSnapshot snapshot) {
    return ContainerCollector.builder(() -> snapshot, Fixtures::systemInfo)
        .exporterVersion("test")
        .build();
  }

  static ExporterServer.Endpoints endpoints(ContainerCollector collector) {
    return ExporterServer.builder()
        .namespace("container_exporter")
        .register(collector)
        .collectorTimeout(Duration.ofSeconds(30))
        .buildEndpoints();
  }

  static WebRequest request(boolean gzip) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Accept", List.of("text/plain"));
    if (gzip) {
      headers.put("Accept-Encoding", List.of("gzip"));
    }
    return WebRequest.of("GET", "/metrics", headers);
  }

  static Figures collectPhase(ContainerCollector collector, int scrapes) {
    Meter m = new Meter();
    int size = 0;
    for (int i = 0; i < scrapes; i++) {
      size += collector.collect().size();
    }
    return m.done(scrapes, size / scrapes);
  }

  static Figures handlerPhase(ExporterServer.Endpoints endpoints, WebRequest request, int scrapes)
      throws Exception {
    Meter m = new Meter();
    int body = 0;
    for (int i = 0; i < scrapes; i++) {
      WebResponse r = endpoints.handle(request);
      if (r.status() != 200) {
        throw new IllegalStateException("status " + r.status());
      }
      body = r.bodyLength();
      r.release(); // as the server does once the body is written
    }
    return m.done(scrapes, body);
  }

  /** CPU time and allocated bytes over every live thread, from construction to {@link #done}. */
  static final class Meter {
    private final com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Map<Long, long[]> start = sample();

    private Map<Long, long[]> sample() {
      long[] ids = mx.getAllThreadIds();
      long[] alloc = mx.getThreadAllocatedBytes(ids);
      long[] cpu = mx.getThreadCpuTime(ids);
      Map<Long, long[]> out = new HashMap<>();
      for (int i = 0; i < ids.length; i++) {
        out.put(ids[i], new long[] {Math.max(0, cpu[i]), Math.max(0, alloc[i])});
      }
      return out;
    }

    Figures done(int scrapes, int body) {
      Map<Long, long[]> end = sample();
      long cpu = 0;
      long alloc = 0;
      for (Map.Entry<Long, long[]> e : end.entrySet()) {
        long[] s = start.getOrDefault(e.getKey(), new long[2]);
        cpu += e.getValue()[0] - s[0];
        alloc += e.getValue()[1] - s[1];
      }
      // threads that ended during the phase are not counted; the SDK's collector pool keeps its
      // threads for 60 s and the phases run back to back, so none end here
      return new Figures(cpu / 1e6 / scrapes, (double) alloc / scrapes, body);
    }
  }

  private static void jfr(
      ExporterServer.Endpoints endpoints, WebRequest request, int scrapes, int top)
      throws Exception {
    Path file = Files.createTempFile("scrape-profile", ".jfr");
    try (Recording rec = new Recording()) {
      rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      rec.enable("jdk.ObjectAllocationSample");
      rec.start();
      handlerPhase(endpoints, request, scrapes);
      rec.stop();
      rec.dump(file);
    }
    Map<String, Long> cpu = new HashMap<>();
    Map<String, Long> alloc = new HashMap<>();
    long cpuTotal = 0;
    long allocTotal = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String frame = topFrame(e.getStackTrace());
      if (frame == null) {
        continue;
      }
      switch (e.getEventType().getName()) {
        case "jdk.ExecutionSample" -> {
          cpu.merge(frame, 1L, Long::sum);
          cpuTotal++;
        }
        case "jdk.ObjectAllocationSample" -> {
          long w = e.getLong("weight");
          alloc.merge(frame + " [" + e.getClass("objectClass").getName() + "]", w, Long::sum);
          allocTotal += w;
        }
        default -> {}
      }
    }
    Files.deleteIfExists(file);
    print("JFR execution samples, top frames", cpu, cpuTotal, top);
    print("JFR allocation samples (by weight), top frames", alloc, allocTotal, top);
  }

  private static String topFrame(RecordedStackTrace st) {
    if (st == null || st.getFrames().isEmpty()) {
      return null;
    }
    RecordedFrame f = st.getFrames().get(0);
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void print(String title, Map<String, Long> counts, long total, int top) {
    System.out.println(title + " (" + total + "):");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(top)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "  %5.1f%%  %s%n",
                    total == 0 ? 0 : 100.0 * e.getValue() / total,
                    e.getKey()));
  }

  /**
   * N running containers as the cgroup source reports them here: two CPUs, one blkio device with
   * service bytes and counts, a measured writable layer, no network ({@code --network none}).
   */
  static StatsSnapshot snapshot(int n) {
    List<ContainerSummary> containers = new ArrayList<>();
    Map<String, ContainerStats> stats = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String id = String.format(Locale.ROOT, "%064x", 0x5eedL * 1_000_003L + i);
      String name = "cm-bench-" + i;
      containers.add(
          Fixtures.container(
              id,
              name,
              ContainerState.RUNNING,
              HealthStatus.NONE,
              Map.of("cluster-monitor.test", "1"),
              ResourceLimits.NONE));
      StatsDetails details =
          new StatsDetails(
              List.of(1_234_567_891L + i, 987_654_321L + 7L * i),
              1_048_576L + i,
              5000 + i,
              12,
              5100 + i,
              13,
              0,
              List.of(
                  new BlockIoStats(
                      8,
                      0,
                      "/dev/sda",
                      Map.of("Read", 4096L * i, "Write", 8192L, "Total", 8192L + 4096L * i),
                      Map.of("Read", (long) i, "Write", 2L, "Total", 2L + i),
                      Map.of(),
                      Map.of(),
                      Map.of(),
                      Map.of(),
                      0)),
              new FilesystemUsage(
                  "/dev/vda",
                  1_052_672L + i,
                  1_048_576L,
                  7,
                  270_553_174_016L,
                  Fixtures.AT.minusSeconds(20),
                  true));
      stats.put(
          id,
          ContainerStats.of(
              id,
              name,
              "local",
              null,
              Fixtures.sample(2_221_222_212L + 1_000_003L * i, List.of(), List.of(), details)));
    }
    return new StatsSnapshot("local", Fixtures.AT, true, "", "cgroup", containers, stats, Map.of());
  }
}
