package io.clustermonitor.examples;

import static io.clustermonitor.core.livetest.TestPostgres.DB;
import static io.clustermonitor.core.livetest.TestPostgres.PASSWORD;
import static io.clustermonitor.core.livetest.TestPostgres.SERVER;
import static io.clustermonitor.core.livetest.TestPostgres.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code postgres-exporter --log.level=debug} against the dev PostgreSQL, as the runnable jar in a
 * child process: as postgres_exporter does at debug, one line per collector run and per query
 * (namespace) with its duration and server, and a line per server connection; never a password,
 * though every DSN here carries one (the working target, an unreachable second target, a {@code
 * /probe} target and one with a wrong password). At the default level none of those lines.
 */
class PostgresDebugLogIT {

  /** The password of targets that cannot log in: must not show up either. */
  static final String WRONG_PASSWORD = "cm-Debug-Wrong-Pw-7731";

  static final Path JAR = Path.of("target", "cluster-monitor.jar").toAbsolutePath();

  @TempDir Path dir;

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String dsn(String password, String server) {
    return "postgresql://" + USER + ":" + password + "@" + server + "/" + DB + "?sslmode=disable";
  }

  static int get(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  /** Starts the jar, scrapes /metrics twice and /probe twice, stops it; stderr and stdout. */
  String[] run(String name, String... flags) throws Exception {
    int port = freePort();
    int closed = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.add("postgres-exporter");
    cmd.add("--web.listen-address=127.0.0.1:" + port);
    cmd.addAll(List.of(flags));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment()
        .put(
            "DATA_SOURCE_NAME",
            dsn(PASSWORD, SERVER) + "," + dsn(WRONG_PASSWORD, "127.0.0.1:" + closed));
    Path errFile = dir.resolve(name + ".err");
    Path outFile = dir.resolve(name + ".out");
    pb.redirectError(errFile.toFile()).redirectOutput(outFile.toFile());
    Process p = pb.start();
    try {
      String base = "http://127.0.0.1:" + port;
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(300))
          .ignoreExceptions()
          .until(() -> get(base + "/metrics") == 200);
      assertThat(get(base + "/metrics")).isEqualTo(200);
      String probe = URLEncoder.encode(dsn(PASSWORD, SERVER), StandardCharsets.UTF_8);
      assertThat(get(base + "/probe?target=" + probe)).isEqualTo(200);
      String bad = URLEncoder.encode(dsn(WRONG_PASSWORD, SERVER), StandardCharsets.UTF_8);
      assertThat(get(base + "/probe?target=" + bad)).isEqualTo(200);
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
    return new String[] {Files.readString(errFile), Files.readString(outFile)};
  }

  @Test
  void debugWritesALinePerCollectorQueryAndConnectionAndNeverAPassword() throws Exception {
    String[] out = run("debug", "--log.level=debug", "--collector.process_idle");
    String err = out[0];

    List<String> debug = err.lines().filter(l -> l.contains("level=debug")).toList();
    assertThat(debug)
        .anyMatch(
            l ->
                l.contains("Established new database connection server=" + SERVER)
                    && l.contains("database=" + DB));
    // One line per collector run, with its duration, for each of the two /metrics scrapes.
    assertThat(
            debug.stream()
                .filter(l -> l.contains("collector succeeded name=locks server=" + SERVER))
                .filter(l -> l.matches(".*duration_seconds=[0-9.E-]+.*"))
                .count())
        .isGreaterThanOrEqualTo(2);
    assertThat(debug).anyMatch(l -> l.contains("collector succeeded name=process_idle"));
    assertThat(debug)
        .anyMatch(
            l ->
                l.contains("Querying namespace namespace=pg_stat_activity server=" + SERVER)
                    && l.contains("duration_seconds="));
    assertThat(debug).anyMatch(l -> l.contains("Querying namespace namespace=pg_settings"));
    assertThat(debug).anyMatch(l -> l.contains("Scraped server=" + SERVER + " database=" + DB));
    // The unreachable second target is named by host:port only.
    assertThat(err).contains("127.0.0.1:");

    assertThat(err + out[1]).doesNotContain(PASSWORD).doesNotContain(WRONG_PASSWORD);
  }

  @Test
  void theDefaultLevelStaysQuietAndWritesNoPasswordEither() throws Exception {
    String[] out = run("info");
    String err = out[0];

    assertThat(err).doesNotContain("level=debug");
    assertThat(err).doesNotContain("collector succeeded").doesNotContain("Querying namespace");
    assertThat(err + out[1]).doesNotContain(PASSWORD).doesNotContain(WRONG_PASSWORD);
  }
}
