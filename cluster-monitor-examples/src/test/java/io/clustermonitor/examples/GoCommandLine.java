package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.core.livetest.TestPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;

/** Rows, processes and the comparison of {@link GoCommandLineIT}. */
final class GoCommandLine {
  private GoCommandLine() {}

  static final Map<String, String> ENV = System.getenv();
  static final String PG_HOST = TestPostgres.HOST;
  static final String PG_PORT = TestPostgres.PORT;
  static final String PG_DB = TestPostgres.DB;
  static final String PG_USER = TestPostgres.USER;
  static final String PG_PASSWORD = TestPostgres.PASSWORD;
  static final String REDIS_HOST = ENV.getOrDefault("CM_TEST_REDIS_HOST", "127.0.0.1");
  static final String REDIS_PORT = ENV.getOrDefault("CM_TEST_REDIS_PORT", "56379");

  private static final Path JAR = Path.of("target", "cluster-monitor.jar").toAbsolutePath();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * Families Go's client library serves in every Go exporter and we do not: the Go runtime's
   * ({@code go_*}, our counterpart is the opt-in {@code jvm_*}) and promhttp's own handler counters
   * (docs/migrating.md, "Self-metrics").
   */
  static final Pattern GO_CLIENT_ONLY = Pattern.compile("^(go|promhttp)_.*");

  /** One of the three exporters: our subcommand, Debian's binary, what 1.5/0.11/1.45 have extra. */
  enum Exporter {
    // node_exporter 1.5 -> 1.7: every family 1.5 serves on these command lines is served by ours
    // (measured: with every default collector on, Go's only extra families are go_* and
    // promhttp_*), so nothing is allowed beyond the Go client's families.
    NODE("node-exporter", "/usr/bin/prometheus-node-exporter", null),
    // postgres_exporter 0.11 -> 0.15: 0.11 turns the pg_stat_database columns PostgreSQL 14 added
    // into untyped series; 0.15's stat_database collector lists its columns and has none of them
    // (the same list as PostgresCompatibilityIT's "0.11 turns PostgreSQL 14's new columns" check).
    POSTGRES(
        "postgres-exporter",
        "/usr/bin/prometheus-postgres-exporter",
        Pattern.compile(
            "^pg_stat_database_(active_time|checksum_failures|checksum_last_failure"
                + "|idle_in_transaction_time|session_time|sessions|sessions_abandoned"
                + "|sessions_fatal|sessions_killed)$")),
    // redis_exporter 1.45 -> 1.55: nothing 1.45 serves here is missing from ours (measured with
    // -include-system-metrics and -check-keys on Redis 7).
    REDIS("redis-exporter", "/usr/bin/prometheus-redis-exporter", null);

    final String subcommand;
    final String binary;
    final Pattern olderOnly;

    Exporter(String subcommand, String binary, Pattern olderOnly) {
      this.subcommand = subcommand;
      this.binary = binary;
      this.olderOnly = olderOnly;
    }

    /** Whether Go may serve {@code family} without ours serving it (the allow-lists). */
    boolean allowedGoOnly(String family) {
      return GO_CLIENT_ONLY.matcher(family).matches()
          || (olderOnly != null && olderOnly.matcher(family).matches());
    }
  }

  /** One command line, with what both sides must (not) serve. */
  static final class Row {
    final Exporter exporter;
    final List<String> args;
    final Map<String, String> env = new LinkedHashMap<>();
    String path = "/metrics";
    boolean goToo = true;
    boolean secondAddress;
    boolean jsonLogs;
    String warns;
    String basicAuth;
    final List<String> has = new ArrayList<>();
    final List<String> lacks = new ArrayList<>();
    final Map<String, String> responseHeaders = new LinkedHashMap<>();

    private Row(Exporter exporter, List<String> args) {
      this.exporter = exporter;
      this.args = args;
    }

    static Row row(Exporter exporter, String... args) {
      return new Row(exporter, List.of(args));
    }

    Exporter exporter() {
      return exporter;
    }

    Row env(Map<String, String> vars) {
      env.putAll(vars);
      return this;
    }

    Row path(String p) {
      path = p;
      return this;
    }

    /** The Debian Go build rejects a flag of the row (the reason is commented at the row). */
    Row oursOnly() {
      goToo = false;
      return this;
    }

    Row alsoOnSecondAddress() {
      secondAddress = true;
      return this;
    }

    Row jsonLogs() {
      jsonLogs = true;
      return this;
    }

    /** Ours accepts {@code flag} without implementing it: exactly one WARN must name it. */
    Row warns(String flag) {
      warns = flag;
      return this;
    }

    Row basicAuth(String user, String password) {
      basicAuth =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      return this;
    }

    Row has(String... families) {
      has.addAll(List.of(families));
      return this;
    }

    /** No family starting with one of {@code prefixes} on either side. */
    Row lacks(String... prefixes) {
      lacks.addAll(List.of(prefixes));
      return this;
    }

    Row responseHeader(String name, String value) {
      responseHeaders.put(name, value);
      return this;
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(exporter.subcommand);
      env.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
      args.forEach(a -> s.append(' ').append(a));
      if (!path.equals("/metrics")) {
        s.append(" GET ").append(path);
      }
      if (!goToo) {
        s.append(" (ours only)");
      }
      return s.toString();
    }
  }

  static Jedis jedis() {
    return new Jedis(REDIS_HOST, Integer.parseInt(REDIS_PORT));
  }

  /** A bcrypt hash as the toolkit's docs make it: {@code htpasswd -nBC 10}. */
  static String bcrypt(String user, String password) throws Exception {
    Process p = new ProcessBuilder("htpasswd", "-nbBC", "10", user, password).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).startsWith(user + ":$2");
    return out.substring(user.length() + 1);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A process we started, its output in a file; {@link #close()} ends it by its own handle. */
  static final class Child implements AutoCloseable {
    final String name;
    final Process process;
    final Path out;
    final Path err;
    final int port;
    final int port2;

    Child(String name, Process process, Path out, Path err, int port, int port2) {
      this.name = name;
      this.process = process;
      this.out = out;
      this.err = err;
      this.port = port;
      this.port2 = port2;
    }

    /** What it wrote to stderr: the log (ours prints its banner on stdout). */
    String log() {
      return read(err);
    }

    String output() {
      return read(out) + read(err);
    }

    private static String read(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }

    @Override
    public void close() {
      if (!process.isAlive()) {
        return;
      }
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(20, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String expand(String s, int port, int port2, Path dir) {
    String dsn =
        "postgresql://"
            + PG_USER
            + ":"
            + URLEncoder.encode(PG_PASSWORD, StandardCharsets.UTF_8)
            + "@"
            + PG_HOST
            + ":"
            + PG_PORT
            + "/"
            + PG_DB
            + "?sslmode=disable";
    return s.replace("{addr}", "127.0.0.1:" + port)
        .replace("{addr2}", "127.0.0.1:" + port2)
        .replace("{dir}", dir.toString())
        .replace("{dsn}", dsn)
        .replace("{pguri}", PG_HOST + ":" + PG_PORT + "/" + PG_DB + "?sslmode=disable")
        .replace("{pguser}", PG_USER)
        .replace("{pgpass}", PG_PASSWORD)
        .replace("{redis}", "redis://" + REDIS_HOST + ":" + REDIS_PORT);
  }

  private static Child start(String name, Row row, List<String> prefix, Path dir)
      throws IOException {
    int port = freePort();
    int port2 = freePort();
    List<String> command = new ArrayList<>(prefix);
    for (String a : row.args) {
      command.add(expand(a, port, port2, dir));
    }
    Path out = Files.createTempFile(dir, name + "-", ".out");
    Path err = Files.createTempFile(dir, name + "-", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    // Nothing of the test's own environment may configure either side: only the row's variables.
    pb.environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("DATA_SOURCE_")
                    || k.startsWith("PG_EXPORTER_")
                    || k.startsWith("REDIS_")
                    || k.startsWith("CM_WEB_")
                    || k.startsWith("CLUSTER_MONITOR_"));
    row.env.forEach((k, v) -> pb.environment().put(k, expand(v, port, port2, dir)));
    return new Child(name, pb.start(), out, err, port, port2);
  }

  /** The answer of one GET, or null while nothing listens. */
  private static HttpResponse<String> get(Row row, int port, Path dir) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + expand(row.path, port, port, dir)))
            .timeout(Duration.ofSeconds(30));
    if (row.basicAuth != null) {
      b.header("Authorization", row.basicAuth);
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Waits (generously) until {@code c} answers 200, failing early if it exits. */
  private static HttpResponse<String> awaitServing(Row row, Child c, int port, Path dir) {
    AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              HttpResponse<String> r = get(row, port, dir);
              last.set(r);
              return !c.process.isAlive() || (r != null && r.statusCode() == 200);
            });
    assertThat(c.process.isAlive())
        .as("%s is still running after `%s`; its output:%n%s", c.name, row, c.output())
        .isTrue();
    return last.get();
  }

  /** The family names of a text exposition: its {@code # TYPE} lines. */
  static Set<String> families(String body) {
    Set<String> out = new TreeSet<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        out.add(line.split(" ")[2]);
      }
    }
    return out;
  }

  private static List<String> withPrefix(Set<String> families, List<String> prefixes) {
    return families.stream().filter(f -> prefixes.stream().anyMatch(f::startsWith)).toList();
  }

  private static void checkBoth(Row row, HttpResponse<String> r, String who) throws Exception {
    assertThat(r.statusCode()).as(who + ": " + row).isEqualTo(200);
    if (row.basicAuth != null) {
      HttpResponse<String> anonymous =
          HTTP.send(
              HttpRequest.newBuilder(r.uri()).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).as(who + " without credentials").isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
          .as(who)
          .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    }
    Set<String> f = families(r.body());
    assertThat(f).as(who + ": " + row).containsAll(row.has);
    assertThat(withPrefix(f, row.lacks)).as(who + ": " + row).isEmpty();
    row.responseHeaders.forEach(
        (k, v) -> assertThat(r.headers().firstValue(k)).as(who + " " + k).contains(v));
    if (row.exporter == Exporter.POSTGRES) {
      assertThat(r.body()).as(who + " reaches PostgreSQL").containsPattern("(?m)^pg_up(\\{.*})? 1");
    }
    if (row.exporter == Exporter.REDIS) {
      assertThat(r.body()).as(who + " reaches Redis").containsPattern("(?m)^redis_up(\\{.*})? 1");
    }
  }

  private static final Pattern WARN_LINE = Pattern.compile("(?i)(level\"?[=:]\"?warn|\\bWARN\\b)");

  /** Runs one row: ours and (unless ours only) Go with the same argv and environment. */
  static void check(Row row, Path dir) throws Exception {
    List<String> java =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            JAR.toString(),
            row.exporter.subcommand);
    Child ours = start("ours", row, java, dir);
    Child go = null;
    try {
      go = row.goToo ? start("go", row, List.of(row.exporter.binary), dir) : null;
      HttpResponse<String> mine = awaitServing(row, ours, ours.port, dir);
      checkBoth(row, mine, "ours");
      if (row.secondAddress) {
        checkBoth(row, awaitServing(row, ours, ours.port2, dir), "ours on the second address");
      }
      Set<String> ourFamilies = families(mine.body());
      if (go != null) {
        HttpResponse<String> theirs = awaitServing(row, go, go.port, dir);
        checkBoth(row, theirs, "Go");
        if (row.secondAddress) {
          checkBoth(row, awaitServing(row, go, go.port2, dir), "Go on the second address");
        }
        Set<String> missing = new TreeSet<>(families(theirs.body()));
        missing.removeAll(ourFamilies);
        missing.removeIf(row.exporter::allowedGoOnly);
        assertThat(missing).as("families Go serves and ours does not: " + row).isEmpty();
        assertThat(go.process.isAlive()).as("Go still running: " + row).isTrue();
      }
      assertThat(ours.process.isAlive()).as("ours still running: " + row).isTrue();
      // The logs are read once the processes have ended: ours flushes its log at exit at the
      // latest, so nothing written before the scrape can be missed.
      ours.close();
      if (go != null) {
        go.close();
        if (row.jsonLogs) {
          assertJsonLines(go, true);
        }
      }
      if (row.jsonLogs) {
        // postgres-exporter may log nothing at all (0.11 does at debug): every line is JSON.
        assertJsonLines(ours, row.warns != null);
      }
      List<String> warnings = ours.log().lines().filter(WARN_LINE.asPredicate()).toList();
      if (row.warns != null) {
        Predicate<String> naming = l -> l.contains(row.warns);
        assertThat(warnings.stream().filter(naming).toList())
            .as("WARN lines naming %s in:%n%s", row.warns, ours.log())
            .hasSize(1);
      } else {
        assertThat(warnings)
            .as("a flag of `%s` accepted and ignored", row)
            .noneMatch(l -> l.contains("accepted") || l.contains("no effect"));
      }
    } finally {
      ours.close();
      if (go != null) {
        go.close();
      }
    }
  }

  private static void assertJsonLines(Child c, boolean someExpected) {
    List<String> lines = c.log().lines().filter(l -> !l.isBlank()).toList();
    if (someExpected) {
      assertThat(lines).as(c.name + " logged").isNotEmpty();
    }
    assertThat(lines).as(c.name).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
  }
}
