package io.clustermonitor.examples.api;

import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.exporters.web.WebHandler;
import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * In-process cost of one REST API request, without the network: calls {@link RestApi#handler()} for
 * a snapshot of N running containers (default 100) R times (default 2,000) per path (the list
 * served from its cache, the list computed afresh, one container's stats) and prints CPU ms and
 * allocated bytes per request from {@link com.sun.management.ThreadMXBean}, then (with {@code
 * --jfr}) samples the same loop with JFR and prints the top frames.
 *
 * <p>Arguments: {@code [containers=100] [requests=2000] [--jfr]}. Run from the test classpath (see
 * {@code scripts/bench/api.sh} for how it is built).
 */
public final class ApiHandlerCost {
  private ApiHandlerCost() {}

  /** One path's figures. */
  record Cost(String path, double cpuMsPerRequest, double bytesPerRequest, int bodyBytes) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 100;
    int requests = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 2000;
    boolean jfr = List.of(args).contains("--jfr");
    FakeDockerMonitor docker = monitor(n);
    try (RestApi api =
        RestApi.builder(docker)
            .procRoot(null)
            .clock(Clock.fixed(FakeDockerMonitor.T0, ZoneOffset.UTC))
            .build()) {
      WebHandler h = api.handler();
      String stats = "/api/containers/" + FakeDockerMonitor.hexId(1) + "/stats";
      // The two list targets in turn give the same answer but never hit the one-entry list cache:
      // that row is the cost of computing the list afresh (as after every change of a container).
      for (String path :
          List.of("/api/containers", "/api/containers|/api/containers?all=false", stats)) {
        measure(h, path, requests); // warm-up
        Cost c = measure(h, path, requests);
        System.out.printf(
            Locale.ROOT,
            "%s: %.4f ms CPU, %.0f bytes allocated per request (%d requests, body %d bytes)%n",
            path,
            c.cpuMsPerRequest(),
            c.bytesPerRequest(),
            requests,
            c.bodyBytes());
      }
      if (jfr) {
        topFrames(h, "/api/containers", Math.max(requests, 20_000));
      }
    }
  }

  /** A monitor with {@code n} running containers carrying a few labels each. */
  static FakeDockerMonitor monitor(int n) {
    FakeDockerMonitor docker = new FakeDockerMonitor();
    for (int i = 1; i <= n; i++) {
      docker.add(
          i,
          "bench-" + i,
          ContainerState.RUNNING,
          Map.of(
              "com.docker.compose.project", "bench",
              "com.docker.compose.service", "svc-" + i,
              "cm.test", "1"),
          "none");
    }
    return docker;
  }

  static Cost measure(WebHandler h, String path, int requests) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    String[] targets = path.split("\\|");
    WebRequest[] reqs = new WebRequest[targets.length];
    for (int i = 0; i < targets.length; i++) {
      reqs[i] = WebRequest.of("GET", targets[i], Map.of());
    }
    int body = 0;
    long cpu0 = mx.getThreadCpuTime(tid);
    long alloc0 = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < requests; i++) {
      WebResponse r = h.handle(reqs[i % reqs.length]);
      if (r.status() != 200) {
        throw new IllegalStateException(path + " answered " + r.status() + ": " + r.bodyText());
      }
      body = r.body().length;
    }
    long cpu = mx.getThreadCpuTime(tid) - cpu0;
    long alloc = mx.getThreadAllocatedBytes(tid) - alloc0;
    return new Cost(path, cpu / 1e6 / requests, (double) alloc / requests, body);
  }

  private static void topFrames(WebHandler h, String path, int requests) throws Exception {
    Path file = Files.createTempFile("api-cost", ".jfr");
    try {
      try (Recording r = new Recording()) {
        r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
        r.enable("jdk.ObjectAllocationSample");
        r.start();
        measure(h, path, requests);
        r.stop();
        r.dump(file);
      }
      Map<String, Integer> cpuTop = new HashMap<>();
      Map<String, Long> allocTop = new HashMap<>();
      int samples = 0;
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        if (e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty()) {
          continue;
        }
        boolean cpu = e.getEventType().getName().equals("jdk.ExecutionSample");
        if (!"main".equals(e.getThread(cpu ? "sampledThread" : "eventThread").getJavaName())) {
          continue;
        }
        String frame = ownFrame(e.getStackTrace().getFrames());
        if (cpu) {
          cpuTop.merge(frame, 1, Integer::sum);
          samples++;
        } else {
          allocTop.merge(frame, e.getLong("weight"), Long::sum);
        }
      }
      System.out.println("JFR top frames (" + samples + " CPU samples of the main thread):");
      print(cpuTop);
      System.out.println("JFR top allocation sites (sampled weight, bytes):");
      print(allocTop);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The top frame, then the first frame of this project under it, e.g. {@code a <- Json.x}. */
  private static String ownFrame(List<RecordedFrame> frames) {
    String top = name(frames.get(0));
    for (RecordedFrame f : frames) {
      String n = name(f);
      if (n.startsWith("io.clustermonitor.")) {
        return n.equals(top) ? top : top + " <- " + n;
      }
    }
    return top;
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static <V extends Comparable<V>> void print(Map<String, V> m) {
    List<Map.Entry<String, V>> e = new ArrayList<>(m.entrySet());
    e.sort(Map.Entry.<String, V>comparingByValue().reversed());
    for (Map.Entry<String, V> x : e.subList(0, Math.min(15, e.size()))) {
      System.out.println("  " + x.getValue() + "  " + x.getKey());
    }
  }
}
