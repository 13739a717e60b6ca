package io.clustermonitor.exporters.postgres;

import static io.clustermonitor.core.livetest.TestPostgres.DB;
import static io.clustermonitor.core.livetest.TestPostgres.DSN;
import static io.clustermonitor.core.livetest.TestPostgres.HOST;
import static io.clustermonitor.core.livetest.TestPostgres.PASSWORD;
import static io.clustermonitor.core.livetest.TestPostgres.PORT;
import static io.clustermonitor.core.livetest.TestPostgres.USER;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.promtool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.exporters.CompatSupport.Parsed;
import io.clustermonitor.exporters.CompatSupport.Sample;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The opt-in {@code process_idle} collector ({@code --collector.process_idle}) against the real
 * PostgreSQL: {@code pg_process_idle_seconds} is a histogram with {@code state} and {@code
 * application_name}, buckets 1, 2, 5, 15, 30, 60, 90, 120, 300 and +Inf, as postgres_exporter
 * 0.15's {@code collector/pg_process_idle.go}. Debian's postgres_exporter is 0.11, which has no
 * such collector (it came with the collector package in 0.13, the {@code state} label in 0.14), so
 * there is no reference to run beside ours: the checks are against what the server says.
 */
class PostgresProcessIdleIT {
  static final String APP = "cm-idle-" + ProcessHandle.current().pid();
  static final List<String> BOUNDS =
      List.of("1", "2", "5", "15", "30", "60", "90", "120", "300", "+Inf");

  final List<Connection> opened = new ArrayList<>();

  Connection open(String applicationName) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("password", PASSWORD);
    p.setProperty("ApplicationName", applicationName);
    Connection c =
        DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + DB, p);
    opened.add(c);
    return c;
  }

  @AfterEach
  void closeConnections() throws Exception {
    for (Connection c : opened) {
      c.close();
    }
  }

  static List<Sample> child(Parsed family, String state, String app) {
    return family.samples().stream()
        .filter(s -> state.equals(s.labels().get("state")))
        .filter(s -> app.equals(s.labels().get("application_name")))
        .toList();
  }

  /** The child's bucket counts in bound order, then _sum and _count (the last two samples). */
  static void assertHistogramChild(List<Sample> samples, double expectedCount) {
    assertThat(samples).hasSize(BOUNDS.size() + 2);
    List<Sample> buckets = samples.subList(0, BOUNDS.size());
    assertThat(buckets).extracting(s -> s.labels().get("le")).containsExactlyElementsOf(BOUNDS);
    for (int i = 1; i < buckets.size(); i++) {
      assertThat(buckets.get(i).value())
          .as("cumulative at le=" + BOUNDS.get(i))
          .isGreaterThanOrEqualTo(buckets.get(i - 1).value());
    }
    Sample sum = samples.get(BOUNDS.size());
    Sample count = samples.get(BOUNDS.size() + 1);
    assertThat(sum.labels()).doesNotContainKey("le");
    assertThat(count.labels()).doesNotContainKey("le");
    assertThat(count.value()).isEqualTo(expectedCount);
    assertThat(buckets.get(BOUNDS.size() - 1).value()).isEqualTo(expectedCount);
    assertThat(sum.value()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void processIdleIsThe015HistogramPerStateAndApplicationName() throws Exception {
    open(APP + "-a");
    open(APP + "-b");
    open(APP + "-b");
    Connection tx = open(APP + "-tx");
    tx.setAutoCommit(false);
    try (Statement st = tx.createStatement()) {
      st.execute("SELECT 1"); // leaves the session "idle in transaction"
    }

    try (PostgresCollector pg =
        PostgresCollector.builder()
            .dataSources(DataSource.fromEnvironment(Map.of("DATA_SOURCE_NAME", DSN)))
            .collector("process_idle", true)
            .build()) {
      // Until the sessions have been idle for more than 2 s: the low buckets then drop to 0 while
      // the +Inf one keeps the count, which shows the buckets hold idle times, not just counts.
      String[] text = new String[1];
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                text[0] = CollectorTestKit.render(pg.collect());
                Parsed f = parse(text[0]).get("pg_process_idle_seconds");
                assertThat(f).isNotNull();
                assertThat(child(f, "idle", APP + "-a")).isNotEmpty();
                assertThat(child(f, "idle", APP + "-a").get(1).value()).as("le=2").isZero();
              });
      Map<String, Parsed> families = parse(text[0]);
      Parsed f = families.get("pg_process_idle_seconds");

      assertThat(f.type()).isEqualTo("histogram");
      assertThat(f.help()).isEqualTo("Idle time of server processes");
      assertThat(f.labelNames()).containsExactly("application_name", "state");
      assertThat(text[0])
          .contains("# TYPE pg_process_idle_seconds histogram")
          .contains(
              "pg_process_idle_seconds_bucket{application_name=\""
                  + APP
                  + "-a\",state=\"idle\",le=\"300\"} 1")
          .contains(
              "pg_process_idle_seconds_count{application_name=\"" + APP + "-b\",state=\"idle\"} 2");
      assertHistogramChild(child(f, "idle", APP + "-a"), 1);
      assertHistogramChild(child(f, "idle", APP + "-b"), 2);
      assertHistogramChild(child(f, "idle in transaction", APP + "-tx"), 1);
      assertThat(child(f, "idle", APP + "-tx")).isEmpty();
      List<Sample> a = child(f, "idle", APP + "-a");
      assertThat(a.get(0).value()).as("le=1").isZero();
      assertThat(a.get(BOUNDS.indexOf("300")).value()).as("le=300").isEqualTo(1);
      assertThat(a.get(BOUNDS.size()).value()).as("_sum").isGreaterThanOrEqualTo(2);
      // Only idle states (our own session, which runs the query, is active): 0.15's WHERE.
      assertThat(f.samples()).allMatch(s -> s.labels().get("state").startsWith("idle"));
      assertThat(families.get("pg_scrape_collector_success").samples())
          .anyMatch(s -> "process_idle".equals(s.labels().get("collector")) && s.value() == 1);

      assertThat(
              promtool(
                  CollectorTestKit.render(
                      pg.collect(), "pg_process_idle_seconds", "pg_scrape_collector_success")))
          .isEmpty();
    }
  }

  @Test
  void withoutTheFlagTheCollectorDoesNotRun() throws Exception {
    open(APP + "-off");
    try (PostgresCollector pg =
        PostgresCollector.builder()
            .dataSources(DataSource.fromEnvironment(Map.of("DATA_SOURCE_NAME", DSN)))
            .build()) {
      Map<String, Parsed> families = parse(CollectorTestKit.render(pg.collect()));
      assertThat(families).doesNotContainKey("pg_process_idle_seconds");
      assertThat(families.get("pg_scrape_collector_success").samples())
          .noneMatch(s -> "process_idle".equals(s.labels().get("collector")));
    }
  }
}
