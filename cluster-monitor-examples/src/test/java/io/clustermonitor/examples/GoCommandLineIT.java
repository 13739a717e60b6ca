package io.clustermonitor.examples;

import static io.clustermonitor.examples.GoCommandLine.Row.row;

import io.clustermonitor.examples.GoCommandLine.Exporter;
import io.clustermonitor.examples.GoCommandLine.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * The Go exporters' command lines, unchanged, against the runnable jar and against Debian's Go
 * builds (node_exporter 1.5, postgres_exporter 0.11, redis_exporter 1.45) started with the same
 * argv and environment (only the port differs): both start, both stay up, both answer 200 on the
 * address and path the flags give, and every family Go serves is served by ours, except the
 * commented allow-lists in {@link GoCommandLine} (families the Go client library or the older
 * Debian versions have and the seed's versions, or we on purpose, do not).
 *
 * <p>Placeholders in a row: {@code {addr}} is {@code 127.0.0.1:<a free port>} (another for each
 * process), {@code {dir}} a directory of fixtures made here, {@code {dsn}}, {@code {pguri}}, {@code
 * {pguser}}, {@code {pgpass}} the dev PostgreSQL and {@code {redis}} the dev Redis.
 */
class GoCommandLineIT {
  @TempDir static Path dir;

  /** A key {@code -check-keys=db0=k*} finds, so that its families show up on both sides. */
  static final String KEY = "kcm_gocli_it_" + ProcessHandle.current().pid();

  @BeforeAll
  static void fixtures() throws Exception {
    Path textfiles = Files.createDirectories(dir.resolve("textfile"));
    Files.writeString(
        textfiles.resolve("cm_gocli.prom"),
        "# HELP cm_gocli_backup_ok Whether the last backup worked.\n"
            + "# TYPE cm_gocli_backup_ok gauge\n"
            + "cm_gocli_backup_ok 1\n");
    Files.writeString(
        dir.resolve("headers.yml"),
        "http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
            + "    X-Content-Type-Options: nosniff\n");
    Files.writeString(
        dir.resolve("auth.yml"),
        "http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
            + "basic_auth_users:\n  scraper: "
            + GoCommandLine.bcrypt("scraper", "cm-gocli-Pw")
            + "\n");
    Files.writeString(
        dir.resolve("queries.yaml"),
        """
        cm_gocli:
          query: "SELECT 7::float AS seven, 'x'::text AS tag"
          master: true
          metrics:
            - tag:
                usage: "LABEL"
                description: "A label"
            - seven:
                usage: "GAUGE"
                description: "Seven"
        """);
    try (Jedis j = GoCommandLine.jedis()) {
      j.set(KEY, "v");
    }
  }

  @AfterAll
  static void removeKey() {
    try (Jedis j = GoCommandLine.jedis()) {
      j.del(KEY);
    }
  }

  static Stream<Row> node() {
    Exporter n = Exporter.NODE;
    return Stream.of(
        row(
                n,
                "--web.listen-address={addr}",
                "--path.rootfs=/",
                "--collector.disable-defaults",
                "--collector.cpu",
                "--collector.meminfo")
            .has("node_cpu_seconds_total", "node_memory_MemTotal_bytes", "process_open_fds"),
        // Every default collector but wifi, on another path.
        row(n, "--web.listen-address={addr}", "--no-collector.wifi", "--web.telemetry-path=/m")
            .path("/m")
            .has("node_load1", "node_filesystem_size_bytes", "node_network_receive_bytes_total"),
        row(
                n,
                "--web.listen-address={addr}",
                "--collector.disable-defaults",
                "--collector.loadavg",
                "--web.disable-exporter-metrics")
            .has("node_load1")
            // Go 1.5 keeps promhttp_metric_handler_errors_total (registered apart from the rest).
            .lacks("process_", "go_", "promhttp_metric_handler_requests"),
        row(
                n,
                "--web.listen-address={addr}",
                "--collector.disable-defaults",
                "--collector.loadavg",
                "--log.level=debug",
                "--log.format=json",
                "--runtime.gomaxprocs=2")
            .has("node_load1")
            .jsonLogs()
            // Accepted and ignored by us, with one WARN naming it (docs/migrating.md).
            .warns("runtime.gomaxprocs"),
        row(
                n,
                "--web.listen-address={addr}",
                "--collector.disable-defaults",
                "--collector.uname",
                "--web.config.file={dir}/headers.yml")
            .has("node_uname_info")
            .responseHeader("X-Frame-Options", "deny")
            .responseHeader("X-Content-Type-Options", "nosniff"),
        row(
                n,
                "--web.listen-address={addr}",
                "--collector.disable-defaults",
                "--collector.uname",
                "--web.config.file={dir}/auth.yml")
            .basicAuth("scraper", "cm-gocli-Pw")
            .has("node_uname_info"),
        row(
                n,
                "--web.listen-address={addr}",
                "--collector.disable-defaults",
                "--collector.textfile",
                "--collector.textfile.directory={dir}/textfile")
            .has("cm_gocli_backup_ok", "node_textfile_mtime_seconds"),
        // Two listen addresses: both are served.
        row(
                n,
                "--web.listen-address={addr}",
                "--web.listen-address={addr2}",
                "--collector.disable-defaults",
                "--collector.time",
                "--web.max-requests=5")
            .alsoOnSecondAddress()
            .has("node_time_seconds"),
        // --collector.cpu_vulnerabilities arrived in node_exporter 1.7: Debian's 1.5 exits on it
        // ("unknown long flag"), so ours only. We do not implement that collector: one WARN.
        row(
                n,
                "--web.listen-address={addr}",
                "--collector.disable-defaults",
                "--collector.loadavg",
                "--collector.cpu_vulnerabilities")
            .oursOnly()
            .warns("cpu_vulnerabilities")
            .has("node_load1"));
  }

  static Stream<Row> postgres() {
    Exporter p = Exporter.POSTGRES;
    Map<String, String> dsn = Map.of("DATA_SOURCE_NAME", "{dsn}");
    return Stream.of(
        row(p, "--web.listen-address={addr}").env(dsn).has("pg_settings_max_connections"),
        row(
                p,
                "--web.listen-address={addr}",
                "--web.telemetry-path=/pgm",
                "--log.level=debug",
                "--log.format=json")
            .env(dsn)
            .path("/pgm")
            .jsonLogs(),
        // 0.11 also drops pg_stat_database_* and pg_locks_count here; 0.15 (and ours) keep them:
        // they moved to its collector package, which the flag does not touch.
        row(p, "--web.listen-address={addr}", "--disable-default-metrics")
            .env(dsn)
            .has("pg_settings_max_connections")
            .lacks("pg_stat_activity_", "pg_stat_archiver_", "pg_stat_database_conflicts_"),
        row(
                p,
                "--web.listen-address={addr}",
                "--disable-settings-metrics",
                "--extend.query-path={dir}/queries.yaml")
            .env(dsn)
            .has("pg_stat_database_xact_commit", "cm_gocli_seven")
            .lacks("pg_settings_"),
        row(
                p,
                "--web.listen-address={addr}",
                "--auto-discover-databases",
                "--extend.query-path={dir}/queries.yaml")
            .env(dsn)
            .has("cm_gocli_seven"),
        row(p, "--web.listen-address={addr}")
            .env(
                Map.of(
                    "DATA_SOURCE_URI", "{pguri}",
                    "DATA_SOURCE_USER", "{pguser}",
                    "DATA_SOURCE_PASS", "{pgpass}"))
            .has("pg_stat_database_xact_commit"),
        // No flag at all: the address comes from the Go variable.
        row(p)
            .env(Map.of("DATA_SOURCE_NAME", "{dsn}", "PG_EXPORTER_WEB_LISTEN_ADDRESS", "{addr}"))
            .has("pg_stat_database_xact_commit"),
        row(p, "--web.listen-address={addr}", "--web.config.file={dir}/auth.yml")
            .env(dsn)
            .basicAuth("scraper", "cm-gocli-Pw")
            .responseHeader("X-Frame-Options", "deny"),
        // Accepted and ignored by us with one WARN (docs/migrating.md). Go then listens only on
        // systemd's sockets and exits 1 without them ("no socket activation file descriptors
        // found"), so ours only.
        row(p, "--web.listen-address={addr}", "--web.systemd-socket")
            .env(dsn)
            .oursOnly()
            .warns("web.systemd-socket"),
        // --collector.postmaster (and the collector flags) arrived in 0.12: 0.11 exits on it.
        row(p, "--web.listen-address={addr}", "--collector.postmaster")
            .env(dsn)
            .oursOnly()
            .has("pg_postmaster_start_time_seconds"));
  }

  static Stream<Row> redis() {
    Exporter r = Exporter.REDIS;
    return Stream.of(
        row(r, "-redis.addr={redis}", "-web.listen-address={addr}").has("redis_commands_total"),
        row(r, "--redis.addr", "{redis}", "--web.listen-address", "{addr}")
            .has("redis_commands_total"),
        row(r, "-redis.addr", "{redis}", "-web.listen-address={addr}", "-web.telemetry-path=/rm")
            .path("/rm"),
        row(
                r,
                "-redis.addr={redis}",
                "-web.listen-address={addr}",
                "-include-system-metrics",
                "-check-keys=db0=k*")
            .has("redis_total_system_memory_bytes", "redis_key_size"),
        row(r).env(Map.of("REDIS_ADDR", "{redis}", "REDIS_EXPORTER_WEB_LISTEN_ADDRESS", "{addr}")),
        // /scrape with no default target: -redis.addr= empty, the target in the query.
        row(r, "-redis.addr=", "-web.listen-address={addr}")
            .path("/scrape?target={redis}")
            .has("redis_commands_total"),
        row(r, "-redis.addr={redis}", "-web.listen-address={addr}", "-is-tile38")
            .warns("is-tile38"),
        row(r, "-redis.addr={redis}", "-web.listen-address={addr}", "-log-format=json").jsonLogs(),
        // -streams-exclude-consumer-metrics arrived after 1.45 (which exits 2 on it): ours only.
        row(
                r,
                "-redis.addr={redis}",
                "-web.listen-address={addr}",
                "-streams-exclude-consumer-metrics")
            .oursOnly()
            .has("redis_commands_total"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("node")
  void nodeExporter(Row row) throws Exception {
    GoCommandLine.check(row, dir);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("postgres")
  void postgresExporter(Row row) throws Exception {
    GoCommandLine.check(row, dir);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("redis")
  void redisExporter(Row row) throws Exception {
    GoCommandLine.check(row, dir);
  }
}
