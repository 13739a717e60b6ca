package io.clustermonitor.examples;

import static io.clustermonitor.examples.ApiProxyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The postgres-exporter and redis-exporter commands against the dev PostgreSQL and Redis. */
class ExporterCommandsIT {
  static final Map<String, String> ENV = System.getenv();

  static String scrape(Callable<Integer> cmd, Running running, Supplier<Integer> port)
      throws Exception {
    Thread t = new Thread(() -> run(cmd, "--listen", "127.0.0.1:0"));
    t.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> port.get() != null);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.get() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return r.body();
    } finally {
      running.stop();
      t.join(30_000);
    }
  }

  @Test
  void postgresExporterReadsDataSourceNameFromTheEnvironment() throws Exception {
    PostgresExporterCommand cmd = new PostgresExporterCommand();
    cmd.env =
        Map.of(
            "DATA_SOURCE_URI",
                ENV.getOrDefault("CM_TEST_PG_HOST", "127.0.0.1")
                    + ":"
                    + ENV.getOrDefault("CM_TEST_PG_PORT", "55432")
                    + "/"
                    + ENV.getOrDefault("CM_TEST_PG_DB", "cmtest")
                    + "?sslmode=disable",
            "DATA_SOURCE_USER", ENV.getOrDefault("CM_TEST_PG_USER", "cmtest"),
            "DATA_SOURCE_PASS", ENV.getOrDefault("CM_TEST_PG_PASSWORD", "cmtest-secret-pw"));

    String body = scrape(cmd, cmd.running, () -> cmd.server == null ? null : cmd.server.port());

    assertThat(body)
        .contains("pg_up 1")
        .contains("# TYPE pg_stat_database_xact_commit counter")
        .contains("pg_settings_max_connections{server=")
        .doesNotContain(ENV.getOrDefault("CM_TEST_PG_PASSWORD", "cmtest-secret-pw"));
  }

  @Test
  void postgresExporterServesProbeWithTheAuthModulesOfItsConfigFileAndItsCollectorFlags(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String password = ENV.getOrDefault("CM_TEST_PG_PASSWORD", "cmtest-secret-pw");
    java.nio.file.Path config = dir.resolve("postgres_exporter.yml");
    java.nio.file.Files.writeString(
        config,
        "auth_modules:\n  shared:\n    type: userpass\n    userpass:\n      username: "
            + ENV.getOrDefault("CM_TEST_PG_USER", "cmtest")
            + "\n      password: "
            + password
            + "\n    options:\n      sslmode: disable\n");
    PostgresExporterCommand cmd = new PostgresExporterCommand();
    cmd.env = Map.of();
    Thread t =
        new Thread(
            () ->
                run(
                    cmd,
                    "--listen",
                    "127.0.0.1:0",
                    "--config.file",
                    config.toString(),
                    "--no-collector.wal",
                    "--collector.postmaster",
                    "--constantLabels",
                    "env=it"));
    t.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> cmd.server != null);
      String base = "http://127.0.0.1:" + cmd.server.port();
      String target =
          ENV.getOrDefault("CM_TEST_PG_HOST", "127.0.0.1")
              + ":"
              + ENV.getOrDefault("CM_TEST_PG_PORT", "55432")
              + "/"
              + ENV.getOrDefault("CM_TEST_PG_DB", "cmtest");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> probe =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(base + "/probe?target=" + target + "&auth_module=shared"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> unknown =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(base + "/probe?target=" + target + "&auth_module=other"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(probe.statusCode()).isEqualTo(200);
      assertThat(probe.body())
          .contains("pg_up{env=\"it\"} 1")
          .contains("pg_scrape_collector_success{collector=\"postmaster\"} 1")
          .contains("pg_postmaster_start_time_seconds ")
          .doesNotContain("pg_wal_segments")
          .doesNotContain("collector=\"wal\"")
          .doesNotContain(password);
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(unknown.body()).contains("auth_module other not found");
      assertThat(metrics.body())
          .contains("pg_up{env=\"it\"} 0")
          .contains("postgres_exporter_config_last_reload_successful 1");
    } finally {
      cmd.running.stop();
      t.join(30_000);
    }
  }

  @Test
  void redisExporterReadsRedisAddrFromTheEnvironment() throws Exception {
    RedisExporterCommand cmd = new RedisExporterCommand();
    cmd.env =
        Map.of(
            "REDIS_ADDR",
            "redis://"
                + ENV.getOrDefault("CM_TEST_REDIS_HOST", "127.0.0.1")
                + ":"
                + ENV.getOrDefault("CM_TEST_REDIS_PORT", "56379"));

    String body = scrape(cmd, cmd.running, () -> cmd.server == null ? null : cmd.server.port());

    assertThat(body).contains("redis_up 1").contains("redis_db_keys{db=\"db0\"}");
  }
}
