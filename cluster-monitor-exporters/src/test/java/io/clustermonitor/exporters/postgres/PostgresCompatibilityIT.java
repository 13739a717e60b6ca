package io.clustermonitor.exporters.postgres;

import static io.clustermonitor.core.livetest.TestPostgres.DB;
import static io.clustermonitor.core.livetest.TestPostgres.DSN;
import static io.clustermonitor.core.livetest.TestPostgres.PASSWORD;
import static io.clustermonitor.core.livetest.TestPostgres.SERVER;
import static io.clustermonitor.core.livetest.TestPostgres.USER;
import static io.clustermonitor.exporters.CompatSupport.awaitMetrics;
import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.lintSubject;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.promtool;
import static io.clustermonitor.exporters.CompatSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.CompatSupport.Parsed;
import io.clustermonitor.exporters.CompatSupport.Sample;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Our PostgreSQL collector beside Debian's postgres_exporter 0.11 against the same server, with the
 * documented 0.11 to 0.15 differences following 0.15.
 */
class PostgresCompatibilityIT {
  static final String TABLE = "cm_compat_" + ProcessHandle.current().pid();

  /** A counter, a gauge, mapped metrics, a duration, a per-database query and a failing one. */
  static final String QUERIES =
      """
      cm_answer:
        query: "SELECT 42::bigint AS answer, 'x'::text AS tag, 2.5::float8 AS ratio"
        master: true
        metrics:
          - tag:
              usage: "LABEL"
              description: "A tag"
          - answer:
              usage: "COUNTER"
              description: "The answer"
      cm_dbs:
        query: "SELECT count(*) AS total FROM pg_database WHERE datname = 'template0'"
        master: true
        cache_seconds: 30
        metrics:
          - total:
              usage: "GAUGE"
              description: "Template databases"
      cm_mode:
        query: "SELECT 'on'::text AS mode, 'off'::text AS other, 'weird'::text AS unmapped"
        master: true
        metrics:
          - mode:
              usage: "MAPPEDMETRIC"
              description: "Mode"
              mapping:
                "on": 1
                "off": 0
          - other:
              usage: "MAPPEDMETRIC"
              description: "Other mode"
              mapping:
                "on": 1
                "off": 0
          - unmapped:
              usage: "DISCARD"
              description: "Ignored"
      cm_elapsed:
        query: "SELECT '1m30.5s'::text AS took"
        master: true
        metrics:
          - took:
              usage: "DURATION"
              description: "How long it took"
      cm_perdb:
        query: "SELECT current_database() AS datname, 7::int AS seven"
        metrics:
          - datname:
              usage: "LABEL"
              description: "Database"
          - seven:
              usage: "GAUGE"
              description: "Seven, per database"
      cm_broken:
        query: "SELECT nope FROM cm_table_that_does_not_exist"
        master: true
        metrics:
          - nope:
              usage: "GAUGE"
              description: "Never there"
      """;

  /** Families 0.15 moved to its collector package: they lost the {@code server} label. */
  static boolean collectorPackage(String family) {
    return family.equals("pg_database_size_bytes")
        || family.equals("pg_locks_count")
        || family.startsWith("pg_stat_bgwriter_")
        || (family.startsWith("pg_stat_database_")
            && !family.startsWith("pg_stat_database_conflicts_"));
  }

  static CompatSupport.Started reference;
  static String referenceUrl;
  static CompatSupport.Started referenceWithQueries;
  static String referenceWithQueriesUrl;
  static Path queriesFile;
  @TempDir static Path dir;

  static Connection jdbc() throws Exception {
    return DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/" + DB, USER, PASSWORD);
  }

  static CompatSupport.Started debian(int port, String... flags) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("/usr/bin/prometheus-postgres-exporter");
    cmd.add("--web.listen-address=127.0.0.1:" + port);
    cmd.addAll(List.of(flags));
    return CompatSupport.start(Map.of("DATA_SOURCE_NAME", DSN), cmd.toArray(String[]::new));
  }

  @BeforeAll
  static void startReferences() throws Exception {
    try (Connection c = jdbc();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + TABLE + " (id int primary key, v text)");
      st.execute("INSERT INTO " + TABLE + " SELECT g, 'x' FROM generate_series(1, 100) g");
      st.execute("ANALYZE " + TABLE);
    }
    queriesFile = dir.resolve("queries.yaml");
    Files.writeString(queriesFile, QUERIES);
    int port = freePort();
    referenceUrl = "http://127.0.0.1:" + port + "/metrics";
    reference = debian(port);
    int port2 = freePort();
    referenceWithQueriesUrl = "http://127.0.0.1:" + port2 + "/metrics";
    referenceWithQueries = debian(port2, "--extend.query-path=" + queriesFile);
    awaitMetrics(referenceUrl);
    awaitMetrics(referenceWithQueriesUrl);
  }

  @AfterAll
  static void stopAndClean() throws Exception {
    if (reference != null) {
      reference.close();
    }
    if (referenceWithQueries != null) {
      referenceWithQueries.close();
    }
    try (Connection c = jdbc();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + TABLE);
    }
  }

  private static PostgresCollector.Builder ours() {
    return PostgresCollector.builder()
        .dataSources(DataSource.fromEnvironment(Map.of("DATA_SOURCE_NAME", DSN)));
  }

  private static Map<String, Parsed> scrape(PostgresCollector pg) throws Exception {
    return parse(CollectorTestKit.render(pg.collect()));
  }

  @Test
  void familiesBothHaveAgreeInTypeLabelsAndSeriesCountWithThe015Differences() throws Exception {
    Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
    try (PostgresCollector pg = ours().build()) {
      Map<String, Parsed> mine = scrape(pg);

      Set<String> common = new TreeSet<>(mine.keySet());
      common.retainAll(theirs.keySet());
      List<String> diffs = new ArrayList<>();
      for (String name : common) {
        Parsed o = mine.get(name);
        Parsed t = theirs.get(name);
        if (!o.type().equals(t.type())) {
          diffs.add(name + ": type " + o.type() + " vs " + t.type());
        }
        Set<String> expected = new TreeSet<>(t.labelNames());
        if (collectorPackage(name)) {
          expected.remove("server");
        }
        if (name.startsWith("pg_stat_activity_")) {
          // 0.15 groups sessions by user and application too.
          expected.add("usename");
          expected.add("application_name");
        }
        if (!o.labelNames().equals(expected)) {
          diffs.add(name + ": labels " + o.labelNames() + " vs expected " + expected);
        }
        long expectedSeries = t.samples().size();
        if (name.startsWith("pg_stat_database_") && collectorPackage(name)) {
          // 0.15 skips the shared-objects row (datid 0, datname NULL).
          expectedSeries =
              t.samples().stream().filter(s -> !"".equals(s.labels().get("datname"))).count();
        }
        if (name.startsWith("pg_scrape_collector_") || name.startsWith("pg_stat_activity_")) {
          continue; // other collector set; sessions grouped by user and application
        }
        if (o.samples().size() != expectedSeries) {
          diffs.add(name + ": " + o.samples().size() + " series vs expected " + expectedSeries);
        }
      }
      assertThat(diffs).isEmpty();
      assertThat(common).hasSizeGreaterThan(250);
      // 0.15 has these and 0.11 does not (collector package, without server).
      assertThat(value(mine, "pg_replication_is_replica")).isZero();
      assertThat(mine.get("pg_replication_lag_seconds").labelNames()).isEmpty();
      assertThat(value(mine, "pg_stat_user_tables_n_live_tup", "relname", TABLE)).isPositive();
      assertThat(mine.get("pg_stat_user_tables_n_live_tup").labelNames())
          .containsExactly("datname", "relname", "schemaname");
      assertThat(value(mine, "pg_stat_user_tables_size_bytes", "relname", TABLE)).isPositive();
      assertThat(value(mine, "pg_statio_user_tables_heap_blocks_hit", "relname", TABLE)).isNotNaN();
      assertThat(mine.get("pg_scrape_collector_success").samples())
          .extracting(s -> s.labels().get("collector"))
          .containsExactlyInAnyOrder(PostgresCollector.defaultCollectors().toArray(String[]::new));
      // 0.11 turns PostgreSQL 14's new pg_stat_database columns into untyped series; 0.15 does not.
      assertThat(theirs).containsKey("pg_stat_database_sessions");
      assertThat(mine).doesNotContainKey("pg_stat_database_sessions");
      assertThat(value(mine, "pg_database_size_bytes", "datname", "template0")).isPositive();
    }
  }

  @Test
  void valuesAgreeExactlyForSettingsAndCloselyForMovingCounters() throws Exception {
    try (PostgresCollector pg = ours().build()) {
      Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
      Map<String, Parsed> mine = scrape(pg);

      assertThat(value(mine, "pg_up")).isEqualTo(value(theirs, "pg_up")).isEqualTo(1);
      assertThat(value(mine, "pg_exporter_last_scrape_error"))
          .isEqualTo(value(theirs, "pg_exporter_last_scrape_error"))
          .isZero();
      int settings = 0;
      for (String name : mine.keySet()) {
        // extra_float_digits is a session setting each client library sets to its own value.
        if (name.startsWith("pg_settings_")
            && theirs.containsKey(name)
            && !name.equals("pg_settings_extra_float_digits")) {
          assertThat(value(mine, name, "server", SERVER)).as(name).isEqualTo(value(theirs, name));
          settings++;
        }
      }
      assertThat(settings).isGreaterThan(200);
      assertThat(mine.get("pg_static").samples().get(0).labels())
          .isEqualTo(theirs.get("pg_static").samples().get(0).labels());
      double commits = value(theirs, "pg_stat_database_xact_commit", "datname", DB);
      assertThat(value(mine, "pg_stat_database_xact_commit", "datname", DB))
          .isGreaterThanOrEqualTo(commits)
          .isLessThan(commits + 1000);
      for (String db : List.of(DB, "postgres", "template0", "template1")) {
        assertThat(value(mine, "pg_database_size_bytes", "datname", db))
            .as(db)
            .isCloseTo(value(theirs, "pg_database_size_bytes", "datname", db), Offset.offset(1e6));
      }
      assertThat(value(mine, "pg_locks_count", "datname", "postgres", "mode", "sireadlock"))
          .isZero();
      assertThat(value(mine, "pg_stat_bgwriter_buffers_alloc_total"))
          .isGreaterThanOrEqualTo(value(theirs, "pg_stat_bgwriter_buffers_alloc_total"));
      assertThat(value(mine, "pg_stat_archiver_archived_count", "server", SERVER))
          .isEqualTo(value(theirs, "pg_stat_archiver_archived_count", "server", SERVER));
      assertThat(value(mine, "pg_stat_database_conflicts_confl_lock", "datname", DB))
          .isEqualTo(value(theirs, "pg_stat_database_conflicts_confl_lock", "datname", DB));
      // Same sessions, counted with 0.15's extra labels: the totals per database and state agree
      // for idle-free states that no other client is likely to touch.
      assertThat(sum(mine, "pg_stat_activity_count", "datname", "template0"))
          .isEqualTo(sum(theirs, "pg_stat_activity_count", "datname", "template0"))
          .isZero();
    }
  }

  private static double sum(Map<String, Parsed> f, String name, String label, String v) {
    return f.get(name).samples().stream()
        .filter(s -> v.equals(s.labels().get(label)))
        .mapToDouble(Sample::value)
        .sum();
  }

  @Test
  void aQueriesFileGivesTheSameOutputAsDebiansAndTheFailingQueryCostsOnlyItself() throws Exception {
    try (PostgresCollector pg = ours().userQueries(queriesFile).build()) {
      Map<String, Parsed> theirs = parse(awaitMetrics(referenceWithQueriesUrl));
      Map<String, Parsed> mine = scrape(pg);

      Set<String> theirUser =
          theirs.keySet().stream()
              .filter(n -> n.startsWith("cm_"))
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> myUser =
          mine.keySet().stream().filter(n -> n.startsWith("cm_")).collect(Collectors.toSet());
      // Go's MAPPEDMETRIC and DURATION conversions expect a Go string, but lib/pq hands text
      // columns over as bytes: Go logs "Unexpected error parsing column" and drops the series.
      // Ours convert them (a documented difference); everything Go emits is the same.
      Set<String> fixedInOurs =
          Set.of("cm_mode_mode", "cm_mode_other", "cm_elapsed_took_milliseconds");
      assertThat(theirUser).doesNotContainAnyElementsOf(fixedInOurs);
      theirUser.addAll(fixedInOurs);
      assertThat(myUser)
          .isEqualTo(theirUser)
          .contains(
              "cm_answer_answer",
              "cm_answer_ratio",
              "cm_dbs_total",
              "cm_mode_mode",
              "cm_mode_other",
              "cm_elapsed_took_milliseconds",
              "cm_perdb_seven")
          .noneMatch(n -> n.startsWith("cm_broken"));
      for (String name : myUser) {
        if (fixedInOurs.contains(name)) {
          continue;
        }
        Parsed o = mine.get(name);
        Parsed t = theirs.get(name);
        assertThat(o.type()).as(name).isEqualTo(t.type());
        assertThat(o.help()).as(name).isEqualTo(t.help());
        assertThat(o.samples()).as(name).isEqualTo(t.samples());
      }
      assertThat(mine.get("cm_answer_answer").type()).isEqualTo("counter");
      assertThat(value(mine, "cm_elapsed_took_milliseconds")).isEqualTo(90_500);
      assertThat(value(mine, "cm_mode_mode")).isEqualTo(1);
      assertThat(value(mine, "cm_mode_other")).isZero();
      assertThat(mine.get("cm_mode_mode").type()).isEqualTo("gauge");
      // The failing query is an error for the scrape, as in Go, but everything else is there.
      assertThat(value(mine, "pg_exporter_last_scrape_error"))
          .isEqualTo(value(theirs, "pg_exporter_last_scrape_error"))
          .isEqualTo(1);
      assertThat(value(mine, "pg_up")).isEqualTo(1);
      assertThat(value(mine, "pg_settings_max_connections")).isPositive();
      assertThat(value(mine, "pg_stat_activity_count", "datname", DB, "state", "active"))
          .isPositive();
      assertThat(mine.get("pg_exporter_user_queries_load_error").samples())
          .isEqualTo(theirs.get("pg_exporter_user_queries_load_error").samples());
      assertThat(value(mine, "pg_exporter_user_queries_load_error")).isZero();
    }
  }

  @Test
  void autoDiscoveryRunsThePerDatabaseQueriesOnEveryDatabaseAsDebiansDoes() throws Exception {
    Path perDb = dir.resolve("perdb.yaml");
    Files.writeString(
        perDb,
        QUERIES.substring(QUERIES.indexOf("cm_perdb:"), QUERIES.indexOf("cm_broken:"))
            + QUERIES.substring(QUERIES.indexOf("cm_dbs:"), QUERIES.indexOf("cm_mode:")));
    for (String exclude : List.of("", "postgres")) {
      int port = freePort();
      String url = "http://127.0.0.1:" + port + "/metrics";
      try (CompatSupport.Started ref =
              debian(
                  port,
                  "--auto-discover-databases",
                  "--disable-default-metrics",
                  "--disable-settings-metrics",
                  "--exclude-databases=" + exclude,
                  "--extend.query-path=" + perDb);
          PostgresCollector pg =
              ours()
                  .autoDiscoverDatabases(
                      true, Set.of(), exclude.isEmpty() ? Set.of() : Set.of(exclude))
                  .disableDefaultMetrics(true)
                  .disableSettingsMetrics(true)
                  .userQueries(perDb)
                  .build()) {
        Map<String, Parsed> theirs = parse(awaitMetrics(url));
        Map<String, Parsed> mine = scrape(pg);

        assertThat(ref.process.isAlive()).isTrue();
        assertThat(mine.get("cm_perdb_seven").samples())
            .as("exclude=" + exclude)
            .containsExactlyInAnyOrderElementsOf(theirs.get("cm_perdb_seven").samples());
        assertThat(mine.get("cm_perdb_seven").samples())
            .extracting(s -> s.labels().get("datname"))
            .contains(DB)
            .doesNotContain("template0", "template1");
        assertThat(mine.get("cm_dbs_total").samples())
            .isEqualTo(theirs.get("cm_dbs_total").samples())
            .hasSize(1);
        assertThat(mine).doesNotContainKeys("pg_settings_max_connections", "pg_static");
      }
    }
  }

  @Test
  void theCollectorAndTheProbeNeverHoldMoreThanOneConnectionPerTarget() throws Exception {
    // Only backends started by this test count: a collector closed by an earlier test may still
    // have its backend shutting down for a moment.
    java.sql.Timestamp testStart;
    try (Connection c = jdbc();
        Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT clock_timestamp()")) {
      rs.next();
      testStart = rs.getTimestamp(1);
    }
    try (PostgresCollector pg = ours().build()) {
      var probe = pg.probe(AuthModules.empty());
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Thread t = new Thread(pg::collect);
        threads.add(t);
        t.start();
        Thread p =
            new Thread(
                () -> {
                  try (var s = probe.open(Map.of("target", List.of(DSN)))) {
                    s.collectors().get(0).collect();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        threads.add(p);
        p.start();
      }
      for (Thread t : threads) {
        t.join(120_000);
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
          assertThat(rs.getInt(1)).isEqualTo(2); // one for /metrics, one for the probed target
        }
      }
    }
  }

  @Test
  void aCollectorThatFailsCostsOnlyItselfAndTheOptInCollectorsRun() throws Exception {
    try (Connection c = jdbc();
        Statement st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")) {
      rs.next();
      org.junit.jupiter.api.Assumptions.assumeTrue(
          rs.getInt(1) == 0, "needs a server without pg_stat_statements");
    }
    PostgresCollector.Builder b = ours();
    for (String name : PostgresCollector.knownCollectors()) {
      b.collector(name, true);
    }
    try (PostgresCollector pg = b.build()) {
      Map<String, Parsed> mine = scrape(pg);

      // Like a catalog change on a newer server: the view is missing, so only this one fails.
      assertThat(value(mine, "pg_scrape_collector_success", "collector", "stat_statements"))
          .isZero();
      for (String ok :
          List.of(
              "database",
              "database_wraparound",
              "locks",
              "long_running_transactions",
              "postmaster",
              "process_idle",
              "stat_activity_autovacuum",
              "stat_database",
              "stat_user_tables",
              "stat_wal_receiver",
              "statio_user_indexes",
              "xlog_location")) {
        assertThat(value(mine, "pg_scrape_collector_success", "collector", ok)).as(ok).isEqualTo(1);
      }
      assertThat(value(mine, "pg_up")).isEqualTo(1);
      assertThat(value(mine, "pg_exporter_last_scrape_error")).isZero();
      assertThat(value(mine, "pg_postmaster_start_time_seconds")).isPositive();
      assertThat(value(mine, "pg_database_wraparound_age_datfrozenxid_seconds", "datname", DB))
          .isPositive();
      assertThat(value(mine, "pg_xlog_location_bytes")).isPositive();
      assertThat(value(mine, "pg_long_running_transactions")).isNotNaN();
      assertThat(mine).doesNotContainKey("pg_stat_statements_calls_total");
      assertThat(value(mine, "pg_stat_database_numbackends", "datname", DB)).isPositive();
    }
  }

  @Test
  void promtoolFindsNoProblemTheReferenceDoesNotHaveItself() throws Exception {
    try (PostgresCollector pg = ours().userQueries(queriesFile).build()) {
      List<String> mine = promtool(CollectorTestKit.render(pg.collect()));
      Set<String> referenceSubjects =
          promtool(awaitMetrics(referenceWithQueriesUrl)).stream()
              .map(CompatSupport::lintSubject)
              .collect(Collectors.toSet());

      assertThat(mine)
          // Ours only: the converted DURATION column, and 0.15's own collector families, whose
          // upstream names promtool lints the same way (counters without _total, *_count gauges).
          .filteredOn(line -> !line.startsWith("cm_elapsed_took_milliseconds"))
          .filteredOn(line -> !line.startsWith("pg_stat_user_tables_"))
          .filteredOn(line -> !line.startsWith("pg_statio_user_tables_"))
          .allSatisfy(line -> assertThat(referenceSubjects).contains(lintSubject(line)));
    }
  }

  @Test
  void withTwoTargetsAnUnreachableOneIsAnErrorButPgUpStaysOneAsIn015() throws Exception {
    int closed = freePort();
    try (PostgresCollector pg =
        PostgresCollector.builder()
            .dataSources(
                DataSource.fromEnvironment(
                    Map.of(
                        "DATA_SOURCE_NAME",
                        DSN + ",postgresql://u:p@127.0.0.1:" + closed + "/x?sslmode=disable")))
            .constantLabels(Map.of("env", "test"))
            .build()) {
      Map<String, Parsed> mine = scrape(pg);

      assertThat(value(mine, "pg_up", "env", "test")).isEqualTo(1);
      assertThat(value(mine, "pg_exporter_last_scrape_error")).isEqualTo(1);
      assertThat(value(mine, "pg_settings_max_connections", "server", SERVER, "env", "test"))
          .isPositive();
      assertThat(mine.get("pg_settings_max_connections").samples()).hasSize(1);
      assertThat(mine.get("pg_locks_count").labelNames()).containsExactly("datname", "mode");
    }
  }
}
