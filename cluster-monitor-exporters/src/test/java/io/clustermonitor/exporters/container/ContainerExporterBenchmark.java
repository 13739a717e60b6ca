package io.clustermonitor.exporters.container;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.stats.StatsEngine;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.livetest.LiveDocker;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code scripts/bench.sh container-exporter}: scrape latency, body size and CPU per scrape of the
 * container exporter at N = 10, 50, 100 running containers, with {@code docker stats --no-stream}
 * timed at the same N as the same-run baseline. Writes its section of docs/benchmarks.md.
 *
 * <p>Arguments: {@code <benchmarks.md> [scrapes=300] [warmup=200] [Ns=10,50,100]} (the last a
 * comma-separated list of container counts, ascending, for a smaller run; the target line speaks of
 * the largest N as if it were 100).
 */
public final class ContainerExporterBenchmark {
  private static final String HEADING =
      "## Container exporter (`scripts/bench.sh container-exporter`)";

  private ContainerExporterBenchmark() {}

  record Row(
      int n,
      double p50,
      double p99,
      double min,
      double max,
      double cpuMsPerScrape,
      int bodyBytes,
      double dockerStatsMedian,
      double dockerStatsMin,
      double dockerStatsMax) {}

  public static void main(String[] args) throws Exception {
    Path doc = Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md");
    int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int[] counts =
        args.length > 3
            ? Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).sorted().toArray()
            : new int[] {10, 50, 100};
    List<Row> rows = new ArrayList<>();
    try (LiveDocker docker = new LiveDocker(ContainerExporterBenchmark.class)) {
      Runtime.getRuntime().addShutdownHook(new Thread(docker::close)); // also on Ctrl-C
      if (!docker.engineAvailable()) {
        throw new IllegalStateException("no Docker engine at " + LiveDocker.DOCKER_HOST);
      }
      DockerEndpoint endpoint = DockerEndpoint.builder(LiveDocker.DOCKER_HOST).build();
      List<String> names = new ArrayList<>();
      for (int n : counts) {
        while (names.size() < n) {
          String name = docker.uniqueName("cm-bench-" + names.size());
          docker.run("--name", name, "IMAGE", "sleep", "3600");
          names.add(name);
        }
        rows.add(measure(docker, endpoint, names, scrapes, warmup));
        System.out.printf(Locale.ROOT, "%s%n", rows.get(rows.size() - 1));
      }
    }
    write(doc, rows, scrapes, warmup);
  }

  private static Row measure(
      LiveDocker docker, DockerEndpoint endpoint, List<String> names, int scrapes, int warmup)
      throws Exception {
    int n = names.size();
    try (StatsEngine engine =
            StatsEngine.builder(endpoint).samplingInterval(Duration.ofSeconds(1)).buildAndStart();
        ExporterServer server =
            ExporterServer.builder()
                .register(
                    ContainerCollector.builder(engine::snapshot, () -> null)
                        .include("cm-bench-.*")
                        .build())
                .start()) {
      // wait until the engine has stats for all n containers
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (engine.snapshot().stats().size() < n && System.nanoTime() < until) {
        Thread.sleep(200);
      }
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest req = HttpRequest.newBuilder(server.uri().resolve("/metrics")).build();
      int body = 0;
      for (int i = 0; i < warmup; i++) {
        body = http.send(req, HttpResponse.BodyHandlers.ofByteArray()).body().length;
      }
      double[] ms = new double[scrapes];
      long cpuBefore = serverCpuNanos();
      for (int i = 0; i < scrapes; i++) {
        long t = System.nanoTime();
        body = http.send(req, HttpResponse.BodyHandlers.ofByteArray()).body().length;
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
      double cpuMs = (serverCpuNanos() - cpuBefore) / 1e6 / scrapes;
      Arrays.sort(ms);
      double[] stats = new double[3];
      for (int i = 0; i < stats.length; i++) {
        long t = System.nanoTime();
        List<String> cmd = new ArrayList<>(List.of("stats", "--no-stream", "--format", "{{.ID}}"));
        cmd.addAll(names);
        docker.exec(cmd);
        stats[i] = (System.nanoTime() - t) / 1e6;
      }
      Arrays.sort(stats);
      return new Row(
          n,
          percentile(ms, 50),
          percentile(ms, 99),
          ms[0],
          ms[ms.length - 1],
          cpuMs,
          body,
          stats[1],
          stats[0],
          stats[2]);
    }
  }

  /** CPU time of the exporter's HTTP and collector threads (the JVM also runs the client). */
  private static long serverCpuNanos() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null
          && (info.getThreadName().startsWith("cm-http-")
              || info.getThreadName().startsWith("cm-collector-"))) {
        long cpu = mx.getThreadCpuTime(info.getThreadId());
        sum += Math.max(0, cpu);
      }
    }
    return sum;
  }

  private static double percentile(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static void write(Path doc, List<Row> rows, int scrapes, int warmup) throws Exception {
    StringBuilder s = new StringBuilder(HEADING).append("\n\n");
    String when =
        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
    s.append(
            String.format(
                Locale.ROOT,
                "Measured %s UTC on this machine (%d CPUs), one run. For each N, N running `sleep`"
                    + " containers (test image, `--network none`); the exporter (live stats engine,"
                    + " cgroup source, 1 s sampling, plus `ExporterServer`) runs in the benchmark JVM;"
                    + " %d warm-up scrapes, then %d sequential `GET /metrics` (text format, no gzip)"
                    + " timed by the client. CPU per scrape is the CPU time of the exporter's HTTP and"
                    + " collector threads over the timed scrapes divided by their number (the stats"
                    + " engine's background sampling is not part of a scrape and is not counted). The"
                    + " baseline is `docker stats --no-stream` at the same N, run 3 times (median,"
                    + " min–max).\n\n",
                when,
                Runtime.getRuntime().availableProcessors(),
                warmup,
                scrapes))
        .append(
            String.format(
                Locale.ROOT,
                "Load average at the end of the run: %.2f (shared machine; compare rows of the same"
                    + " run).\n\n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    s.append(
        "| N | scrape p50 ms | scrape p99 ms | min–max ms | CPU ms/scrape | body bytes |"
            + " `docker stats --no-stream` ms (median, min–max) |\n");
    s.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Row r : rows) {
      s.append(
          String.format(
              Locale.ROOT,
              "| %d | %.2f | %.2f | %.2f–%.2f | %.2f | %d | %.0f (%.0f–%.0f) |\n",
              r.n(),
              r.p50(),
              r.p99(),
              r.min(),
              r.max(),
              r.cpuMsPerScrape(),
              r.bodyBytes(),
              r.dockerStatsMedian(),
              r.dockerStatsMin(),
              r.dockerStatsMax()));
    }
    Row last = rows.get(rows.size() - 1);
    s.append(
        String.format(
            Locale.ROOT,
            "\nTarget: p99 ≤ 15 ms at N = 100 — %.2f ms, %s.\n\n",
            last.p99(),
            last.p99() <= 15 ? "met" : "NOT met"));
    String section = s.toString();
    String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n";
    int start = text.indexOf(HEADING);
    if (start >= 0) {
      int next = text.indexOf("\n## ", start + HEADING.length());
      text = text.substring(0, start) + section + (next >= 0 ? text.substring(next + 1) : "");
    } else {
      text = text.endsWith("\n\n") ? text + section : text + "\n" + section;
    }
    Files.writeString(doc, text);
    System.out.print(section);
  }
}
