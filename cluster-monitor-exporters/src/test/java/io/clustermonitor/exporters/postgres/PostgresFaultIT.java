package io.clustermonitor.exporters.postgres;

import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.get;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.core.livetest.TestPostgres;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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
 * PostgreSQL stopped and started again, /probe with two clusters and two auth modules, bad input
 * and a wrong password, against our own PostgreSQL instance (initdb into a temporary directory as
 * user postgres, like scripts/lib-env.sh).
 */
class PostgresFaultIT {
  static final String ADMIN_PASSWORD = "cm-fault-Admin-pw-31337";
  static final String SHARED_HOST = TestPostgres.HOST;
  static final String SHARED_PORT = TestPostgres.PORT;
  static final String SHARED_USER = TestPostgres.USER;
  static final String SHARED_PASSWORD = TestPostgres.PASSWORD;
  static final String SHARED_DB = TestPostgres.DB;
  static Path dir;
  static Path bin;
  static int port;
  static CompatSupport.Started postgres;

  static Path pgBin() throws IOException {
    String fromEnv = System.getenv("CM_TEST_PG_BIN");
    if (fromEnv != null && Files.isExecutable(Path.of(fromEnv, "postgres"))) {
      return Path.of(fromEnv);
    }
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
    Path hba = dir.resolve("data").resolve("pg_hba.conf");
    Files.writeString(
        hba, "host all " + TRUST_USER + " 127.0.0.1/32 trust\n" + Files.readString(hba));
    port = freePort();
    postgres = start();
    try (Connection c = admin();
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + TRUST_USER + " LOGIN");
    }
  }

  static final String TRUST_USER = "cm_trust";

  static Connection admin() throws Exception {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable",
        "postgres",
        ADMIN_PASSWORD);
  }

  /** Backends our exporter holds on our cluster. */
  static int exporterBackends() throws Exception {
    try (Connection c = admin();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                    + PgConn.APPLICATION_NAME
                    + "'")) {
      rs.next();
      return rs.getInt(1);
    }
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

  private static DataSource ownSource(String password) {
    return DataSource.parse(
        "host=127.0.0.1 port="
            + port
            + " user=postgres dbname=postgres sslmode=disable password="
            + password);
  }

  private static PostgresCollector collector(String password) {
    return PostgresCollector.builder()
        .dataSources(List.of(ownSource(password)))
        .collectionTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static ExporterServer server(PostgresCollector c) {
    return ExporterServer.builder()
        .host("127.0.0.1")
        .port(0)
        .namespace("postgres_exporter")
        .register(c)
        .target("/probe", c.probe(MODULES))
        .start();
  }

  static final AuthModules MODULES =
      AuthModules.parse(
          "test.yml",
          "auth_modules:\n"
              + "  shared:\n"
              + "    type: userpass\n"
              + "    userpass:\n"
              + "      username: "
              + SHARED_USER
              + "\n"
              + "      password: "
              + SHARED_PASSWORD
              + "\n"
              + "    options:\n"
              + "      sslmode: disable\n"
              + "  trust:\n"
              + "    type: userpass\n"
              + "    userpass:\n"
              + "      username: "
              + TRUST_USER
              + "\n"
              + "    options:\n"
              + "      sslmode: disable\n");

  private static HttpResponse<String> probe(ExporterServer s, String query) throws Exception {
    return get("http://127.0.0.1:" + s.port() + "/probe?" + query);
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String ownTarget() {
    return "target=" + enc("127.0.0.1:" + port + "/postgres") + "&auth_module=trust";
  }

  private static HttpResponse<String> scrape(ExporterServer s) throws Exception {
    return get("http://127.0.0.1:" + s.port() + "/metrics");
  }

  @Test
  void postgresStoppedGivesUpZeroInTheNextScrapeWithHttp200AndStartedAgainGivesUpOne()
      throws Exception {
    try (PostgresCollector c = collector(ADMIN_PASSWORD);
        ExporterServer server = server(c)) {
      HttpResponse<String> up = scrape(server);
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(value(parse(up.body()), "pg_up")).isEqualTo(1);
      assertThat(value(parse(up.body()), "pg_settings_max_connections")).isEqualTo(20);
      assertThat(value(parse(probe(server, ownTarget()).body()), "pg_up")).isEqualTo(1);

      stop();
      HttpResponse<String> down = scrape(server);
      assertThat(down.statusCode()).isEqualTo(200);
      Map<String, CompatSupport.Parsed> d = parse(down.body());
      assertThat(value(d, "pg_up")).isZero();
      assertThat(value(d, "pg_exporter_last_scrape_error")).isEqualTo(1);
      assertThat(d).doesNotContainKey("pg_settings_max_connections");
      assertThat(value(d, "pg_scrape_collector_success", "collector", "database")).isZero();
      HttpResponse<String> probeDown = probe(server, ownTarget());
      assertThat(probeDown.statusCode()).isEqualTo(200);
      assertThat(value(parse(probeDown.body()), "pg_up")).isZero();

      postgres = start();
      HttpResponse<String> back = scrape(server);
      assertThat(back.statusCode()).isEqualTo(200);
      assertThat(value(parse(back.body()), "pg_up")).isEqualTo(1);
      assertThat(value(parse(back.body()), "pg_exporter_last_scrape_error")).isZero();
      assertThat(value(parse(probe(server, ownTarget()).body()), "pg_up")).isEqualTo(1);
    }
  }

  @Test
  void probeAnswersForEachOfTwoClustersWithItsOwnAuthModuleAPasswordlessOneIncluded()
      throws Exception {
    try (PostgresCollector c = PostgresCollector.builder().build();
        ExporterServer server = server(c)) {
      HttpResponse<String> shared =
          probe(
              server,
              "target="
                  + enc(SHARED_HOST + ":" + SHARED_PORT + "/" + SHARED_DB)
                  + "&auth_module=shared");
      HttpResponse<String> own = probe(server, ownTarget());
      HttpResponse<String> metrics = scrape(server);

      assertThat(shared.statusCode()).isEqualTo(200);
      assertThat(own.statusCode()).isEqualTo(200);
      Map<String, CompatSupport.Parsed> s = parse(shared.body());
      Map<String, CompatSupport.Parsed> o = parse(own.body());
      String sharedServer = SHARED_HOST + ":" + SHARED_PORT;
      String ownServer = "127.0.0.1:" + port;
      assertThat(value(s, "pg_up")).isEqualTo(1);
      assertThat(value(o, "pg_up")).isEqualTo(1);
      assertThat(value(s, "pg_settings_max_connections", "server", sharedServer)).isEqualTo(50);
      assertThat(value(o, "pg_settings_max_connections", "server", ownServer)).isEqualTo(20);
      assertThat(s.get("pg_static").samples())
          .extracting(x -> x.labels().get("server"))
          .containsExactly(sharedServer);
      assertThat(o.get("pg_static").samples())
          .extracting(x -> x.labels().get("server"))
          .containsExactly(ownServer);
      assertThat(value(o, "pg_database_size_bytes", "datname", "template0")).isPositive();
      assertThat(value(o, "pg_exporter_scrapes_total")).isEqualTo(1);
      assertThat(o.get("pg_scrape_collector_success").samples()).hasSize(9);
      // No DATA_SOURCE_NAME: /metrics is the multi-target-only mode of 0.15.
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(value(parse(metrics.body()), "pg_up")).isZero();
    }
  }

  @Test
  void badProbeRequestsAndABadQueriesFileGiveClearErrorsWithoutStackTraceOrPassword()
      throws Exception {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Path badQueries = dir.resolve("bad-queries.yaml");
    Files.writeString(badQueries, "pg_x:\n  query: [unclosed\n");
    try (PostgresCollector c =
            PostgresCollector.builder()
                .dataSources(List.of(ownSource(ADMIN_PASSWORD)))
                .userQueries(badQueries)
                .build();
        ExporterServer server = server(c)) {
      HttpResponse<String> unknown = probe(server, "target=127.0.0.1:1/db&auth_module=nope");
      HttpResponse<String> notDsn = probe(server, "target=" + enc("http://example.com/x"));
      HttpResponse<String> missing = probe(server, "auth_module=trust");
      HttpResponse<String> badUri =
          probe(server, "target=" + enc("postgresql://u:Probe-Secret-99@host:notaport/db"));
      HttpResponse<String> metrics = scrape(server);

      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(unknown.body()).contains("auth_module nope not found");
      assertThat(notDsn.statusCode()).isEqualTo(400);
      assertThat(notDsn.body()).contains("could not configure dsn for target");
      assertThat(missing.statusCode()).isEqualTo(400);
      assertThat(missing.body()).contains("target is required");
      assertThat(badUri.statusCode()).isEqualTo(400);
      assertThat(badUri.body()).doesNotContain("Probe-Secret-99");
      for (HttpResponse<String> r : List.of(unknown, notDsn, missing, badUri)) {
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
      }
      assertThat(metrics.statusCode()).isEqualTo(200);
      Map<String, CompatSupport.Parsed> m = parse(metrics.body());
      assertThat(value(m, "pg_exporter_user_queries_load_error")).isEqualTo(1);
      assertThat(m.get("pg_exporter_user_queries_load_error").samples().get(0).labels())
          .containsEntry("filename", badQueries.toString());
      assertThat(value(m, "pg_up")).isEqualTo(1);
    } finally {
      System.setErr(oldErr);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).contains("bad-queries.yaml").contains("not valid YAML");
    assertThat(logs)
        .doesNotContain("Probe-Secret-99")
        .doesNotContain(ADMIN_PASSWORD)
        .doesNotContain("\tat ");
  }

  @Test
  void noConnectionPilesUpOver100ScrapesAnd10Restarts() throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> exporterBackends() == 0);
    try (PostgresCollector c = collector(ADMIN_PASSWORD);
        ExporterServer server = server(c)) {
      int maxSeen = 0;
      for (int i = 0; i < 100; i++) {
        HttpResponse<String> r = i % 2 == 0 ? scrape(server) : probe(server, ownTarget());
        assertThat(r.statusCode()).isEqualTo(200);
        if (i % 10 == 0) {
          maxSeen = Math.max(maxSeen, exporterBackends());
        }
      }
      for (int i = 0; i < 10; i++) {
        stop();
        assertThat(value(parse(scrape(server).body()), "pg_up")).isZero();
        postgres = start();
        assertThat(value(parse(scrape(server).body()), "pg_up")).isEqualTo(1);
        assertThat(value(parse(probe(server, ownTarget()).body()), "pg_up")).isEqualTo(1);
        maxSeen = Math.max(maxSeen, exporterBackends());
      }
      // One connection for /metrics and one for the probed target, reused all along.
      assertThat(maxSeen).isLessThanOrEqualTo(2);
      assertThat(exporterBackends()).isEqualTo(2);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> exporterBackends() == 0);
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
