package io.clustermonitor.exporters.postgres;

import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.get;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.ExporterServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped and started again, and a wrong password, against our own PostgreSQL instance
 * (initdb into a temporary directory as user postgres, like scripts/lib-env.sh).
 */
class PostgresFaultIT {
  static final String ADMIN_PASSWORD = "cm-fault-Admin-pw-31337";
  static Path dir;
  static Path bin;
  static int port;
  static CompatSupport.Started postgres;

  static Path pgBin() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
      return s.map(p -> p.resolve("bin"))
          .filter(p -> Files.isExecutable(p.resolve("postgres")))
          .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString())))
          .orElseThrow();
    }
  }

  static String[] asPostgres(String... cmd) {
    String[] full = new String[cmd.length + 4];
    full[0] = "/usr/bin/setpriv";
    full[1] = "--reuid=postgres";
    full[2] = "--regid=postgres";
    full[3] = "--init-groups";
    System.arraycopy(cmd, 0, full, 4, cmd.length);
    return full;
  }

  @BeforeAll
  static void initdb() throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root to run PostgreSQL as user postgres");
    bin = pgBin();
    dir = Files.createTempDirectory("cm-pg-fault-");
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
    Path pw = dir.resolve("pw");
    Files.writeString(pw, ADMIN_PASSWORD + "\n");
    Files.setOwner(pw, users.lookupPrincipalByName("postgres"));
    try (CompatSupport.Started init =
        CompatSupport.start(
            Map.of(),
            asPostgres(
                bin.resolve("initdb").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-U",
                "postgres",
                "-A",
                "scram-sha-256",
                "--pwfile=" + pw))) {
      assertThat(init.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(init.process.exitValue()).as(init.log()).isZero();
    }
    port = freePort();
    postgres = start();
  }

  static CompatSupport.Started start() throws Exception {
    CompatSupport.Started s =
        CompatSupport.start(
            Map.of(),
            asPostgres(
                bin.resolve("postgres").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=" + dir,
                "-c",
                "max_connections=20",
                "-c",
                "shared_buffers=16MB"));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> s.log().contains("ready to accept connections"));
    return s;
  }

  /** Fast shutdown (SIGINT): a smart shutdown would wait for our collector's connection. */
  static void stop() throws Exception {
    if (postgres == null) {
      return;
    }
    long pid = postgres.process.pid();
    new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
    if (!postgres.process.waitFor(30, TimeUnit.SECONDS)) {
      postgres.close();
    }
    postgres = null;
  }

  @AfterAll
  static void cleanUp() throws Exception {
    stop();
    if (dir != null) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static PostgresCollector collector(String password) {
    return PostgresCollector.builder()
        .dataSources(
            List.of(
                DataSource.parse(
                    "host=127.0.0.1 port="
                        + port
                        + " user=postgres dbname=postgres sslmode=disable password="
                        + password)))
        .collectionTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static ExporterServer server(PostgresCollector c) {
    return ExporterServer.builder()
        .host("127.0.0.1")
        .port(0)
        .namespace("pg_exporter")
        .register(c)
        .start();
  }

  private static HttpResponse<String> scrape(ExporterServer s) throws Exception {
    return get("http://127.0.0.1:" + s.port() + "/metrics");
  }

  @Test
  void postgresStoppedGivesUpZeroWithHttp200AndStartedAgainGivesUpOne() throws Exception {
    try (PostgresCollector c = collector(ADMIN_PASSWORD);
        ExporterServer server = server(c)) {
      HttpResponse<String> up = scrape(server);
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(value(parse(up.body()), "pg_up")).isEqualTo(1);
      assertThat(value(parse(up.body()), "pg_settings_max_connections")).isEqualTo(20);

      stop();
      HttpResponse<String> down = scrape(server);
      assertThat(down.statusCode()).isEqualTo(200);
      assertThat(value(parse(down.body()), "pg_up")).isZero();
      assertThat(value(parse(down.body()), "pg_exporter_last_scrape_error")).isEqualTo(1);
      assertThat(parse(down.body())).doesNotContainKey("pg_settings_max_connections");

      postgres = start();
      HttpResponse<String> back = scrape(server);
      assertThat(back.statusCode()).isEqualTo(200);
      assertThat(value(parse(back.body()), "pg_up")).isEqualTo(1);
      assertThat(value(parse(back.body()), "pg_exporter_last_scrape_error")).isZero();
    }
  }

  @Test
  void aWrongPasswordGivesUpZeroAndThePasswordAppearsInNoLogAndNoOutput() throws Exception {
    String wrong = "cm-Wrong-pw-4242";
    PrintStream oldErr = System.err;
    PrintStream oldOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    String body;
    int status;
    System.setErr(capture);
    System.setOut(capture);
    try (PostgresCollector c = collector(wrong);
        ExporterServer server = server(c)) {
      org.slf4j.LoggerFactory.getLogger(PostgresFaultIT.class).info("scraping, wrong password");
      HttpResponse<String> r = scrape(server);
      body = r.body();
      status = r.statusCode();
      scrape(server);
      assertThat(c.dataSources().toString()).doesNotContain(wrong);
    } finally {
      System.setErr(oldErr);
      System.setOut(oldOut);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);

    assertThat(status).isEqualTo(200);
    assertThat(value(parse(body), "pg_up")).isZero();
    assertThat(body).doesNotContain(wrong).doesNotContain(ADMIN_PASSWORD);
    assertThat(logs).contains("scraping, wrong password").contains("password authentication");
    assertThat(logs).doesNotContain(wrong).doesNotContain(ADMIN_PASSWORD);
    assertThat(postgres.log()).doesNotContain(wrong);
  }
}
