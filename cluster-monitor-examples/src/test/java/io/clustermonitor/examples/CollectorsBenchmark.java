package io.clustermonitor.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * {@code scripts/bench.sh collectors}: each of our exporters against its Go reference (Debian
 * node_exporter 1.5, postgres_exporter 0.11, redis_exporter 1.45) in the same run, each as its own
 * process on loopback, scrapes alternating between the two: p50/p99 over 100 scrapes each after a
 * warm-up, CPU time per scrape (utime+stime from /proc/PID/stat), and RSS after the run. Writes its
 * section of docs/benchmarks.md.
 *
 * <p>Arguments: {@code [classpath] [benchmarks.md] [scrapes=100] [warmup=200]}. With {@code
 * --launch NAME ARGS...} it runs one of our exporter commands in this JVM (the child processes).
 */
final class CollectorsBenchmark {
  static final String SECTION =
      "## Host, PostgreSQL and Redis collectors (`scripts/bench.sh collectors`)";
  static final List<String> JVM_OPTS =
      List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx64m", "-XX:MaxMetaspaceSize=64m", "-Xss512k");

  private CollectorsBenchmark() {}

  record Result(
      String exporter,
      String impl,
      double p50,
      double p99,
      double min,
      double max,
      double cpuMs,
      long rssKb,
      int bytes) {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--launch")) {
      Object cmd =
          switch (args[1]) {
            case "node-exporter" -> new NodeExporterCommand();
            case "postgres-exporter" -> new PostgresExporterCommand();
            case "redis-exporter" -> new RedisExporterCommand();
            default -> throw new IllegalArgumentException("unknown exporter " + args[1]);
          };
      System.exit(new CommandLine(cmd).execute(Arrays.copyOfRange(args, 2, args.length)));
    }
    String cp = args.length > 0 ? args[0] : System.getProperty("java.class.path");
    Path out = Path.of(args.length > 1 ? args[1] : "docs/benchmarks.md");
    int scrapes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    Map<String, String> env = System.getenv();
    String pgHost = env.getOrDefault("CM_TEST_PG_HOST", "127.0.0.1");
    String pgPort = env.getOrDefault("CM_TEST_PG_PORT", "55432");
    String dsn =
        "postgresql://"
            + env.getOrDefault("CM_TEST_PG_USER", "cmtest")
            + ":"
            + env.getOrDefault("CM_TEST_PG_PASSWORD", "cmtest-secret-pw")
            + "@"
            + pgHost
            + ":"
            + pgPort
            + "/"
            + env.getOrDefault("CM_TEST_PG_DB", "cmtest")
            + "?sslmode=disable";
    String redis =
        "redis://"
            + env.getOrDefault("CM_TEST_REDIS_HOST", "127.0.0.1")
            + ":"
            + env.getOrDefault("CM_TEST_REDIS_PORT", "56379");
    Path queries = Path.of("/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    List<Result> results = new ArrayList<>();
    results.addAll(
        pair(
            "node",
            new Target(
                "Go node_exporter 1.5",
                Map.of(),
                p ->
                    List.of(
                        "/usr/bin/prometheus-node-exporter",
                        "--web.listen-address=127.0.0.1:" + p)),
            new Target(
                "cluster-monitor node-exporter", Map.of(), p -> ours(java, cp, "node-exporter", p)),
            scrapes,
            warmup));
    results.addAll(
        pair(
            "postgres",
            new Target(
                "Go postgres_exporter 0.11",
                Map.of("DATA_SOURCE_NAME", dsn),
                p -> {
                  List<String> c =
                      new ArrayList<>(
                          List.of(
                              "/usr/bin/prometheus-postgres-exporter",
                              "--web.listen-address=127.0.0.1:" + p));
                  if (Files.exists(queries)) {
                    c.add("--extend.query-path=" + queries);
                  }
                  return c;
                }),
            new Target(
                "cluster-monitor postgres-exporter",
                Map.of("DATA_SOURCE_NAME", dsn),
                p -> ours(java, cp, "postgres-exporter", p)),
            scrapes,
            warmup));
    results.addAll(
        pair(
            "redis",
            new Target(
                "Go redis_exporter 1.45",
                Map.of(),
                p ->
                    List.of(
                        "/usr/bin/prometheus-redis-exporter",
                        "--redis.addr=" + redis,
                        "--web.listen-address=127.0.0.1:" + p)),
            new Target(
                "cluster-monitor redis-exporter",
                Map.of("REDIS_ADDR", redis),
                p -> ours(java, cp, "redis-exporter", p)),
            scrapes,
            warmup));

    String section = section(results, scrapes, warmup);
    System.out.println(section);
    write(out, section);
  }

  interface Command {
    List<String> forPort(int port);
  }

  static List<String> ours(String java, String cp, String name, int port) {
    List<String> c = new ArrayList<>();
    c.add(java);
    c.addAll(JVM_OPTS);
    c.addAll(
        List.of(
            "-cp",
            cp,
            CollectorsBenchmark.class.getName(),
            "--launch",
            name,
            "--listen",
            "127.0.0.1:" + port));
    return c;
  }

  record Target(String impl, Map<String, String> env, Command command) {}

  /** A started exporter: process, scrape request, log. */
  record Running(Target target, Process process, HttpRequest request, Path log) {}

  static Running start(Target t, HttpClient http) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("cm-bench-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(t.command().forPort(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(t.env());
    Process p = pb.start();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(30))
            .build();
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      try {
        if (http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return new Running(t, p, req, log);
        }
      } catch (IOException e) {
        if (Instant.now().isAfter(deadline) || !p.isAlive()) {
          p.destroyForcibly();
          throw new IOException(t.impl() + " did not start: " + Files.readString(log), e);
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * Runs the reference and ours side by side and alternates their scrapes, so both see the same
   * machine load: warm-up, then {@code scrapes} timed scrapes of each.
   */
  static List<Result> pair(String exporter, Target go, Target ours, int scrapes, int warmup)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<Running> running = new ArrayList<>();
    try {
      running.add(start(go, http));
      running.add(start(ours, http));
      for (int i = 0; i < warmup; i++) {
        for (Running r : running) {
          http.send(r.request(), HttpResponse.BodyHandlers.ofString());
        }
      }
      long[] cpuBefore = new long[running.size()];
      for (int k = 0; k < running.size(); k++) {
        cpuBefore[k] = cpuTicks(running.get(k).process().pid());
      }
      double[][] ms = new double[running.size()][scrapes];
      int[] bytes = new int[running.size()];
      for (int i = 0; i < scrapes; i++) {
        for (int k = 0; k < running.size(); k++) {
          Running r = running.get(k);
          long t0 = System.nanoTime();
          HttpResponse<String> resp = http.send(r.request(), HttpResponse.BodyHandlers.ofString());
          ms[k][i] = (System.nanoTime() - t0) / 1e6;
          if (resp.statusCode() != 200) {
            throw new IOException(r.target().impl() + " answered " + resp.statusCode());
          }
          bytes[k] = resp.body().length();
        }
      }
      List<Result> results = new ArrayList<>();
      for (int k = 0; k < running.size(); k++) {
        Running r = running.get(k);
        long cpu = cpuTicks(r.process().pid()) - cpuBefore[k];
        double[] m = ms[k];
        Arrays.sort(m);
        results.add(
            new Result(
                exporter,
                r.target().impl(),
                m[(int) Math.floor(0.5 * (scrapes - 1))],
                m[(int) Math.ceil(0.99 * (scrapes - 1))],
                m[0],
                m[scrapes - 1],
                cpu * 10.0 / scrapes,
                rssKb(r.process().pid()),
                bytes[k]));
      }
      return results;
    } finally {
      for (Running r : running) {
        r.process().destroy();
        if (!r.process().waitFor(10, TimeUnit.SECONDS)) {
          r.process().destroyForcibly();
        }
        Files.deleteIfExists(r.log());
      }
    }
  }

  /** utime + stime of a process, in clock ticks (1/100 s). */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static String section(List<Result> results, int scrapes, int warmup) {
    StringBuilder b = new StringBuilder();
    b.append(SECTION).append("\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "Measured %s on this machine (%d CPUs), one run: each exporter in its own process on"
                + " loopback, ours and the reference side by side with their scrapes alternating (both"
                + " see the same machine load), %d warm-up scrapes each, then %d sequential scrapes"
                + " each of `/metrics` timed by"
                + " the client. CPU is the exporter process's utime+stime over the %d scrapes divided"
                + " by %d (10 ms clock-tick resolution); RSS is VmRSS after the run. Our JVM runs with"
                + " `%s`. Go references are the Debian packages, against the same host, PostgreSQL"
                + " (with the packaged queries.yaml, so both run the same queries) and Redis.%n%n",
            Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC",
            Runtime.getRuntime().availableProcessors(),
            warmup,
            scrapes,
            scrapes,
            scrapes,
            String.join(" ", JVM_OPTS)));
    try {
      String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
      b.append("Load average at the end of the run: ")
          .append(load)
          .append(" (the machine is shared; results vary from run to run, so compare rows of the")
          .append(" same run).\n\n");
    } catch (IOException e) {
      // not Linux: no load average line
    }
    b.append(
        "| exporter | implementation | p50 ms | p99 ms | min–max ms | CPU ms/scrape | RSS MiB |"
            + " body bytes |\n");
    b.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    Map<String, Double> goP50 = new LinkedHashMap<>();
    for (Result r : results) {
      if (r.impl().startsWith("Go")) {
        goP50.put(r.exporter(), r.p50());
      }
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.2f | %.2f | %.2f–%.2f | %.2f | %.1f | %d |%n",
              r.exporter(),
              r.impl(),
              r.p50(),
              r.p99(),
              r.min(),
              r.max(),
              r.cpuMs(),
              r.rssKb() / 1024.0,
              r.bytes()));
    }
    b.append("\nTarget: our p50 ≤ the Go exporter's p50 in the same run.\n\n");
    for (Result r : results) {
      if (!r.impl().startsWith("Go")) {
        double go = goP50.get(r.exporter());
        b.append(
            String.format(
                Locale.ROOT,
                "- %s: %.2f ms vs %.2f ms — %s%n",
                r.exporter(),
                r.p50(),
                go,
                r.p50() <= go ? "met" : "NOT met"));
      }
    }
    b.append(
        "\nNotes: the JVM's RSS (see the table: well above the 64 MiB heap cap) is several times the Go exporters'; it is not a target here (issue 18 tracks it). Filesystem sizes and inode counts come from one statfs(2) per mount through JNA (see docs/metrics.md), with no process spawned.\n");
    return b.toString();
  }

  /** Replaces our section (up to the next "## ") or appends it; other sections stay. */
  static void write(Path file, String section) throws IOException {
    String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
    int start = text.indexOf(SECTION);
    if (start >= 0) {
      int end = text.indexOf("\n## ", start + SECTION.length());
      text = text.substring(0, start) + section + (end >= 0 ? "\n" + text.substring(end + 1) : "");
    } else {
      text = text.stripTrailing() + "\n\n" + section;
    }
    Files.writeString(file, text);
  }
}
