package io.clustermonitor.exporters.container;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.stats.StatsEngine;
import io.clustermonitor.core.stats.StatsSourceChoice;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.livetest.LiveDocker;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The cAdvisor-parity exporter at N running containers, every default kind on: scrape p50/p99 over
 * HTTP, the sampler thread's and the writable-layer walker's CPU in % of one core over a window.
 * Each container writes 1 MiB into its writable layer. Containers are started one at a time (at
 * most 10 minutes) and removed one at a time. Prints one line per N.
 *
 * <p>Arguments: {@code N [window-seconds=60] [diskUsageInterval-seconds=60] [scrapes=300]}.
 */
public final class ContainerParityBenchmark {
  private ContainerParityBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int duSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    int scrapes = args.length > 3 ? Integer.parseInt(args[3]) : 300;
    try (LiveDocker docker = new LiveDocker(ContainerParityBenchmark.class)) {
      Runtime.getRuntime().addShutdownHook(new Thread(docker::close));
      long startDeadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      List<String> ids = new ArrayList<>();
      while (ids.size() < n && System.nanoTime() < startDeadline) {
        ids.add(
            docker.run(
                "--name",
                docker.uniqueName("cm-pbench-" + ids.size()),
                "IMAGE",
                "sh",
                "-c",
                "dd if=/dev/zero of=/f bs=1048576 count=1 2>/dev/null; sleep 3600"));
      }
      DockerEndpoint endpoint = DockerEndpoint.builder(LiveDocker.DOCKER_HOST).build();
      try (StatsEngine engine =
              StatsEngine.builder(endpoint)
                  .statsSource(StatsSourceChoice.CGROUP)
                  .samplingInterval(Duration.ofSeconds(1))
                  .diskUsageInterval(Duration.ofSeconds(duSeconds))
                  .buildAndStart();
          ExporterServer server =
              ExporterServer.builder()
                  .register(
                      ContainerCollector.builder(engine::snapshot, () -> null)
                          .include("cm-pbench-.*")
                          .build())
                  .start()) {
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (engine.snapshot().stats().size() < ids.size() && System.nanoTime() < until) {
          Thread.sleep(200);
        }
        // first full walk: every container has a figure
        long firstWalkStart = System.nanoTime();
        until = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < until
            && engine.snapshot().stats().values().stream()
                    .filter(s -> s.current().details().filesystem() != null)
                    .count()
                < ids.size()) {
          Thread.sleep(200);
        }
        double firstWalkSec = (System.nanoTime() - firstWalkStart) / 1e9;
        long sampler0 = cpu("cluster-monitor-stats-");
        long walker0 = cpu("cluster-monitor-disk-usage");
        long t0 = System.nanoTime();
        Thread.sleep(window * 1000L);
        double wall = (System.nanoTime() - t0) / 1e9;
        double samplerPct = (cpu("cluster-monitor-stats-") - sampler0) / 1e9 / wall * 100;
        double walkerPct = (cpu("cluster-monitor-disk-usage") - walker0) / 1e9 / wall * 100;
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(server.uri().resolve("/metrics")).build();
        int body = 0;
        for (int i = 0; i < 100; i++) {
          body = http.send(req, HttpResponse.BodyHandlers.ofByteArray()).body().length;
        }
        double[] ms = new double[scrapes];
        for (int i = 0; i < scrapes; i++) {
          long t = System.nanoTime();
          body = http.send(req, HttpResponse.BodyHandlers.ofByteArray()).body().length;
          ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(
            Locale.ROOT,
            "RESULT n=%d running=%d scrape_p50_ms=%.2f scrape_p99_ms=%.2f body_bytes=%d"
                + " sampler_pct_core=%.2f walker_pct_core=%.3f window_s=%.0f du_interval_s=%d"
                + " first_full_walk_s=%.1f%n",
            n,
            engine.snapshot().stats().size(),
            ms[ms.length / 2],
            ms[(int) Math.ceil(0.99 * ms.length) - 1],
            body,
            samplerPct,
            walkerPct,
            wall,
            duSeconds,
            firstWalkSec);
      }
      for (String id : ids) {
        docker.remove(id); // one at a time (moby#46661)
      }
    }
  }

  private static long cpu(String threadPrefix) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(threadPrefix)) {
        sum += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }
}
