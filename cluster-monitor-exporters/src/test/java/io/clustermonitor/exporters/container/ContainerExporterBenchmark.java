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
      double dockerStatsMax,
      double[] samplerPct,
      double[] walkerPct) {}

  /** Overall time bound of a run ({@code -Dbench.maxMinutes}, default 40). */
  private static final Duration MAX_RUN = Duration.ofMinutes(Long.getLong("bench.maxMinutes", 40));

  public static void main(String[] args) throws Exception {
    Path doc = Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md");
    int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int[] counts =
        args.length > 3
            ? Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).sorted().toArray()
            : new int[] {10, 50, 100};
    // -Dbench.existing=REGEX: measure the running containers whose name matches (e.g. shared
    // ones), at their count; nothing is started or removed. -Dbench.clients=raw,jdk: the clients
    // to alternate (raw = KeepAliveClient, jdk = java.net.http.HttpClient); the first one's
    // figures go to the table. -Dbench.rounds=R: rounds per N, the clients alternating in each.
    String existing = System.getProperty("bench.existing", "");
    List<String> clients = List.of(System.getProperty("bench.clients", "raw").split(","));
    int rounds = Integer.getInteger("bench.rounds", 1);
    boolean writeDoc = Boolean.parseBoolean(System.getProperty("bench.write", "true"));
    long deadline = System.nanoTime() + MAX_RUN.toNanos();
    List<Row> rows = new ArrayList<>();
    try (LiveDocker docker = new LiveDocker(ContainerExporterBenchmark.class)) {
      Runtime.getRuntime().addShutdownHook(new Thread(docker::close)); // also on Ctrl-C
      if (!docker.engineAvailable()) {
        throw new IllegalStateException("no Docker engine at " + LiveDocker.DOCKER_HOST);
      }
      DockerEndpoint endpoint = DockerEndpoint.builder(LiveDocker.DOCKER_HOST).build();
      if (!existing.isEmpty()) {
        List<String> names = runningMatching(docker, existing);
        rows.add(measure(docker, endpoint, names, existing, scrapes, warmup, clients, rounds));
        System.out.printf(Locale.ROOT, "%s%n", rows.get(rows.size() - 1));
      } else {
        List<String> names = new ArrayList<>();
        for (int n : counts) {
          // bounded start: one container at a time, each docker run with its own timeout, the
          // whole run within MAX_RUN; LiveDocker.close removes them one at a time
          while (names.size() < n) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException(
                  "run time bound " + MAX_RUN + " reached while starting containers");
            }
            String name = docker.uniqueName("cm-bench-" + names.size());
            docker.run("--name", name, "IMAGE", "sleep", "36000");
            names.add(name);
          }
          rows.add(
              measure(docker, endpoint, names, "cm-bench-.*", scrapes, warmup, clients, rounds));
          System.out.printf(Locale.ROOT, "%s%n", rows.get(rows.size() - 1));
          if (System.nanoTime() > deadline) {
            System.out.println("run time bound " + MAX_RUN + " reached: larger N skipped");
            break;
          }
        }
      }
    }
    if (writeDoc) {
      write(doc, rows, scrapes, warmup);
    }
  }

  private static List<String> runningMatching(LiveDocker docker, String regex) {
    List<String> names = new ArrayList<>();
    for (String line : docker.exec(List.of("ps", "--format", "{{.Names}}")).split("\\s+")) {
      if (!line.isBlank() && line.matches(regex)) {
        names.add(line);
      }
    }
    if (names.isEmpty()) {
      throw new IllegalStateException("no running container matches " + regex);
    }
    return names;
  }

  /** One client's timed scrapes of one round. */
  record Round(
      String client,
      double[] ms,
      double ttfbP50,
      double serverCpuMs,
      double clientCpuMs,
      long gcs,
      long gcMs,
      int body) {}

  private interface Client extends AutoCloseable {
    int get() throws Exception;

    /** Nanos of the first byte of the last answer, 0 when unknown. */
    long firstByte();

    @Override
    void close() throws java.io.IOException;
  }

  private static Client client(String kind, java.net.URI uri) {
    if (kind.equals("jdk")) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest req = HttpRequest.newBuilder(uri).build();
      return new Client() {
        @Override
        public int get() throws Exception {
          return http.send(req, HttpResponse.BodyHandlers.ofByteArray()).body().length;
        }

        @Override
        public long firstByte() {
          return 0;
        }

        @Override
        public void close() {}
      };
    }
    KeepAliveClient raw = new KeepAliveClient(uri);
    return new Client() {
      @Override
      public int get() throws Exception {
        return raw.get();
      }

      @Override
      public long firstByte() {
        return raw.firstByteNanos();
      }

      @Override
      public void close() throws java.io.IOException {
        raw.close();
      }
    };
  }

  private static Round timed(String kind, Client c, int scrapes) throws Exception {
    double[] ms = new double[scrapes];
    double[] ttfb = new double[scrapes];
    long cpuBefore = serverCpuNanos();
    long clientBefore = clientCpuNanos();
    long[] gcBefore = gc();
    java.util.Map<String, Long> threadsBefore = threadCpu();
    int body = 0;
    for (int i = 0; i < scrapes; i++) {
      long t = System.nanoTime();
      body = c.get();
      long now = System.nanoTime();
      ms[i] = (now - t) / 1e6;
      ttfb[i] = c.firstByte() == 0 ? 0 : (c.firstByte() - t) / 1e6;
    }
    double cpuMs = (serverCpuNanos() - cpuBefore) / 1e6 / scrapes;
    double clientMs = (clientCpuNanos() - clientBefore) / 1e6 / scrapes;
    long[] gcAfter = gc();
    if (Boolean.getBoolean("bench.threads")) {
      java.util.Map<String, Long> after = threadCpu();
      java.util.Map<String, Double> perGroup = new java.util.TreeMap<>();
      after.forEach(
          (name, cpu) ->
              perGroup.merge(
                  name.replaceAll("[-#]?\\d+$", ""),
                  (cpu - threadsBefore.getOrDefault(name, 0L)) / 1e6 / scrapes,
                  Double::sum));
      perGroup.values().removeIf(v -> v < 0.01);
      System.out.println("  cpu ms/scrape by thread group (" + kind + "): " + perGroup);
    }
    Arrays.sort(ms);
    Arrays.sort(ttfb);
    return new Round(
        kind,
        ms,
        percentile(ttfb, 50),
        cpuMs,
        clientMs,
        gcAfter[0] - gcBefore[0],
        gcAfter[1] - gcBefore[1],
        body);
  }

  private static long[] gc() {
    long count = 0;
    long ms = 0;
    for (var b : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, b.getCollectionCount());
      ms += Math.max(0, b.getCollectionTime());
    }
    return new long[] {count, ms};
  }

  private static Row measure(
      LiveDocker docker,
      DockerEndpoint endpoint,
      List<String> names,
      String include,
      int scrapes,
      int warmup,
      List<String> clients,
      int rounds)
      throws Exception {
    int n = names.size();
    try (StatsEngine engine =
            StatsEngine.builder(endpoint).samplingInterval(Duration.ofSeconds(1)).buildAndStart();
        ExporterServer server =
            ExporterServer.builder()
                .register(
                    ContainerCollector.builder(engine::snapshot, () -> null)
                        .include(include)
                        .build())
                .start()) {
      // wait until the engine has stats for all n containers
      long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (engine.snapshot().stats().size() < n && System.nanoTime() < until) {
        Thread.sleep(200);
      }
      double[][] idle = idlePercent();
      double[] sampler = idle[0];
      System.out.printf(
          Locale.ROOT,
          "N=%d idle %% of one core: sampler %s, disk-usage walker %s%n",
          n,
          Arrays.toString(sampler),
          Arrays.toString(idle[1]));
      java.net.URI uri = server.uri().resolve("/metrics");
      List<Client> open = new ArrayList<>();
      List<Round> all = new ArrayList<>();
      try {
        for (String kind : clients) {
          Client c = client(kind, uri);
          open.add(c);
          for (int i = 0; i < warmup; i++) {
            c.get();
          }
        }
        for (int r = 0; r < rounds; r++) {
          for (int k = 0; k < clients.size(); k++) {
            // alternate the order per round so neither client always runs first
            int j = (r % 2 == 0) ? k : clients.size() - 1 - k;
            Round round = timed(clients.get(j), open.get(j), scrapes);
            all.add(round);
            System.out.printf(
                Locale.ROOT,
                "N=%d round %d %-3s p50 %.2f p99 %.2f max %.2f ms, ttfb p50 %.2f ms, server cpu"
                    + " %.2f ms, client cpu %.2f ms, gc %d (%d ms), body %d, load %.2f%n",
                n,
                r,
                round.client(),
                percentile(round.ms(), 50),
                percentile(round.ms(), 99),
                round.ms()[round.ms().length - 1],
                round.ttfbP50(),
                round.serverCpuMs(),
                round.clientCpuMs(),
                round.gcs(),
                round.gcMs(),
                round.body(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
          }
        }
      } finally {
        for (Client c : open) {
          c.close();
        }
      }
      String primary = clients.get(0);
      double[] ms =
          all.stream()
              .filter(r -> r.client().equals(primary))
              .flatMapToDouble(r -> Arrays.stream(r.ms()))
              .sorted()
              .toArray();
      double cpuMs =
          all.stream()
              .filter(r -> r.client().equals(primary))
              .mapToDouble(Round::serverCpuMs)
              .average()
              .orElse(0);
      int body = all.get(all.size() - 1).body();
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
          stats[2],
          sampler,
          idle[1]);
    }
  }

  /** Idle windows measured for the sampler's CPU, and their length. */
  private static final int SAMPLER_WINDOWS = 3;

  private static final Duration SAMPLER_WINDOW = Duration.ofSeconds(10);

  /**
   * CPU of the stats engine's sampling thread ({@code cluster-monitor-stats-*}) and of its
   * disk-usage walker ({@code cluster-monitor-disk-usage}) in percent of one core, over {@link
   * #SAMPLER_WINDOWS} windows with nobody scraping; each sorted.
   */
  private static double[][] idlePercent() throws InterruptedException {
    double[] sampler = new double[SAMPLER_WINDOWS];
    double[] walker = new double[SAMPLER_WINDOWS];
    for (int i = 0; i < SAMPLER_WINDOWS; i++) {
      long s0 = threadCpuNanos("cluster-monitor-stats-");
      long w0 = threadCpuNanos("cluster-monitor-disk-usage");
      long t = System.nanoTime();
      Thread.sleep(SAMPLER_WINDOW.toMillis());
      double elapsed = System.nanoTime() - t;
      sampler[i] = 100.0 * (threadCpuNanos("cluster-monitor-stats-") - s0) / elapsed;
      walker[i] = 100.0 * (threadCpuNanos("cluster-monitor-disk-usage") - w0) / elapsed;
    }
    Arrays.sort(sampler);
    Arrays.sort(walker);
    return new double[][] {sampler, walker};
  }

  private static long threadCpuNanos(String namePrefix) {
    return cpuNanos(name -> name.startsWith(namePrefix));
  }

  /** CPU time of the live threads whose name {@code name} accepts. */
  private static long cpuNanos(java.util.function.Predicate<String> name) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null && name.test(info.getThreadName())) {
        sum += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }

  private static java.util.Map<String, Long> threadCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null) {
        out.put(
            info.getThreadName() + "#" + info.getThreadId(),
            Math.max(0, mx.getThreadCpuTime(info.getThreadId())));
      }
    }
    return out;
  }

  /** CPU time of the benchmark's client threads (main and the JDK client's). */
  private static long clientCpuNanos() {
    return cpuNanos(name -> name.equals("main") || name.startsWith("HttpClient-"));
  }

  /**
   * CPU time of the exporter's HTTP and collector threads (the JVM also runs the client). The HTTP
   * pool's threads are named after the server ({@code cm-exporter-N}); an earlier version counted
   * {@code cm-http-} only and so missed the rendering and writing of the body.
   */
  private static long serverCpuNanos() {
    return cpuNanos(
        name ->
            name.startsWith("cm-http-")
                || name.startsWith("cm-exporter-")
                || name.startsWith("cm-collector-"));
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
                    + " per round, timed by a minimal keep-alive HTTP/1.1 client that reads the body"
                    + " into one reused array (`KeepAliveClient`; the JDK `HttpClient` used before"
                    + " cost about 4.5 ms of CPU per 1 MB scrape in the same JVM, more than the"
                    + " exporter). CPU per scrape is the CPU time of the exporter's HTTP pool and"
                    + " collector threads over the timed scrapes divided by their number (the stats"
                    + " engine's background sampling is not part of a scrape and is not counted). The"
                    + " sampler column is the CPU of the stats engine's sampling thread"
                    + " (`cluster-monitor-stats-*`, every default kind on, 1 s sampling) in 3 idle"
                    + " windows of 10 s before the scrapes, %% of one core, median (min–max); the"
                    + " walker column the same for the writable-layer disk-usage walker"
                    + " (`cluster-monitor-disk-usage`), whose first walk of new containers falls in"
                    + " these windows. The"
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
            + " sampler % of one core | walker % of one core | `docker stats --no-stream` ms"
            + " (median, min–max) |\n");
    s.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Row r : rows) {
      s.append(
          String.format(
              Locale.ROOT,
              "| %d | %.2f | %.2f | %.2f–%.2f | %.2f | %d | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) |"
                  + " %.0f (%.0f–%.0f) |\n",
              r.n(),
              r.p50(),
              r.p99(),
              r.min(),
              r.max(),
              r.cpuMsPerScrape(),
              r.bodyBytes(),
              r.samplerPct()[1],
              r.samplerPct()[0],
              r.samplerPct()[2],
              r.walkerPct()[1],
              r.walkerPct()[0],
              r.walkerPct()[2],
              r.dockerStatsMedian(),
              r.dockerStatsMin(),
              r.dockerStatsMax()));
    }
    s.append("\nTargets (issue 15):\n\n");
    for (Row r : rows) {
      double p99Target = r.n() == 100 ? 15 : r.n() == 500 ? 60 : 0;
      double samplerTarget = r.n() == 100 ? 3 : r.n() == 500 ? 10 : 0;
      if (p99Target == 0) {
        continue;
      }
      s.append(
          String.format(
              Locale.ROOT,
              "- N = %d: scrape p99 ≤ %.0f ms — %.2f ms, %s; sampler ≤ %.0f %% of a core — %.2f %%"
                  + " (median), %s\n",
              r.n(),
              p99Target,
              r.p99(),
              r.p99() <= p99Target ? "met" : "NOT met",
              samplerTarget,
              r.samplerPct()[1],
              r.samplerPct()[1] <= samplerTarget ? "met" : "NOT met"));
    }
    s.append("\n");
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
