package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.core.livetest.TestPostgres;
import io.clustermonitor.exporters.node.NodeCollector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher the build writes to {@code target/bin/cluster-monitor} (the README's run command):
 * its JVM settings, the class-data sharing archive it writes on the first run and uses on the next,
 * user options winning, and a clean stdout.
 */
class LauncherIT {
  private static final Path TARGET = Path.of("target").toAbsolutePath();

  @TempDir Path dist;

  record Result(int exit, String out, String err) {}

  private Path install() throws IOException {
    return install(dist);
  }

  /**
   * The launcher and the full jar in {@code dir}, laid out as the build does (no exporters jar).
   */
  private static Path install(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("bin"));
    Path launcher = dir.resolve("bin/cluster-monitor");
    Files.copy(TARGET.resolve("bin/cluster-monitor"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(TARGET.resolve("cluster-monitor.jar"), dir.resolve("cluster-monitor.jar"));
    return launcher;
  }

  /**
   * The launcher with {@code args}, this JDK and none of the launcher's variables from the test's
   * own environment, then {@code env}.
   */
  private static ProcessBuilder launching(
      Path launcher, Map<String, String> env, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("CLUSTER_MONITOR_OPTS");
    pb.environment().remove("CLUSTER_MONITOR_CDS");
    pb.environment().remove("MALLOC_ARENA_MAX");
    pb.environment().putAll(env);
    return pb;
  }

  private static Result run(Path launcher, Map<String, String> env, String... args)
      throws Exception {
    ProcessBuilder pb = launching(launcher, env, List.of(args));
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    Result r =
        new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  private List<Path> archives() throws IOException {
    try (Stream<Path> s = Files.list(dist)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
    }
  }

  @Test
  void firstRunWritesTheArchiveTheSecondUsesItAndStdoutStaysClean() throws Exception {
    Path launcher = install();
    Result first = run(launcher, Map.of(), "--version");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out().strip()).doesNotContain("warning").doesNotContain("[").isNotEmpty();
    assertThat(archives()).hasSize(1);

    // -Xshare:on makes the JVM fail unless it can map the archive the launcher names.
    Result second = run(launcher, Map.of("CLUSTER_MONITOR_OPTS", "-Xshare:on"), "--version");
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
  }

  @Test
  void appliesItsHeapAndGcSettingsAndUserOptionsWin() throws Exception {
    Path launcher = install();
    Result defaults =
        run(
            launcher,
            Map.of("CLUSTER_MONITOR_CDS", "off", "CLUSTER_MONITOR_OPTS", "-XX:+PrintFlagsFinal"),
            "--version");
    assertThat(defaults.exit()).as(defaults.err()).isZero();
    assertThat(flag(defaults.out(), "MaxHeapSize")).isEqualTo(String.valueOf(64L << 20));
    assertThat(flag(defaults.out(), "UseSerialGC")).isEqualTo("true");
    assertThat(flag(defaults.out(), "TieredStopAtLevel")).isEqualTo("1");
    assertThat(flag(defaults.out(), "MaxNewSize")).isEqualTo(String.valueOf(6L << 20));
    assertThat(archives()).isEmpty();
    for (String exporter :
        List.of("node-exporter", "postgres-exporter", "redis-exporter", "container-exporter")) {
      Result small =
          run(
              launcher,
              Map.of("CLUSTER_MONITOR_CDS", "off", "CLUSTER_MONITOR_OPTS", "-XX:+PrintFlagsFinal"),
              exporter,
              "--version");
      assertThat(small.exit()).as(exporter + ": " + small.err()).isZero();
      assertThat(flag(small.out(), "MaxNewSize")).as(exporter).isEqualTo(String.valueOf(3L << 20));
    }

    Result overridden =
        run(
            launcher,
            Map.of(
                "CLUSTER_MONITOR_CDS",
                "off",
                "CLUSTER_MONITOR_OPTS",
                "-Xmx128m -XX:+PrintFlagsFinal"),
            "--version");
    assertThat(flag(overridden.out(), "MaxHeapSize")).isEqualTo(String.valueOf(128L << 20));
  }

  @Test
  void limitsGlibcArenasAndTrimsTheNativeHeapWhereTheJdkCan() throws Exception {
    Path launcher = install();
    Result real =
        run(
            launcher,
            Map.of("CLUSTER_MONITOR_CDS", "off", "CLUSTER_MONITOR_OPTS", "-XX:+PrintFlagsFinal"),
            "--version");
    assertThat(real.exit()).as(real.err()).isZero();
    if (Runtime.version().feature() == 17 && Runtime.version().update() >= 9) {
      assertThat(flag(real.out(), "TrimNativeHeapInterval")).isEqualTo("2000");
    }

    // A stand-in JDK that prints its environment and arguments: the version gate both ways.
    for (String version : List.of("17.0.8", "17.0.9", "21.0.0", "21.0.2", "25")) {
      Path jdk = Files.createDirectories(dist.resolve("jdk-" + version + "/bin"));
      Files.writeString(jdk.getParent().resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
      Path java = jdk.resolve("java");
      Files.writeString(java, "#!/bin/sh\necho \"arenas=$MALLOC_ARENA_MAX\"\necho \"$@\"\n");
      assertThat(java.toFile().setExecutable(true)).isTrue();
      Result r =
          run(
              launcher,
              Map.of("CLUSTER_MONITOR_CDS", "off", "JAVA_HOME", jdk.getParent().toString()),
              "--version");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).as(version).contains("arenas=2");
      boolean trims = !version.equals("17.0.8") && !version.equals("21.0.0");
      assertThat(r.out().contains("-XX:TrimNativeHeapInterval=2000")).as(version).isEqualTo(trims);
    }
    Path jdk = dist.resolve("jdk-17.0.9");
    Result own =
        run(
            launcher,
            Map.of(
                "CLUSTER_MONITOR_CDS", "off", "JAVA_HOME", jdk.toString(), "MALLOC_ARENA_MAX", "4"),
            "--version");
    assertThat(own.out()).contains("arenas=4");
  }

  /** A JAVA_HOME whose {@code java} (a 17.0.15 by its release file) prints its arguments. */
  private Map<String, String> echoingJdk() throws IOException {
    Path jdk = Files.createDirectories(dist.resolve("jdk/bin"));
    Files.writeString(dist.resolve("jdk/release"), "JAVA_VERSION=\"17.0.15\"\n");
    Path java = jdk.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
    assertThat(java.toFile().setExecutable(true)).isTrue();
    return Map.of("JAVA_HOME", dist.resolve("jdk").toString());
  }

  @Test
  void theGoStyleExportersRunWithoutTheArchiveUnlessAsked() throws Exception {
    Path launcher = install();
    assertThat(run(launcher, Map.of(), "--version").exit()).isZero();
    assertThat(archives()).hasSize(1);
    Map<String, String> fake = echoingJdk();
    for (String command :
        List.of("node-exporter", "postgres-exporter", "redis-exporter", "container-exporter")) {
      assertThat(run(launcher, fake, command).out()).doesNotContain("SharedArchiveFile");
      Map<String, String> on = new HashMap<>(fake);
      on.put("CLUSTER_MONITOR_CDS", "on");
      assertThat(run(launcher, on, command).out()).contains("-XX:SharedArchiveFile=");
    }
    for (String command : List.of("serve", "api-proxy", "status", "health")) {
      assertThat(run(launcher, fake, command).out()).contains("-XX:SharedArchiveFile=");
    }
    for (String command : List.of("serve", "node-exporter", "container-exporter")) {
      String args = run(launcher, fake, command).out();
      assertThat(args.split(" -Xmn", -1)).as(command + ": one young generation size").hasSize(2);
    }
  }

  @Test
  void theGoStyleExportersRunFromTheExportersJarWhenItIsThere() throws Exception {
    Path launcher = install();
    Map<String, String> fake = echoingJdk();
    String full = "-jar " + dist.resolve("bin/../cluster-monitor.jar") + " ";
    String small = "-jar " + dist.resolve("bin/../" + EXPORTERS_JAR) + " ";
    assertThat(run(launcher, fake, "node-exporter").out()).as("no exporters jar").contains(full);

    Files.copy(TARGET.resolve("cluster-monitor-exporters.jar"), dist.resolve(EXPORTERS_JAR));
    for (String command : List.of("node-exporter", "postgres-exporter", "redis-exporter")) {
      assertThat(run(launcher, fake, command).out()).as(command).contains(small + command);
      Map<String, String> on = new HashMap<>(fake);
      on.put("CLUSTER_MONITOR_CDS", "on"); // the archive is the full jar's
      assertThat(run(launcher, on, command).out()).as(command + ", CDS on").contains(full);
    }
    for (String command : List.of("serve", "container-exporter", "api-proxy", "status")) {
      assertThat(run(launcher, fake, command).out()).as(command).contains(full + command);
    }
  }

  /**
   * What the exporters jar leaves out (the Docker side) is never needed by the three commands that
   * run from it: each serves the same metric families from it as from the full jar, every node
   * collector switched on, and each collector succeeds or fails the same way.
   */
  @Test
  void theExportersJarServesWhatTheFullJarServes() throws Exception {
    Path launcher = install();
    Files.copy(TARGET.resolve("cluster-monitor-exporters.jar"), dist.resolve(EXPORTERS_JAR));
    Path fullOnly = install(dist.resolve("full"));
    List<String> node = new ArrayList<>(List.of("node-exporter"));
    NodeCollector.GO_COLLECTORS.keySet().forEach(c -> node.add("--collector." + c));
    String redis =
        "redis://"
            + System.getenv().getOrDefault("CM_TEST_REDIS_HOST", "127.0.0.1")
            + ":"
            + System.getenv().getOrDefault("CM_TEST_REDIS_PORT", "56379");
    Map<List<String>, Map<String, String>> commands = new LinkedHashMap<>();
    commands.put(node, Map.of());
    commands.put(List.of("redis-exporter"), Map.of("REDIS_ADDR", redis));
    commands.put(List.of("postgres-exporter"), Map.of("DATA_SOURCE_NAME", TestPostgres.DSN));
    for (Map.Entry<List<String>, Map<String, String>> c : commands.entrySet()) {
      String command = c.getKey().get(0);
      try (Exporter fromSmall = Exporter.start(launcher, c.getValue(), c.getKey());
          Exporter fromFull = Exporter.start(fullOnly, c.getValue(), c.getKey())) {
        assertThat(fromSmall.arguments()).as(command).contains(EXPORTERS_JAR);
        assertThat(fromFull.arguments()).as(command).doesNotContain(EXPORTERS_JAR);
        Awaitility.await(command + ": the same families and collector results")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(2))
            .untilAsserted(
                () -> {
                  String a = fromSmall.scrape();
                  String b = fromFull.scrape();
                  assertThat(families(a)).as(command).isNotEmpty().isEqualTo(families(b));
                  assertThat(outcomes(a)).as(command).isEqualTo(outcomes(b));
                });
        String body = fromSmall.scrape();
        assertThat(body)
            .as(command)
            .contains(
                switch (command) {
                  case "redis-exporter" -> "\nredis_up 1";
                  case "postgres-exporter" -> "\npg_up 1";
                  default -> "node_scrape_collector_success{collector=\"timex\"} 1";
                });
      }
    }
  }

  private static final String EXPORTERS_JAR = "cluster-monitor-exporters.jar";

  /** The {@code # TYPE} lines of an exposition, sorted. */
  private static List<String> families(String body) {
    return body.lines().filter(l -> l.startsWith("# TYPE ")).sorted().toList();
  }

  /** The per-collector and per-target outcome samples (success, up), sorted. */
  private static List<String> outcomes(String body) {
    return body.lines()
        .filter(
            l ->
                l.startsWith("node_scrape_collector_success{")
                    || l.startsWith("redis_up ")
                    || l.startsWith("pg_up "))
        .sorted()
        .toList();
  }

  /** A launcher-started exporter on an ephemeral loopback port, stopped on close. */
  private record Exporter(Process process, URI metrics, Path log) implements AutoCloseable {
    static Exporter start(Path launcher, Map<String, String> env, List<String> command)
        throws Exception {
      List<String> args = new ArrayList<>(command);
      args.add("--web.listen-address=127.0.0.1:0");
      ProcessBuilder pb = launching(launcher, env, args);
      Path log = Files.createTempFile("launcher-exporter", ".err");
      pb.redirectError(log.toFile());
      Process p = pb.start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine(); // "cluster-monitor node-exporter on http://127.0.0.1:N/metrics"
      if (line == null || !line.contains(" on http://")) {
        p.destroyForcibly();
        throw new AssertionError(
            command + " did not start: " + line + "\n" + Files.readString(log));
      }
      return new Exporter(p, URI.create(line.substring(line.indexOf(" on ") + 4).strip()), log);
    }

    String arguments() {
      return String.join(" ", process.info().arguments().orElse(new String[0]));
    }

    String scrape() throws Exception {
      HttpURLConnection c = (HttpURLConnection) metrics.toURL().openConnection();
      c.setConnectTimeout(5_000);
      c.setReadTimeout(30_000);
      try (InputStream in = c.getInputStream()) {
        assertThat(c.getResponseCode()).isEqualTo(200);
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        c.disconnect();
      }
    }

    @Override
    public void close() throws IOException {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      Files.deleteIfExists(log);
    }
  }

  @Test
  void aMissingJarIsOneClearLine() throws Exception {
    Path launcher = install();
    Files.delete(dist.resolve("cluster-monitor.jar"));
    Result r = run(launcher, Map.of(), "serve");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip())
        .startsWith("cluster-monitor: ")
        .contains("not found")
        .doesNotContain("\n");
  }

  /** The value of one JVM flag in {@code -XX:+PrintFlagsFinal} output. */
  private static String flag(String printFlagsFinal, String name) {
    return printFlagsFinal
        .lines()
        .map(String::trim)
        .map(l -> l.split("\\s+"))
        .filter(f -> f.length >= 4 && f[1].equals(name))
        .map(f -> f[3])
        .findFirst()
        .orElseThrow(() -> new AssertionError("no flag " + name));
  }
}
