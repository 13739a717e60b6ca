package io.clustermonitor.exporters.postgres;

import static io.clustermonitor.exporters.CompatSupport.awaitMetrics;
import static io.clustermonitor.exporters.CompatSupport.differences;
import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.lintSubject;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.promtool;
import static io.clustermonitor.exporters.CompatSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.CompatSupport.Parsed;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our PostgreSQL collector beside postgres_exporter 0.11 (Debian) against the same server. */
class PostgresCompatibilityIT {
  static final Map<String, String> ENV = System.getenv();
  static final String HOST = ENV.getOrDefault("CM_TEST_PG_HOST", "127.0.0.1");
  static final String PORT = ENV.getOrDefault("CM_TEST_PG_PORT", "55432");
  static final String USER = ENV.getOrDefault("CM_TEST_PG_USER", "cmtest");
  static final String PASSWORD = ENV.getOrDefault("CM_TEST_PG_PASSWORD", "cmtest-secret-pw");
  static final String DB = ENV.getOrDefault("CM_TEST_PG_DB", "cmtest");
  static final String DSN =
      "postgresql://"
          + USER
          + ":"
          + PASSWORD
          + "@"
          + HOST
          + ":"
          + PORT
          + "/"
          + DB
          + "?sslmode=disable";
  static final Path QUERIES =
      Path.of("/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml");
  static final String TABLE = "cm_compat_" + ProcessHandle.current().pid();

  /** The families docs/metrics.md lists for PostgreSQL and the reference also has. */
  static final List<String> DOCUMENTED =
      List.of(
          "pg_up",
          "pg_exporter_last_scrape_error",
          "pg_exporter_last_scrape_duration_seconds",
          "pg_exporter_scrapes_total",
          "pg_scrape_collector_success",
          "pg_scrape_collector_duration_seconds",
          "pg_static",
          "pg_stat_database_numbackends",
          "pg_stat_database_xact_commit",
          "pg_stat_database_xact_rollback",
          "pg_stat_database_blks_read",
          "pg_stat_database_blks_hit",
          "pg_stat_database_tup_returned",
          "pg_stat_database_tup_fetched",
          "pg_stat_database_tup_inserted",
          "pg_stat_database_tup_updated",
          "pg_stat_database_tup_deleted",
          "pg_stat_database_conflicts",
          "pg_stat_database_temp_files",
          "pg_stat_database_temp_bytes",
          "pg_stat_database_deadlocks",
          "pg_stat_database_blk_read_time",
          "pg_stat_database_blk_write_time",
          "pg_stat_database_stats_reset",
          "pg_stat_database_conflicts_confl_lock",
          "pg_stat_bgwriter_checkpoints_timed_total",
          "pg_stat_bgwriter_buffers_alloc_total",
          "pg_stat_archiver_archived_count",
          "pg_database_size_bytes",
          "pg_locks_count",
          "pg_stat_activity_count",
          "pg_stat_activity_max_tx_duration",
          "pg_settings_max_connections",
          "pg_settings_shared_buffers_bytes",
          "pg_settings_checkpoint_timeout_seconds",
          "pg_settings_fsync",
          "pg_postmaster_start_time_seconds",
          "pg_stat_user_tables_seq_scan",
          "pg_stat_user_tables_n_live_tup",
          "pg_stat_user_tables_last_vacuum",
          "pg_stat_user_tables_vacuum_count");

  static CompatSupport.Started reference;
  static String referenceUrl;

  static Connection jdbc() throws Exception {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + HOST + ":" + PORT + "/" + DB, USER, PASSWORD);
  }

  @BeforeAll
  static void startReference() throws Exception {
    try (Connection c = jdbc();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + TABLE + " (id int primary key, v text)");
      st.execute("INSERT INTO " + TABLE + " SELECT g, 'x' FROM generate_series(1, 100) g");
      st.execute("ANALYZE " + TABLE);
    }
    int port = freePort();
    referenceUrl = "http://127.0.0.1:" + port + "/metrics";
    List<String> cmd = new ArrayList<>();
    cmd.add("/usr/bin/prometheus-postgres-exporter");
    cmd.add("--web.listen-address=127.0.0.1:" + port);
    if (Files.exists(QUERIES)) {
      cmd.add("--extend.query-path=" + QUERIES);
    }
    reference = CompatSupport.start(Map.of("DATA_SOURCE_NAME", DSN), cmd.toArray(String[]::new));
    awaitMetrics(referenceUrl);
  }

  @AfterAll
  static void stopAndClean() throws Exception {
    if (reference != null) {
      reference.close();
    }
    try (Connection c = jdbc();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + TABLE);
    }
  }

  private static PostgresCollector ours() {
    return PostgresCollector.builder()
        .dataSources(DataSource.fromEnvironment(Map.of("DATA_SOURCE_NAME", DSN)))
        .build();
  }

  @Test
  void everyDocumentedFamilyHasTheReferenceNameTypeAndLabels() throws Exception {
    Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
    try (PostgresCollector pg = ours()) {
      Map<String, Parsed> mine = parse(CollectorTestKit.render(pg.collect()));

      Set<String> documented = new TreeSet<>(DOCUMENTED);
      if (!Files.exists(QUERIES)) {
        documented.removeIf(n -> n.startsWith("pg_stat_user_tables") || n.startsWith("pg_post"));
      }
      assertThat(differences(mine, theirs, documented)).isEmpty();
      Set<String> common = new TreeSet<>(mine.keySet());
      common.retainAll(theirs.keySet());
      assertThat(differences(mine, theirs, common)).isEmpty();
      assertThat(common).hasSizeGreaterThan(250);
    }
  }

  @Test
  void valuesAgreeExactlyForSettingsAndCloselyForMovingCounters() throws Exception {
    try (PostgresCollector pg = ours()) {
      Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
      Map<String, Parsed> mine = parse(CollectorTestKit.render(pg.collect()));
      String server = HOST + ":" + PORT;

      assertThat(value(mine, "pg_up")).isEqualTo(value(theirs, "pg_up")).isEqualTo(1);
      assertThat(value(mine, "pg_settings_max_connections", "server", server))
          .isEqualTo(value(theirs, "pg_settings_max_connections", "server", server));
      for (String name : mine.keySet()) {
        // extra_float_digits is a session setting each client library sets to its own value.
        if (name.startsWith("pg_settings_")
            && theirs.containsKey(name)
            && !name.equals("pg_settings_extra_float_digits")) {
          assertThat(value(mine, name)).as(name).isEqualTo(value(theirs, name));
        }
      }
      assertThat(value(mine, "pg_static", "server", server)).isEqualTo(1);
      assertThat(mine.get("pg_static").samples().get(0).labels())
          .isEqualTo(theirs.get("pg_static").samples().get(0).labels());
      double commits = value(theirs, "pg_stat_database_xact_commit", "datname", DB);
      assertThat(value(mine, "pg_stat_database_xact_commit", "datname", DB))
          .isGreaterThanOrEqualTo(commits)
          .isLessThan(commits + 1000);
      assertThat(value(mine, "pg_database_size_bytes", "datname", DB))
          .isCloseTo(value(theirs, "pg_database_size_bytes", "datname", DB), Offset.offset(1e6));
      assertThat(mine.get("pg_locks_count").samples())
          .hasSameSizeAs(theirs.get("pg_locks_count").samples());
      assertThat(value(mine, "pg_locks_count", "datname", "postgres", "mode", "sireadlock"))
          .isZero();
      if (Files.exists(QUERIES)) {
        assertThat(value(mine, "pg_postmaster_start_time_seconds"))
            .isCloseTo(value(theirs, "pg_postmaster_start_time_seconds"), Offset.offset(1.0));
        assertThat(value(mine, "pg_stat_user_tables_n_live_tup", "relname", TABLE))
            .isEqualTo(value(theirs, "pg_stat_user_tables_n_live_tup", "relname", TABLE))
            .isPositive();
      }
    }
  }

  @Test
  void theCollectorNeverHoldsMoreThanOneConnectionPerTarget() throws Exception {
    // Only backends started by this test count: a collector closed by an earlier test may still
    // have
    // its backend shutting down for a moment.
    java.sql.Timestamp testStart;
    try (Connection c = jdbc();
        Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT clock_timestamp()")) {
      rs.next();
      testStart = rs.getTimestamp(1);
    }
    try (PostgresCollector pg = ours()) {
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Thread t = new Thread(pg::collect);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(60_000);
      }
      pg.collect();
      try (Connection c = jdbc();
          var st =
              c.prepareStatement(
                  "SELECT count(*) FROM pg_stat_activity"
                      + " WHERE application_name = 'cluster-monitor postgres-exporter'"
                      + " AND backend_start >= ?")) {
        st.setTimestamp(1, testStart);
        try (var rs = st.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void promtoolFindsNoProblemTheReferenceDoesNotHaveItself() throws Exception {
    try (PostgresCollector pg = ours()) {
      List<String> mine = promtool(CollectorTestKit.render(pg.collect()));
      Set<String> referenceSubjects =
          promtool(awaitMetrics(referenceUrl)).stream()
              .map(CompatSupport::lintSubject)
              .collect(Collectors.toSet());

      assertThat(mine)
          .allSatisfy(line -> assertThat(referenceSubjects).contains(lintSubject(line)));
    }
  }

  @Test
  void withTwoTargetsAnUnreachableOneGivesUpZeroAndTheOtherIsStillReported() throws Exception {
    int closed = freePort();
    try (PostgresCollector pg =
        PostgresCollector.builder()
            .dataSources(
                DataSource.fromEnvironment(
                    Map.of(
                        "DATA_SOURCE_NAME",
                        DSN + ",postgresql://u:p@127.0.0.1:" + closed + "/x?sslmode=disable")))
            .build()) {
      Map<String, Parsed> mine = parse(CollectorTestKit.render(pg.collect()));

      assertThat(value(mine, "pg_up")).isZero();
      assertThat(value(mine, "pg_exporter_last_scrape_error")).isEqualTo(1);
      assertThat(value(mine, "pg_settings_max_connections", "server", HOST + ":" + PORT))
          .isPositive();
      assertThat(mine.get("pg_settings_max_connections").samples()).hasSize(1);
    }
  }
}
