package io.clustermonitor.examples;

import static io.clustermonitor.examples.ApiProxyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.examples.api.BadInputs;
import io.clustermonitor.exporters.ExporterServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The bad-input table of the serving tests against our node, postgres and redis exporter commands
 * and, side by side, against the Go exporters from Debian (node 1.5, postgres 0.11, redis 1.45, all
 * on Go's net/http) started as child processes on loopback with the same PostgreSQL and Redis.
 *
 * <p>Ours answer every row with a 4xx and a plain body without a class name. Go agrees on the
 * malformed request lines and headers; it serves metrics (200) for the rest, where we refuse on
 * purpose (docs/migrating.md, "Bad requests"): {@link #GO} records Go's answers, so a change of
 * either side shows here.
 */
class ExportersBadInputIT {
  static final Map<String, String> ENV = System.getenv();

  /** Go net/http's status for each row of the table (the same for the three Go exporters). */
  static final Map<String, Integer> GO = new LinkedHashMap<>();

  static {
    GO.put("bad escape in path", 400);
    GO.put("bad escape in query", 200);
    GO.put("raw NUL", 400);
    GO.put("bad Content-Length", 400);
    GO.put("chunked garbage", 200);
    GO.put("1 MB URL", 200);
    GO.put("1,000 headers", 200);
    GO.put("body on GET", 200);
    GO.put("10 MB body on GET", 200);
    GO.put("foreign Host", 200);
  }

  /** Ours where Go serves 200: what we answer instead (docs/migrating.md). */
  static final Map<String, Integer> OURS_WHERE_GO_SERVES = new LinkedHashMap<>();

  static {
    OURS_WHERE_GO_SERVES.put("bad escape in query", 400);
    OURS_WHERE_GO_SERVES.put("chunked garbage", 400);
    OURS_WHERE_GO_SERVES.put("1 MB URL", 414);
    OURS_WHERE_GO_SERVES.put("1,000 headers", 431);
    OURS_WHERE_GO_SERVES.put("body on GET", 400);
    OURS_WHERE_GO_SERVES.put("10 MB body on GET", 413);
    OURS_WHERE_GO_SERVES.put("foreign Host", 421);
  }

  static String pg(String key, String def) {
    return ENV.getOrDefault("CM_TEST_PG_" + key, def);
  }

  static String redisUrl() {
    return "redis://"
        + ENV.getOrDefault("CM_TEST_REDIS_HOST", "127.0.0.1")
        + ":"
        + ENV.getOrDefault("CM_TEST_REDIS_PORT", "56379");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A Go exporter we started, ended by its own process handle. */
  static final class GoExporter implements AutoCloseable {
    final Process process;
    final int port;

    GoExporter(List<String> command, Map<String, String> env, int port) throws IOException {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().putAll(env);
      this.process = pb.start();
      this.port = port;
      await().atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive() || listening(port));
      assertThat(process.isAlive()).as(String.join(" ", command)).isTrue();
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(20, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One of our commands, in-process on an ephemeral port. */
  static final class Ours implements AutoCloseable {
    final Thread thread;
    final Running running;
    final Supplier<ExporterServer> server;

    Ours(Callable<Integer> cmd, Running running, Supplier<ExporterServer> server, String... args) {
      this.running = running;
      this.server = server;
      this.thread = new Thread(() -> run(cmd, args), "bad-input-ours");
      thread.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> server.get() != null);
    }

    int port() {
      return server.get().port();
    }

    @Override
    public void close() {
      running.stop();
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void compare(String exporter, int ours, int go) throws IOException {
    assertThat(BadInputs.table("/metrics"))
        .extracting(BadInputs.Row::name)
        .containsExactlyElementsOf(GO.keySet());
    List<String> table = new ArrayList<>();
    for (BadInputs.Row row : BadInputs.table("/metrics")) {
      String what = exporter + ": " + row.name();
      String answer = BadInputs.send(ours, row);
      int goStatus = BadInputs.sendForStatus(go, row);
      int ourStatus = BadInputs.status(answer);
      table.add(row.name() + " ours " + ourStatus + " go " + goStatus);

      assertThat(answer).as(what).startsWith("HTTP/1.1 4");
      assertThat(answer.toLowerCase(Locale.ROOT)).as(what).contains("content-type: text/plain");
      assertThat(answer)
          .as(what)
          .doesNotContain("Exception", "java.", "org.eclipse", "\tat ", "jetty");
      int bodyStart = answer.indexOf("\r\n\r\n");
      assertThat(bodyStart).as(what).isPositive();
      assertThat(answer.substring(bodyStart + 4)).as(what).isNotBlank();

      assertThat(goStatus).as(what + " from the Go exporter").isEqualTo(GO.get(row.name()));
      if (goStatus >= 400) {
        assertThat(ourStatus).as(what + ": the same answer as Go").isEqualTo(goStatus);
      } else {
        assertThat(ourStatus)
            .as(what + ": refused where Go serves")
            .isEqualTo(OURS_WHERE_GO_SERVES.get(row.name()));
      }
    }
    System.out.println(exporter + " bad-input table: " + table);
  }

  @Test
  void nodeExporter() throws Exception {
    NodeExporterCommand cmd = new NodeExporterCommand();
    cmd.env = Map.of();
    int goPort = freePort();
    try (Ours ours =
            new Ours(cmd, cmd.running, () -> cmd.server, "--web.listen-address=127.0.0.1:0");
        GoExporter go =
            new GoExporter(
                List.of(
                    "prometheus-node-exporter",
                    "--web.listen-address=127.0.0.1:" + goPort,
                    "--collector.disable-defaults",
                    "--collector.loadavg"),
                Map.of(),
                goPort)) {
      compare("node", ours.port(), go.port);
    }
  }

  @Test
  void postgresExporter() throws Exception {
    String uri =
        pg("HOST", "127.0.0.1")
            + ":"
            + pg("PORT", "55432")
            + "/"
            + pg("DB", "cmtest")
            + "?sslmode=disable";
    Map<String, String> env =
        Map.of(
            "DATA_SOURCE_URI", uri,
            "DATA_SOURCE_USER", pg("USER", "cmtest"),
            "DATA_SOURCE_PASS", pg("PASSWORD", "cmtest-secret-pw"));
    PostgresExporterCommand cmd = new PostgresExporterCommand();
    cmd.env = env;
    int goPort = freePort();
    try (Ours ours =
            new Ours(cmd, cmd.running, () -> cmd.server, "--web.listen-address=127.0.0.1:0");
        GoExporter go =
            new GoExporter(
                List.of("prometheus-postgres-exporter", "--web.listen-address=127.0.0.1:" + goPort),
                env,
                goPort)) {
      compare("postgres", ours.port(), go.port);
    }
  }

  @Test
  void redisExporter() throws Exception {
    RedisExporterCommand cmd = new RedisExporterCommand();
    cmd.env = Map.of("REDIS_ADDR", redisUrl());
    int goPort = freePort();
    try (Ours ours =
            new Ours(cmd, cmd.running, () -> cmd.server, "-web.listen-address=127.0.0.1:0");
        GoExporter go =
            new GoExporter(
                List.of(
                    "prometheus-redis-exporter",
                    "-web.listen-address=127.0.0.1:" + goPort,
                    "-redis.addr=" + redisUrl()),
                Map.of(),
                goPort)) {
      compare("redis", ours.port(), go.port);
    }
  }
}
