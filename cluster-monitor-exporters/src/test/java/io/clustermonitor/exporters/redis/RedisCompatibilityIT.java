package io.clustermonitor.exporters.redis;

import static io.clustermonitor.exporters.CompatSupport.awaitMetrics;
import static io.clustermonitor.exporters.CompatSupport.differences;
import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.lintSubject;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.promtool;
import static io.clustermonitor.exporters.CompatSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.CompatSupport.Parsed;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Our Redis collector beside redis_exporter 1.45 (Debian) against the same Redis 7, both with the
 * same key, stream and system-metric options: same families, types, labels, series counts and
 * stable values; where 1.45 and 1.55 differ (latency quantile labels), 1.55 is followed.
 */
class RedisCompatibilityIT {
  static final String HOST = System.getenv().getOrDefault("CM_TEST_REDIS_HOST", "127.0.0.1");
  static final String PORT = System.getenv().getOrDefault("CM_TEST_REDIS_PORT", "56379");
  static final String ADDR = "redis://" + HOST + ":" + PORT;

  /** A database index no other test uses; emptied before and after. */
  static final String DB = "14";

  /** The families docs/metrics.md lists for Redis; each must match the reference. */
  static final List<String> DOCUMENTED =
      List.of(
          "redis_up",
          "redis_exporter_last_scrape_error",
          "redis_exporter_last_scrape_duration_seconds",
          "redis_exporter_last_scrape_connect_time_seconds",
          "redis_exporter_scrapes_total",
          "redis_instance_info",
          "redis_db_keys",
          "redis_db_keys_expiring",
          "redis_db_avg_ttl_seconds",
          "redis_commands_total",
          "redis_commands_duration_seconds_total",
          "redis_commands_failed_calls_total",
          "redis_commands_rejected_calls_total",
          "redis_memory_max_bytes",
          "redis_memory_used_bytes",
          "redis_config_maxclients",
          "redis_config_maxmemory",
          "redis_config_io_threads",
          "redis_rdb_last_save_timestamp_seconds",
          "redis_rdb_last_bgsave_status",
          "redis_aof_last_write_status",
          "redis_connected_clients",
          "redis_connected_slaves",
          "redis_uptime_in_seconds",
          "redis_start_time_seconds",
          "redis_commands_processed_total",
          "redis_connections_received_total",
          "redis_keyspace_hits_total",
          "redis_keyspace_misses_total",
          "redis_expired_keys_total",
          "redis_evicted_keys_total",
          "redis_net_input_bytes_total",
          "redis_net_output_bytes_total",
          "redis_cpu_sys_seconds_total",
          "redis_cpu_user_seconds_total",
          "redis_master_repl_offset",
          "redis_repl_backlog_is_active",
          "redis_slowlog_length",
          "redis_slowlog_last_id",
          "redis_last_slow_execution_duration_seconds",
          "redis_latest_fork_seconds",
          "redis_mem_fragmentation_ratio");

  static CompatSupport.Started reference;
  static String referenceUrl;

  static void onDb(String... command) {
    try (Jedis j = new Jedis(HOST, Integer.parseInt(PORT))) {
      j.select(Integer.parseInt(DB));
      j.sendCommand(
          () -> command[0].getBytes(StandardCharsets.UTF_8),
          java.util.Arrays.copyOfRange(command, 1, command.length));
    }
  }

  @BeforeAll
  static void startReferenceAndSeed() throws Exception {
    try (Jedis j = new Jedis(HOST, Integer.parseInt(PORT))) {
      j.select(Integer.parseInt(DB));
      j.flushDB();
      for (int i = 0; i < 1000; i++) {
        if (i % 10 == 0) {
          j.setex("cm-compat:" + i, 3600, "v");
        } else {
          j.set("cm-compat:" + i, "v");
        }
      }
      j.set("cm-compat:number", "42.5");
      j.set("cm-compat:text", "hello");
      j.rpush("cm-compat:list", "a", "b", "c");
      j.xadd("cm-compat:stream", redis.clients.jedis.StreamEntryID.NEW_ENTRY, Map.of("f", "v"));
      j.xgroupCreate("cm-compat:stream", "g1", new redis.clients.jedis.StreamEntryID(0, 0), false);
    }
    int port = freePort();
    referenceUrl = "http://127.0.0.1:" + port + "/metrics";
    reference =
        CompatSupport.start(
            Map.of(),
            "/usr/bin/prometheus-redis-exporter",
            "--redis.addr=" + ADDR,
            "--web.listen-address=127.0.0.1:" + port,
            "--check-keys=db" + DB + "=cm-compat:n*,db" + DB + "=cm-compat:t*",
            "--check-single-keys=db" + DB + "=cm-compat:list",
            "--count-keys=db" + DB + "=cm-compat:*",
            "--check-single-streams=db" + DB + "=cm-compat:stream",
            "--include-system-metrics");
    awaitMetrics(referenceUrl);
  }

  static RedisCollector ours() {
    return RedisCollector.builder()
        .address(ADDR)
        .checkKeys("db" + DB + "=cm-compat:n*,db" + DB + "=cm-compat:t*")
        .checkSingleKeys("db" + DB + "=cm-compat:list")
        .countKeys("db" + DB + "=cm-compat:*")
        .checkSingleStreams("db" + DB + "=cm-compat:stream")
        .includeSystemMetrics(true)
        .build();
  }

  /**
   * Families whose series set moves between two scrapes of a live server (commands and latency
   * histograms grow as clients run new commands; client buffers change), or that only 1.55 has.
   */
  static final Set<String> MOVING =
      Set.of(
          "redis_commands_total",
          "redis_commands_duration_seconds_total",
          "redis_commands_failed_calls_total",
          "redis_commands_rejected_calls_total",
          "redis_latency_percentiles_usec",
          "redis_errors_total");

  /**
   * Every family both have: same type, label names and (outside {@link #MOVING}) series count; and
   * Go has no family we lack, apart from its runtime's and the server-written build info.
   */
  static void assertCommonFamiliesAgree(Map<String, Parsed> mine, Map<String, Parsed> theirs) {
    Set<String> common = new TreeSet<>(mine.keySet());
    common.retainAll(theirs.keySet());
    assertThat(differences(mine, theirs, common)).isEmpty();
    List<String> counts = new ArrayList<>();
    for (String name : common) {
      int a = mine.get(name).samples().size();
      int b = theirs.get(name).samples().size();
      if (a != b && !MOVING.contains(name)) {
        counts.add(name + ": " + a + " series vs reference " + b);
      }
    }
    assertThat(counts).isEmpty();
    Set<String> onlyTheirs = new TreeSet<>(theirs.keySet());
    onlyTheirs.removeAll(mine.keySet());
    onlyTheirs.removeIf(n -> n.startsWith("go_") || n.startsWith("process_"));
    // written by the exporter's server (self metrics), not by the Redis collector
    onlyTheirs.remove("redis_exporter_build_info");
    assertThat(onlyTheirs).isEmpty();
  }

  @Test
  void everyCommonFamilyHasTheSameTypeLabelsAndSeriesCount() throws Exception {
    try (RedisCollector ours = ours()) {
      ours.collect();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
                Map<String, Parsed> mine = parse(CollectorTestKit.render(ours.collect()));
                assertThat(differences(mine, theirs, new TreeSet<>(DOCUMENTED))).isEmpty();
                assertCommonFamiliesAgree(mine, theirs);
              });
    }
  }

  @Test
  void latencyPercentilesFollow155QuantilesWith145SumsAndCounts() throws Exception {
    try (RedisCollector ours = ours()) {
      Map<String, Parsed> mine = parse(CollectorTestKit.render(ours.collect()));
      Parsed p = mine.get("redis_latency_percentiles_usec");
      assertThat(p.type()).isEqualTo("summary");
      assertThat(p.samples())
          .anySatisfy(s -> assertThat(s.labels()).containsEntry("quantile", "0.999"))
          .anySatisfy(s -> assertThat(s.labels()).containsEntry("quantile", "0.5"));
      Parsed h = mine.get("redis_commands_latencies_usec");
      assertThat(h.type()).isEqualTo("histogram");
      assertThat(h.samples()).anySatisfy(s -> assertThat(s.labels()).containsEntry("le", "+Inf"));
      Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
      // 1.45 wrote the percent (quantile="99.9"); 1.55 writes the quantile, as we do.
      assertThat(theirs.get("redis_latency_percentiles_usec").samples())
          .anySatisfy(s -> assertThat(s.labels()).containsEntry("quantile", "99.9"));
    }
  }

  @AfterAll
  static void stopAndClean() throws Exception {
    if (reference != null) {
      reference.close();
    }
    onDb("FLUSHDB");
  }

  @Test
  void valuesAgreeExactlyForKeysAndConfigAndCloselyForMovingCounters() throws Exception {
    try (RedisCollector ours = ours()) {
      Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
      Map<String, Parsed> mine = parse(CollectorTestKit.render(ours.collect()));

      assertThat(value(mine, "redis_db_keys", "db", "db" + DB)).isEqualTo(1004);
      assertThat(value(theirs, "redis_db_keys", "db", "db" + DB)).isEqualTo(1004);
      assertThat(value(mine, "redis_db_keys_expiring", "db", "db" + DB))
          .isEqualTo(value(theirs, "redis_db_keys_expiring", "db", "db" + DB))
          .isEqualTo(100);
      assertThat(value(mine, "redis_config_maxclients"))
          .isEqualTo(value(theirs, "redis_config_maxclients"));
      assertThat(value(mine, "redis_config_maxmemory"))
          .isEqualTo(value(theirs, "redis_config_maxmemory"));
      assertThat(value(mine, "redis_memory_max_bytes"))
          .isEqualTo(value(theirs, "redis_memory_max_bytes"));
      assertThat(value(mine, "redis_start_time_seconds"))
          .isCloseTo(
              value(theirs, "redis_start_time_seconds"), org.assertj.core.data.Offset.offset(2.0));
      assertThat(value(mine, "redis_commands_processed_total"))
          .isGreaterThanOrEqualTo(value(theirs, "redis_commands_processed_total"))
          .isLessThan(value(theirs, "redis_commands_processed_total") + 10_000);
      assertThat(value(mine, "redis_cpu_user_seconds_total"))
          .isCloseTo(
              value(theirs, "redis_cpu_user_seconds_total"),
              org.assertj.core.data.Offset.offset(5.0));
      assertThat(value(mine, "redis_up")).isEqualTo(value(theirs, "redis_up")).isEqualTo(1);
      String db = "db" + DB;
      for (String[] series :
          new String[][] {
            {"redis_key_size", "db", db, "key", "cm-compat:number"},
            {"redis_key_size", "db", db, "key", "cm-compat:list"},
            {"redis_key_value", "db", db, "key", "cm-compat:number"},
            {"redis_keys_count", "db", db, "key", "cm-compat:*"},
            {"redis_stream_length", "db", db, "stream", "cm-compat:stream"},
            {"redis_stream_groups", "db", db, "stream", "cm-compat:stream"},
            {"redis_stream_last_generated_id", "db", db, "stream", "cm-compat:stream"},
            {
              "redis_stream_group_messages_pending",
              "db",
              db,
              "stream",
              "cm-compat:stream",
              "group",
              "g1"
            },
            {"redis_total_system_memory_bytes"},
            {"redis_config_io_threads"},
            {"redis_db_keys", "db", "db0"},
          }) {
        String name = series[0];
        String[] labels = java.util.Arrays.copyOfRange(series, 1, series.length);
        assertThat(value(mine, name, labels))
            .as(String.join(" ", series))
            .isEqualTo(value(theirs, name, labels))
            .isNotNaN();
      }
      assertThat(value(mine, "redis_keys_count", "db", db, "key", "cm-compat:*")).isEqualTo(1004);
      assertThat(
              value(
                  mine,
                  "redis_key_value_as_string",
                  "db",
                  db,
                  "key",
                  "cm-compat:text",
                  "val",
                  "hello"))
          .isEqualTo(1);
      Parsed info = mine.get("redis_instance_info");
      assertThat(info.samples().get(0).labels())
          .isEqualTo(theirs.get("redis_instance_info").samples().get(0).labels());
    }
  }

  @Test
  void promtoolFindsNoProblemTheReferenceDoesNotHaveItself() throws Exception {
    try (RedisCollector ours = ours()) {
      List<String> mine = promtool(CollectorTestKit.render(ours.collect()));
      Set<String> referenceSubjects =
          promtool(awaitMetrics(referenceUrl)).stream()
              .map(CompatSupport::lintSubject)
              .collect(Collectors.toSet());

      assertThat(mine)
          .allSatisfy(line -> assertThat(referenceSubjects).contains(lintSubject(line)));
    }
  }
}
