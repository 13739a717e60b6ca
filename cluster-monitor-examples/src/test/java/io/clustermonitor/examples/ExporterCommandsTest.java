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
import org.junit.jupiter.api.Test;

class ExporterCommandsTest {
  @Test
  void helpShowsDefaultPortsAndTheReferenceExportersVariables() {
    assertThat(run(new NodeExporterCommand(), "--help").out())
        .contains("--listen", "127.0.0.1:9100", "CM_WEB_LISTEN_ADDRESS", "--path.procfs")
        .contains("--path.rootfs", "--collector.filesystem.mount-points-exclude");
    assertThat(run(new PostgresExporterCommand(), "--help").out())
        .contains("127.0.0.1:9187", "DATA_SOURCE_NAME", "--statement-timeout")
        .contains("--collector.stat_statements", "--extend.query-path", "--config.file")
        .contains("[no-]auto-discover-databases", "PG_EXPORTER_CONSTANT_LABELS");
    assertThat(run(new RedisExporterCommand(), "--help").out())
        .contains("127.0.0.1:9121", "REDIS_ADDR", "REDIS_PASSWORD_FILE", "--redis.addr");
  }

  @Test
  void postgresCollectorFlagsAreNegatableAsKingpinBooleans() {
    PostgresExporterCommand cmd = new PostgresExporterCommand();
    new picocli.CommandLine(cmd)
        .parseArgs(
            "--no-collector.wal",
            "--collector.postmaster",
            "--collector.stat_statements=true",
            "--disable-settings-metrics",
            "--exclude-databases=a,b");
    assertThat(cmd.postgres.collectorFlags())
        .containsEntry("wal", false)
        .containsEntry("postmaster", true)
        .containsEntry("stat_statements", true)
        .containsEntry("database", true)
        .containsEntry("process_idle", false);
    assertThat(cmd.postgres.disableSettingsMetrics).isTrue();
    assertThat(cmd.postgres.disableDefaultMetrics).isFalse();
    assertThat(PostgresOptions.list(cmd.postgres.excludeDatabases)).containsExactly("a", "b");
    assertThat(PostgresOptions.labels("env=prod, team = db")).containsEntry("team", "db");
  }

  @Test
  void badSettingsAreUsageErrors() {
    ApiProxyCommandTest.Run listen = run(new NodeExporterCommand(), "--listen", "9100");
    assertThat(listen.exit()).isEqualTo(2);
    assertThat(listen.err()).contains("HOST:PORT");

    ApiProxyCommandTest.Run regex =
        run(
            new NodeExporterCommand(),
            "--listen",
            "127.0.0.1:0",
            "--collector.diskstats.device-exclude",
            "(");
    assertThat(regex.exit()).isEqualTo(2);

    PostgresExporterCommand pg = new PostgresExporterCommand();
    pg.env = Map.of();
    ApiProxyCommandTest.Run noConfig =
        run(pg, "--listen", "127.0.0.1:0", "--config.file", "/nonexistent/pg_exporter.yml");
    assertThat(noConfig.exit()).isEqualTo(2);
    assertThat(noConfig.err()).contains("/nonexistent/pg_exporter.yml").doesNotContain("\tat ");

    PostgresExporterCommand pgCollector = new PostgresExporterCommand();
    pgCollector.env = Map.of();
    ApiProxyCommandTest.Run badLabels =
        run(pgCollector, "--listen", "127.0.0.1:0", "--constantLabels", "novalue");
    assertThat(badLabels.exit()).isEqualTo(2);
    assertThat(badLabels.err()).contains("--constantLabels");

    PostgresExporterCommand pgBad = new PostgresExporterCommand();
    pgBad.env = Map.of("DATA_SOURCE_NAME", "postgresql://u:hunter2-secret@/db");
    ApiProxyCommandTest.Run badDsn = run(pgBad, "--listen", "127.0.0.1:0");
    assertThat(badDsn.exit()).isEqualTo(2);
    assertThat(badDsn.err() + badDsn.out()).doesNotContain("hunter2-secret");

    RedisExporterCommand redis = new RedisExporterCommand();
    redis.env = Map.of();
    ApiProxyCommandTest.Run badAddr =
        run(redis, "--listen", "127.0.0.1:0", "--redis.addr", "http://h:1");
    assertThat(badAddr.exit()).isEqualTo(2);
    assertThat(badAddr.err()).contains("scheme");
  }

  @Test
  void nodeExporterServesHostMetricsWithPerCollectorSuccess() throws Exception {
    NodeExporterCommand cmd = new NodeExporterCommand();
    cmd.env = Map.of();
    Thread t = new Thread(() -> run(cmd, "--listen", "127.0.0.1:0"));
    t.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> cmd.server != null);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + cmd.server.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains("node_memory_MemTotal_bytes ")
          .contains("node_scrape_collector_success{collector=\"cpu\"} 1")
          .contains("node_scrape_collector_success{collector=\"meminfo\"} 1")
          .contains("# TYPE node_cpu_seconds_total counter");
    } finally {
      cmd.running.stop();
      t.join(30_000);
    }
  }
}
