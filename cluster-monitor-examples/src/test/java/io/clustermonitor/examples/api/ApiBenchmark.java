package io.clustermonitor.examples.api;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.exporters.web.ServerLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * {@code scripts/bench.sh api}: p50/p99 latency of {@code /api/containers} and {@code
 * /api/containers/{id}/stats} with N running containers, for the snapshot-backed REST API and, in
 * the same run, a naive proxy calling the engine per request; then the same measurement of the REST
 * API while S slowloris connections are held open against it ({@link Slowloris}); plus startup of
 * {@code cluster-monitor.jar api-proxy} to its first answer. Writes its section of
 * docs/benchmarks.md.
 *
 * <p>Arguments: {@code [containers=100] [rounds=5] [jar] [benchmarks.md] [slowloris=200]} (0
 * slowloris connections skips that phase).
 *
 * <p>Method. The server runs in this JVM. Before the measured rounds, the old layer's figures'
 * method is run as it was, on the server as it starts: {@code rounds} rounds, each of 500 list
 * requests, 500 stats requests (each after a 5 % warm-up) and the naive proxy's 50 and 5, with the
 * median over rounds of each round's p99 (the JVM compiles the request path during these rounds);
 * the naive proxy is measured only there. Then a warm-up of {@code cm.bench.warmup} requests per
 * endpoint (default 20,000, at most {@code cm.bench.warmupSeconds}, default 120 s) so the measured
 * rounds see the steady state a long-running server is in. Each round alternates two clients on the
 * same server: the JDK {@code HttpClient} (the old method's client) and {@link RawClient}, a
 * blocking keep-alive socket that allocates almost nothing and hands off to no other thread, so the
 * client's own cost and its GC share can be told apart from the server's. Every round logs its GC
 * count and pause time, JIT time and the load average.
 *
 * <p>System properties: {@code cm.bench.shared=LABEL=VALUE} measures against containers that
 * already run with that label (e.g. {@code cm.shared=1}) and starts and removes none; {@code
 * cm.bench.parallelStarts} (see {@link #startContainers}).
 */
public final class ApiBenchmark {
  static final String SECTION = "## REST API proxy (`scripts/bench.sh api`)";

  private ApiBenchmark() {}

  public static void main(String[] args) throws Exception {
    int containers = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path jar =
        Path.of(args.length > 2 ? args[2] : "cluster-monitor-examples/target/cluster-monitor.jar");
    Path out = Path.of(args.length > 3 ? args[3] : "docs/benchmarks.md");
    int slowloris = args.length > 4 ? Integer.parseInt(args[4]) : 200;
    String shared = System.getProperty("cm.bench.shared", "");
    DockerCli cli = new DockerCli("ApiBenchmark");
    Thread cleanup = new Thread(cli::removeAll, "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      run(cli, shared, containers, rounds, jar, out, slowloris);
    } finally {
      cli.removeAll();
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
  }

  private static void run(
      DockerCli cli, String shared, int n, int rounds, Path jar, Path out, int slowloris)
      throws Exception {
    List<String> ids;
    String label;
    if (shared.isEmpty()) {
      log("starting %d containers", n);
      ids = startContainers(cli, n);
      label = cli.runLabel.replace("=", "%3D");
    } else {
      // Containers someone else runs: listed, never started, stopped or removed here.
      List<String> found =
          DockerCli.docker("ps", "-q", "--no-trunc", "--filter", "label=" + shared)
              .lines()
              .filter(l -> !l.isBlank())
              .sorted()
              .toList();
      if (found.size() < n) {
        throw new IllegalStateException(
            "only " + found.size() + " running containers labelled " + shared + ", want " + n);
      }
      ids = found.subList(0, n);
      label = shared.replace("=", "%3D");
      log("using %d running containers labelled %s (none started)", n, shared);
    }
    int count = n;
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Stats oldList = new Stats();
    Stats oldStats = new Stats();
    Stats cachedList = new Stats();
    Stats cachedStats = new Stats();
    Stats rawList = new Stats();
    Stats rawStats = new Stats();
    Stats naiveList = new Stats();
    Stats naiveStats = new Stats();
    Stats slowList = new Stats();
    Stats slowStats = new Stats();
    Slowloris.Result attack = null;
    try (DockerMonitor cachedEngine = DockerMonitor.connect(DockerEndpoint.fromEnvironment());
        DockerMonitor naiveEngine = DockerMonitor.connect(DockerEndpoint.fromEnvironment());
        // The RestApi is closed too (after its server, before its engine): its live view samples
        // the engine until then.
        RestApi rest = RestApi.builder(cachedEngine).build();
        RestApiServer api = rest.start(new InetSocketAddress("127.0.0.1", 0));
        NaiveProxy naive = new NaiveProxy(naiveEngine)) {
      String apiBase = "http://127.0.0.1:" + api.address().getPort();
      String naiveBase = "http://127.0.0.1:" + naive.address().getPort();
      log("waiting for the API to list %d running containers with stats", n);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (true) {
        HttpResponse<String> r = get(http, apiBase + "/api/containers?label=" + label);
        boolean listed = r.statusCode() == 200 && count(r.body()) >= count;
        boolean stats =
            listed
                && get(http, apiBase + "/api/containers/" + ids.get(count - 1) + "/stats")
                        .statusCode()
                    == 200;
        if (stats) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("API never listed all containers: " + r.body());
        }
        Thread.sleep(500);
      }
      IntFunction<String> listUrl = i -> "/api/containers";
      IntFunction<String> statsUrl = i -> "/api/containers/" + ids.get(i % count) + "/stats";
      try (RawClient raw = new RawClient(api.address())) {
        // The old method as it was (the loop of the old layer's benchmark): on a server that has
        // served only the wait, each round 500 + 500 requests after 5 % warm-up, then the naive
        // proxy's, whose engine calls leave the server idle for about 12 s a round.
        for (int round = 1; round <= rounds; round++) {
          oldList.round(measure(http, 500, i -> apiBase + listUrl.apply(i)));
          oldStats.round(measure(http, 500, i -> apiBase + statsUrl.apply(i)));
          naiveList.round(measure(http, 50, i -> naiveBase + "/api/containers"));
          naiveStats.round(
              measure(
                  http, 5, i -> naiveBase + "/api/containers/" + ids.get(i % count) + "/stats"));
          log(
              "old-method round %d/%d: p99 list %s, stats %s ms; JIT so far %d ms; load %s",
              round,
              rounds,
              Stats.fmt(oldList.p99.get(round - 1)),
              Stats.fmt(oldStats.p99.get(round - 1)),
              jitMillis(),
              load());
        }
        warmUp(http, raw, apiBase, listUrl, statsUrl);
        for (int round = 1; round <= rounds; round++) {
          RoundLog rl = RoundLog.start();
          cachedList.round(measure(http, 500, i -> apiBase + listUrl.apply(i)));
          long[] a0 = allocated();
          rawList.round(measureRaw(raw, 500, listUrl));
          long[] a1 = allocated();
          cachedStats.round(measure(http, 500, i -> apiBase + statsUrl.apply(i)));
          long[] a2 = allocated();
          rawStats.round(measureRaw(raw, 500, statsUrl));
          long[] a3 = allocated();
          log(
              "round %d: allocated per request outside the client thread (server, sampler):"
                  + " list %.1f KiB, stats %.1f KiB; client thread: list %.1f, stats %.1f KiB",
              round,
              (a1[0] - a0[0]) / 501.0 / 1024,
              (a3[0] - a2[0]) / 501.0 / 1024,
              (a1[1] - a0[1]) / 501.0 / 1024,
              (a3[1] - a2[1]) / 501.0 / 1024);
          rl.log("round " + round + "/" + rounds, cachedList, rawList, cachedStats, rawStats);
        }
      }
      if (slowloris > 0) {
        // The same rounds against the same server while the slow connections are held, and more
        // until SLOW_PHASE_MIN has passed (so the header timeout has had to close some); bounded:
        // the phase ends after SLOW_PHASE_MAX whatever its rounds have done.
        log("slowloris phase: opening %d slow connections", slowloris);
        try (Slowloris slow = new Slowloris(api.address(), slowloris, SLOW_PHASE_MAX)) {
          long minEnd = System.nanoTime() + SLOW_PHASE_MIN.toNanos();
          for (int round = 1;
              (round <= rounds || System.nanoTime() < minEnd) && slow.running();
              round++) {
            log("slowloris round %d (%d held)", round, slow.open());
            slowList.round(measure(http, 500, i -> apiBase + listUrl.apply(i)));
            slowStats.round(measure(http, 500, i -> apiBase + statsUrl.apply(i)));
          }
          attack = slow.finish();
        }
        log(
            "slowloris phase: %.1f s, %d held at the end, %d closed by the server (at most %d at"
                + " one check)",
            attack.seconds(),
            attack.heldAtEnd(),
            attack.closedByServer(),
            attack.mostClosedAtOnce());
      }
    }
    Stats startHealth = new Stats();
    Stats startList = new Stats();
    if (Files.isRegularFile(jar)) {
      for (int i = 0; i < rounds; i++) {
        double[] t = startup(jar, http);
        log("startup: first /health %.0f ms, first /api/containers %.0f ms", t[0], t[1]);
        startHealth.round(new double[] {t[0]});
        startList.round(new double[] {t[1]});
      }
    } else {
      log("no %s: startup not measured", jar);
    }
    String section =
        section(
            n,
            rounds,
            new Variants(oldList, oldStats, rawList, rawStats),
            cachedList,
            cachedStats,
            naiveList,
            naiveStats,
            startHealth,
            startList,
            new SlowPhase(slowloris, slowList, slowStats, attack));
    System.out.println(section);
    write(out, section);
  }

  /**
   * Containers started at once (system property {@code cm.bench.parallelStarts}, default 4; 1 on a
   * shared engine, where starts should go one at a time).
   */
  private static List<String> startContainers(DockerCli cli, int n) throws Exception {
    ExecutorService pool =
        Executors.newFixedThreadPool(Integer.getInteger("cm.bench.parallelStarts", 4));
    try {
      List<Future<String>> f = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        f.add(
            pool.submit(
                () -> cli.run(List.of("--network", "none", "--memory", "16m"), "sleep", "3600")));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> x : f) {
        ids.add(x.get(5, TimeUnit.MINUTES));
      }
      return ids;
    } finally {
      pool.shutdownNow();
    }
  }

  private static int count(String jsonArray) {
    int c = 0;
    int i = 0;
    while ((i = jsonArray.indexOf("\"shortId\"", i)) >= 0) {
      c++;
      i++;
    }
    return c;
  }

  private static HttpResponse<String> get(HttpClient http, String url)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Latencies in ms of {@code count} sequential requests after 5 % warm-up. */
  private static double[] measure(HttpClient http, int count, IntFunction<String> url)
      throws IOException, InterruptedException {
    int warm = Math.max(1, count / 20);
    for (int i = 0; i < warm; i++) {
      get(http, url.apply(i));
    }
    double[] ms = new double[count];
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = get(http, url.apply(i));
      ms[i] = (System.nanoTime() - t0) / 1e6;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url.apply(i) + " -> " + r.statusCode() + " " + r.body());
      }
    }
    return ms;
  }

  private static double[] startup(Path jar, HttpClient http) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port;
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(
                "java", "-jar", jar.toString(), "api-proxy", "--listen", "127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      double health = -1;
      long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        try {
          int code = get(http, base + (health < 0 ? "/health" : "/api/containers")).statusCode();
          if (health < 0 && code > 0) {
            health = (System.nanoTime() - t0) / 1e6;
          }
          if (health >= 0 && code == 200) {
            return new double[] {health, (System.nanoTime() - t0) / 1e6};
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(5);
      }
      throw new IllegalStateException("api-proxy did not answer within 60 s");
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** Per-round p50 and p99, reported as median over rounds with min-max spread. */
  static final class Stats {
    final List<Double> p50 = new ArrayList<>();
    final List<Double> p99 = new ArrayList<>();
    int samples;

    void round(double[] ms) {
      double[] s = ms.clone();
      Arrays.sort(s);
      p50.add(pct(s, 50));
      p99.add(pct(s, 99));
      samples += s.length;
    }

    static double pct(double[] sorted, double p) {
      int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double median(List<Double> v) {
      double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return s.length == 0 ? Double.NaN : pct(s, 50);
    }

    static String cell(List<Double> v) {
      if (v.isEmpty()) {
        return "n/a";
      }
      double min = v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double max = v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      return String.format(Locale.ROOT, "%s (%s-%s)", fmt(median(v)), fmt(min), fmt(max));
    }

    static String fmt(double ms) {
      return ms >= 100
          ? String.format(Locale.ROOT, "%.0f", ms)
          : String.format(Locale.ROOT, "%.2f", ms);
    }
  }

  /** The slowloris phase's figures ({@code attack} null when the phase was skipped). */
  record SlowPhase(int connections, Stats list, Stats stats, Slowloris.Result attack) {}

  /** The extra rows: the old method's rounds from start and the raw-socket client's rounds. */
  record Variants(Stats oldList, Stats oldStats, Stats rawList, Stats rawStats) {}

  /** Issue 11's p99 bounds at N = 100: the old HTTP layer's figures with the same method. */
  static final double ISSUE11_LIST_P99_MS = 6.97;

  static final double ISSUE11_STATS_P99_MS = 4.49;

  private static String section(
      int n,
      int rounds,
      Variants v,
      Stats cachedList,
      Stats cachedStats,
      Stats naiveList,
      Stats naiveStats,
      Stats startHealth,
      Stats startList,
      SlowPhase slow) {
    double listP99 = Stats.median(cachedList.p99);
    double statsP99 = Stats.median(cachedStats.p99);
    double start = Stats.median(startList.p50);
    StringBuilder b = new StringBuilder();
    b.append(SECTION).append("\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "Run %s on the test machine (2 cores, Docker 20.10, cgroup v1; load average when"
                + " written %s), %d running containers, %d rounds, one sequential keep-alive"
                + " client. Latency in ms: median over rounds of each round's percentile, with the"
                + " min-max spread over rounds in brackets. The baseline is a naive proxy in the same"
                + " run that calls the engine on every request (`NaiveProxy`, bench-only). Before"
                + " the rounds: the old method as it was, from the server's start (%d rounds of"
                + " 500 requests per endpoint after 5 %% warm-up, and the naive proxy's, measured"
                + " only there),"
                + " then %d warm-up requests per endpoint (%.0f s); each round then alternates the"
                + " JDK `HttpClient` (the old method's client) and a raw keep-alive socket client"
                + " (`RawClient`: no client-side threads or parsing) on the same server. Bench JVM:"
                + " %s.%n%n",
            LocalDate.now(),
            load(),
            n,
            rounds,
            rounds,
            warmedUp,
            warmUpSeconds,
            jvm()));
    b.append("| endpoint | proxy | samples | p50 ms | p99 ms |\n");
    b.append("| --- | --- | --- | --- | --- |\n");
    row(b, "`/api/containers`", "cluster-monitor (snapshot), old method from start", v.oldList());
    row(b, "`/api/containers`", "cluster-monitor (snapshot)", cachedList);
    row(b, "`/api/containers`", "cluster-monitor (snapshot), raw socket client", v.rawList());
    row(b, "`/api/containers`", "naive (engine per request)", naiveList);
    row(
        b,
        "`/api/containers/{id}/stats`",
        "cluster-monitor (snapshot), old method from start",
        v.oldStats());
    row(b, "`/api/containers/{id}/stats`", "cluster-monitor (snapshot)", cachedStats);
    row(
        b,
        "`/api/containers/{id}/stats`",
        "cluster-monitor (snapshot), raw socket client",
        v.rawStats());
    row(b, "`/api/containers/{id}/stats`", "naive (engine per request)", naiveStats);
    if (slow.attack() != null) {
      String held = "cluster-monitor (snapshot), " + slow.connections() + " slowloris held";
      row(b, "`/api/containers`", held, slow.list());
      row(b, "`/api/containers/{id}/stats`", held, slow.stats());
    }
    b.append("\n");
    if (slow.attack() != null) {
      Slowloris.Result a = slow.attack();
      b.append(
          String.format(
              Locale.ROOT,
              "Slowloris rows: the same measurement (%d rounds: at least as many as above and at"
                  + " least %d s) against the same server while %d connections were held open,"
                  + " each sending a request line and then one header byte a second"
                  + " (bench-side `Slowloris`; a connection the server closes is reopened, so %d"
                  + " stay open). Over the %.0f s phase the server's header read timeout (%d s,"
                  + " the default) closed %d slow connections (%d opened in all; at most %d closed"
                  + " between two one-second checks).%n%n",
              slow.list().p50.size(),
              SLOW_PHASE_MIN.toSeconds(),
              slow.connections(),
              slow.connections(),
              a.seconds(),
              ServerLimits.defaults().headerReadTimeout().toSeconds(),
              a.closedByServer(),
              a.opened(),
              a.mostClosedAtOnce()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "Startup of `java -jar cluster-monitor.jar api-proxy` to its first `/health` answer:"
                + " %s ms; to the first 200 from `/api/containers` (engine synced): %s ms"
                + " (median, min-max over %d starts).%n%n",
            Stats.cell(startHealth.p50),
            Stats.cell(startList.p50),
            startList.p50.size()));
    b.append(
        String.format(
            Locale.ROOT,
            "Targets: p99 <= 10 ms for both endpoints (list %s, stats %s); startup <= 1.5 s"
                + " (%s).%n",
            verdict(listP99, 10),
            verdict(statsP99, 10),
            startList.p50.isEmpty() ? "not measured" : verdict(start, 1500)));
    b.append(
        String.format(
            Locale.ROOT,
            "Issue 11 (p99 no worse than the old layer's list %s ms, stats %s ms at N = 100, same"
                + " client): after warm-up: list %s, stats %s; old method from start: list %s,"
                + " stats %s.%n",
            Stats.fmt(ISSUE11_LIST_P99_MS),
            Stats.fmt(ISSUE11_STATS_P99_MS),
            verdict(listP99, ISSUE11_LIST_P99_MS),
            verdict(statsP99, ISSUE11_STATS_P99_MS),
            verdict(Stats.median(v.oldList().p99), ISSUE11_LIST_P99_MS),
            verdict(Stats.median(v.oldStats().p99), ISSUE11_STATS_P99_MS)));
    return b.toString();
  }

  private static String verdict(double v, double target) {
    return (v <= target ? "met: " : "MISSED: ") + Stats.fmt(v) + " ms";
  }

  private static void row(StringBuilder b, String endpoint, String proxy, Stats s) {
    b.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %d | %s | %s |%n",
            endpoint,
            proxy,
            s.samples,
            Stats.cell(s.p50),
            Stats.cell(s.p99)));
  }

  /** Replaces our section (up to the next "## ") or appends it; other sections stay. */
  static void write(Path file, String section) throws IOException {
    String text = Files.isRegularFile(file) ? Files.readString(file) : "# Benchmarks\n";
    int start = text.indexOf(SECTION);
    if (start >= 0) {
      int end = text.indexOf("\n## ", start + SECTION.length());
      text = text.substring(0, start) + section + (end >= 0 ? "\n" + text.substring(end + 1) : "");
    } else {
      text = text.stripTrailing() + "\n\n" + section;
    }
    Files.writeString(file, text.endsWith("\n") ? text : text + "\n");
  }

  /** Shortest slowloris phase: twice the default header read timeout. */
  static final Duration SLOW_PHASE_MIN =
      ServerLimits.defaults().headerReadTimeout().multipliedBy(2);

  /** Longest slowloris phase, whatever its rounds have done by then. */
  static final Duration SLOW_PHASE_MAX = Duration.ofMinutes(10);

  /**
   * S slow clients against one server: each sends a request line and then one header byte a second,
   * from one thread, until {@link #finish()} or a maximum duration. A connection the server closes
   * (EOF, an answer such as 408, or a reset) is counted and replaced, so S stay open.
   */
  static final class Slowloris implements AutoCloseable {
    /** The phase's figures. */
    record Result(
        double seconds, int heldAtEnd, int mostClosedAtOnce, int closedByServer, int opened) {}

    private static final byte[] START =
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress server;
    private final List<SocketChannel> open = new ArrayList<>();
    private final Thread dripper;
    private final long started = System.nanoTime();
    private final long deadline;
    private volatile boolean stop;
    private volatile int held;
    private volatile int mostClosed;
    private volatile int closed;
    private volatile int opened;
    private volatile IOException failure;

    Slowloris(InetSocketAddress server, int count, Duration max) throws IOException {
      this.server = server;
      this.deadline = started + max.toNanos();
      for (int i = 0; i < count; i++) {
        open.add(connect());
      }
      held = open.size();
      dripper = new Thread(this::drip, "bench-slowloris");
      dripper.setDaemon(true);
      dripper.start();
    }

    private SocketChannel connect() throws IOException {
      SocketChannel c = SocketChannel.open(server);
      c.write(ByteBuffer.wrap(START));
      c.configureBlocking(false);
      opened++;
      return c;
    }

    /** Whether the phase may go on (not past its maximum duration, no connect failure). */
    boolean running() {
      return !stop && System.nanoTime() < deadline && failure == null;
    }

    int open() {
      return held;
    }

    private void drip() {
      ByteBuffer in = ByteBuffer.allocate(1024);
      while (running()) {
        int gaveUp = 0;
        for (int i = 0; i < open.size(); i++) {
          SocketChannel c = open.get(i);
          boolean gone;
          try {
            in.clear();
            // Anything from the server (an error answer) or EOF means it gave up on us.
            gone = c.read(in) != 0;
            if (!gone) {
              c.write(ByteBuffer.wrap(new byte[] {'a'}));
            }
          } catch (IOException e) {
            gone = true;
          }
          if (gone) {
            gaveUp++;
            closed++;
            close(c);
            try {
              open.set(i, connect());
            } catch (IOException e) {
              failure = e;
              return;
            }
          }
        }
        held = open.size();
        mostClosed = Math.max(mostClosed, gaveUp);
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /** Stops dripping and reports; the connections stay until {@link #close()}. */
    Result finish() throws IOException {
      stop = true;
      dripper.interrupt();
      try {
        dripper.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        throw new IOException("slowloris could not reopen a connection", failure);
      }
      int alive = 0;
      for (SocketChannel c : open) {
        alive += c.isOpen() ? 1 : 0;
      }
      return new Result((System.nanoTime() - started) / 1e9, alive, mostClosed, closed, opened);
    }

    private static void close(SocketChannel c) {
      try {
        c.close();
      } catch (IOException e) {
        // already gone
      }
    }

    @Override
    public void close() {
      stop = true;
      dripper.interrupt();
      try {
        dripper.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      open.forEach(Slowloris::close);
    }
  }

  /** Warm-up requests done and their duration, for the section text. */
  private static int warmedUp;

  private static double warmUpSeconds;

  /**
   * Requests to both endpoints with both clients until {@code cm.bench.warmup} per endpoint or
   * {@code cm.bench.warmupSeconds}, whichever comes first; logs the JIT time it took.
   */
  private static void warmUp(
      HttpClient http,
      RawClient raw,
      String base,
      IntFunction<String> listUrl,
      IntFunction<String> statsUrl)
      throws IOException, InterruptedException {
    int want = Integer.getInteger("cm.bench.warmup", 20_000);
    long end =
        System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("cm.bench.warmupSeconds", 120));
    long t0 = System.nanoTime();
    long jit0 = jitMillis();
    int i = 0;
    // At least `want` requests, then on until the JIT is quiet (under 5 % of the wall time over the
    // last 1,000 requests), or the time is up: compiler threads share the 2 cores with the server.
    long windowStart = System.nanoTime();
    long windowJit = jitMillis();
    boolean quiet = false;
    while ((i < want || !quiet) && System.nanoTime() < end) {
      if (i % 1000 == 999) {
        long now = System.nanoTime();
        long jit = jitMillis();
        quiet = (jit - windowJit) * 1e6 < 0.05 * (now - windowStart);
        windowStart = now;
        windowJit = jit;
      }
      // Half through each client, as the rounds use both.
      if ((i & 1) == 0) {
        check(get(http, base + listUrl.apply(i)), listUrl.apply(i));
        check(get(http, base + statsUrl.apply(i)), statsUrl.apply(i));
      } else {
        checkRaw(raw.get(listUrl.apply(i)), listUrl.apply(i));
        checkRaw(raw.get(statsUrl.apply(i)), statsUrl.apply(i));
      }
      i++;
    }
    warmedUp = i;
    warmUpSeconds = (System.nanoTime() - t0) / 1e9;
    log(
        "warm-up: %d requests per endpoint in %.1f s, JIT %d ms (load %s)",
        i, warmUpSeconds, jitMillis() - jit0, load());
  }

  private static void check(HttpResponse<String> r, String url) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
    }
  }

  private static void checkRaw(int status, String url) {
    if (status != 200) {
      throw new IllegalStateException(url + " -> " + status + " (raw client)");
    }
  }

  /** Latencies in ms of {@code count} sequential requests over the raw client (no warm-up). */
  private static double[] measureRaw(RawClient raw, int count, IntFunction<String> url)
      throws IOException {
    raw.fresh(url.apply(0));
    double[] ms = new double[count];
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      int status = raw.get(url.apply(i));
      ms[i] = (System.nanoTime() - t0) / 1e6;
      checkRaw(status, url.apply(i));
    }
    return ms;
  }

  /**
   * Bytes allocated so far by every live thread but this one, and by this one (HotSpot's per-thread
   * counters; threads that ended are not counted).
   */
  private static long[] allocated() {
    java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
    if (!(t instanceof com.sun.management.ThreadMXBean h) || !h.isThreadAllocatedMemoryEnabled()) {
      return new long[] {0, 0};
    }
    long self = Thread.currentThread().getId();
    long[] ids = h.getAllThreadIds();
    long[] bytes = h.getThreadAllocatedBytes(ids);
    long others = 0;
    long mine = 0;
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] > 0) {
        if (ids[i] == self) {
          mine += bytes[i];
        } else {
          others += bytes[i];
        }
      }
    }
    return new long[] {others, mine};
  }

  private static long jitMillis() {
    java.lang.management.CompilationMXBean c =
        java.lang.management.ManagementFactory.getCompilationMXBean();
    return c == null || !c.isCompilationTimeMonitoringSupported()
        ? -1
        : c.getTotalCompilationTime();
  }

  private static long[] gc() {
    long count = 0;
    long ms = 0;
    for (java.lang.management.GarbageCollectorMXBean g :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, g.getCollectionCount());
      ms += Math.max(0, g.getCollectionTime());
    }
    return new long[] {count, ms};
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static String jvm() {
    Runtime rt = Runtime.getRuntime();
    StringBuilder gcs = new StringBuilder();
    for (java.lang.management.GarbageCollectorMXBean g :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      gcs.append(gcs.length() == 0 ? "" : ", ").append(g.getName());
    }
    return String.format(
        Locale.ROOT,
        "Java %s, %s, max heap %d MiB, %d CPUs",
        Runtime.version(),
        gcs,
        rt.maxMemory() >> 20,
        rt.availableProcessors());
  }

  /** GC and JIT activity over one round, logged with the round's p99s. */
  record RoundLog(long gcCount, long gcMs, long jitMs) {
    static RoundLog start() {
      long[] g = gc();
      return new RoundLog(g[0], g[1], jitMillis());
    }

    void log(String what, Stats list, Stats rawList, Stats stats, Stats rawStats) {
      long[] g = gc();
      ApiBenchmark.log(
          "%s: p99 list %s (raw %s), stats %s (raw %s) ms; GCs %d, %d ms; JIT %d ms; load %s",
          what,
          last(list),
          last(rawList),
          last(stats),
          last(rawStats),
          g[0] - gcCount,
          g[1] - gcMs,
          jitMillis() - jitMs,
          load());
    }

    private static String last(Stats s) {
      return Stats.fmt(s.p99.get(s.p99.size() - 1));
    }
  }

  /**
   * A blocking HTTP/1.1 keep-alive client over one socket: writes a GET, reads the status line,
   * headers and a Content-Length or chunked body into a reused buffer. Used to tell the server's
   * latency from the JDK client's (which hands each exchange to its selector thread).
   */
  static final class RawClient implements AutoCloseable {
    private final InetSocketAddress server;
    private final byte[] buf = new byte[1 << 16];
    private java.net.Socket socket;
    private java.io.InputStream in;
    private java.io.OutputStream out;

    RawClient(InetSocketAddress server) throws IOException {
      this.server = server;
      open();
    }

    private void open() throws IOException {
      close();
      socket = new java.net.Socket();
      socket.setTcpNoDelay(true);
      socket.connect(server, 5_000);
      socket.setSoTimeout(60_000);
      in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
      out = socket.getOutputStream();
    }

    /**
     * The status of {@code GET target}; the body is read and dropped. A kept-alive connection the
     * server closed meanwhile (its idle timeout) is reopened and the request sent once more.
     */
    int get(String target) throws IOException {
      if (socket == null || socket.isClosed()) {
        open();
        return exchange(target);
      }
      try {
        return exchange(target);
      } catch (IOException e) {
        open();
        return exchange(target);
      }
    }

    /** Reconnects (so a round does not pay for an idle-closed connection) and sends one request. */
    void fresh(String target) throws IOException {
      open();
      exchange(target);
    }

    private int exchange(String target) throws IOException {
      out.write(
          ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = line();
      if (status.length() < 12 || !status.startsWith("HTTP/1.1 ")) {
        throw new IOException("bad status line: " + status);
      }
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean closeAfter = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          closeAfter = true;
        }
      }
      if (chunked) {
        for (long size = Long.parseLong(chunkSize(line()), 16);
            size > 0;
            size = Long.parseLong(chunkSize(line()), 16)) {
          skip(size);
          line();
        }
        for (String t = line(); !t.isEmpty(); t = line()) {
          // trailers
        }
      } else if (length >= 0) {
        skip(length);
      } else {
        closeAfter = true;
      }
      if (closeAfter) {
        close();
      }
      return code;
    }

    private static String chunkSize(String l) {
      int semi = l.indexOf(';');
      return (semi < 0 ? l : l.substring(0, semi)).trim();
    }

    private void skip(long n) throws IOException {
      while (n > 0) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, n));
        if (r < 0) {
          throw new IOException("connection closed mid-body");
        }
        n -= r;
      }
    }

    private String line() throws IOException {
      int len = 0;
      while (true) {
        int c = in.read();
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c == '\n') {
          break;
        }
        if (c != '\r' && len < buf.length) {
          buf[len++] = (byte) c;
        }
      }
      return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException e) {
          // already gone
        }
        socket = null;
      }
    }
  }

  private static void log(String format, Object... args) {
    System.err.printf("[bench api] " + format + "%n", args);
  }
}
