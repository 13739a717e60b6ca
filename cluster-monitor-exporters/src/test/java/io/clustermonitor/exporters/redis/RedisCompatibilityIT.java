package io.clustermonitor.exporters.redis;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our Redis collector beside redis_exporter 1.45 (Debian) against the same Redis. */
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

  static void onDb(String... command) throws Exception {
    try (RespConnection c = RespConnection.open(RedisTarget.parse(ADDR), Duration.ofSeconds(10))) {
      c.command("SELECT", DB);
      c.command(command);
    }
  }

  @BeforeAll
  static void startReferenceAndSeed() throws Exception {
    try (RespConnection c = RespConnection.open(RedisTarget.parse(ADDR), Duration.ofSeconds(10))) {
      c.command("SELECT", DB);
      c.command("FLUSHDB");
      for (int i = 0; i < 1000; i++) {
        if (i % 10 == 0) {
          c.command("SET", "cm-compat:" + i, "v", "EX", "3600");
        } else {
          c.command("SET", "cm-compat:" + i, "v");
        }
      }
    }
    int port = freePort();
    referenceUrl = "http://127.0.0.1:" + port + "/metrics";
    reference =
        CompatSupport.start(
            Map.of(),
            "/usr/bin/prometheus-redis-exporter",
            "--redis.addr=" + ADDR,
            "--web.listen-address=127.0.0.1:" + port);
    awaitMetrics(referenceUrl);
  }

  @AfterAll
  static void stopAndClean() throws Exception {
    if (reference != null) {
      reference.close();
    }
    onDb("FLUSHDB");
  }

  @Test
  void everyDocumentedFamilyHasTheReferenceNameTypeAndLabels() throws Exception {
    Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
    try (RedisCollector ours = RedisCollector.builder().address(ADDR).build()) {
      Map<String, Parsed> mine = parse(CollectorTestKit.render(ours.collect()));

      assertThat(differences(mine, theirs, new TreeSet<>(DOCUMENTED))).isEmpty();
      Set<String> common = new TreeSet<>(mine.keySet());
      common.retainAll(theirs.keySet());
      assertThat(differences(mine, theirs, common)).isEmpty();
    }
  }

  @Test
  void valuesAgreeExactlyForKeysAndConfigAndCloselyForMovingCounters() throws Exception {
    try (RedisCollector ours = RedisCollector.builder().address(ADDR).build()) {
      Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
      Map<String, Parsed> mine = parse(CollectorTestKit.render(ours.collect()));

      assertThat(value(mine, "redis_db_keys", "db", "db" + DB)).isEqualTo(1000);
      assertThat(value(theirs, "redis_db_keys", "db", "db" + DB)).isEqualTo(1000);
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
    }
  }

  @Test
  void promtoolFindsNoProblemTheReferenceDoesNotHaveItself() throws Exception {
    try (RedisCollector ours = RedisCollector.builder().address(ADDR).build()) {
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
