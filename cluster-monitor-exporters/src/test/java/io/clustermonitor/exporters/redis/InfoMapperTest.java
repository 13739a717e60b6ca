package io.clustermonitor.exporters.redis;

import static io.clustermonitor.exporters.CollectorTestSupport.family;
import static io.clustermonitor.exporters.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfoMapperTest {
  static String recorded(String name) throws IOException {
    try (InputStream in = InfoMapperTest.class.getResourceAsStream("/redis/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<MetricFamily> map(String file) throws IOException {
    InfoMapper m = new InfoMapper("redis");
    m.info(recorded(file), 16, 1_800_000_000L);
    m.config(Map.of("maxclients", "10000", "maxmemory", "0", "io-threads", "1"));
    return m.build();
  }

  @Test
  void keyspaceGivesKeysPerDbAndZeroForEveryEmptyDb() throws IOException {
    List<MetricFamily> f = map("info-master.txt");

    assertThat(value(f, "redis_db_keys", "db", "db3")).isEqualTo(2);
    assertThat(value(f, "redis_db_keys_expiring", "db", "db3")).isEqualTo(1);
    assertThat(value(f, "redis_db_keys", "db", "db0")).isEqualTo(1);
    assertThat(value(f, "redis_db_keys", "db", "db15")).isZero();
    assertThat(family(f, "redis_db_keys").samples()).hasSize(16);
    assertThat(family(f, "redis_db_keys").help()).isEqualTo("Total number of keys by DB");
    assertThat(value(f, "redis_db_avg_ttl_seconds", "db", "db3")).isBetween(900.0, 1000.0);
    assertThat(family(f, "redis_db_avg_ttl_seconds").samples()).hasSize(2);
  }

  @Test
  void infoFieldsAreRenamedAndTypedAsRedisExporterDoes() throws IOException {
    List<MetricFamily> f = map("info-master.txt");

    assertThat(family(f, "redis_connected_clients").type()).isEqualTo(MetricType.GAUGE);
    assertThat(family(f, "redis_connected_clients").help()).isEqualTo("connected_clients metric");
    assertThat(family(f, "redis_commands_processed_total").type()).isEqualTo(MetricType.COUNTER);
    assertThat(family(f, "redis_cpu_sys_seconds_total").type()).isEqualTo(MetricType.COUNTER);
    assertThat(family(f, "redis_memory_used_bytes").type()).isEqualTo(MetricType.GAUGE);
    assertThat(value(f, "redis_memory_max_bytes")).isZero();
    assertThat(value(f, "redis_rdb_last_bgsave_status")).isEqualTo(1);
    assertThat(value(f, "redis_aof_last_write_status")).isEqualTo(1);
    assertThat(value(f, "redis_config_maxclients")).isEqualTo(10000);
    assertThat(value(f, "redis_config_maxmemory")).isZero();
    assertThat(value(f, "redis_rdb_last_save_timestamp_seconds")).isGreaterThan(1.7e9);
    assertThat(f).anyMatch(m -> m.name().equals("redis_latest_fork_seconds"));
    assertThat(f).noneMatch(m -> m.name().equals("redis_latest_fork_usec"));
    assertThat(f).noneMatch(m -> m.name().equals("redis_used_memory_human"));
    assertThat(family(f, "redis_cluster_enabled").type()).isEqualTo(MetricType.GAUGE);
    assertThat(value(f, "redis_start_time_seconds")).isLessThan(1_800_000_000.0);
  }

  @Test
  void commandAndErrorStatsAreLabelledCounters() throws IOException {
    List<MetricFamily> f = map("info-master.txt");

    assertThat(value(f, "redis_commands_total", "cmd", "get")).isEqualTo(1);
    assertThat(value(f, "redis_commands_duration_seconds_total", "cmd", "get")).isEqualTo(4e-6);
    assertThat(family(f, "redis_commands_total").type()).isEqualTo(MetricType.COUNTER);
    assertThat(value(f, "redis_commands_failed_calls_total", "cmd", "get")).isZero();
    assertThat(value(f, "redis_errors_total", "err", "ERR")).isEqualTo(1);
    assertThat(family(f, "redis_commands_total").samples())
        .anyMatch(s -> s.labels().get("cmd").equals("set"));
  }

  @Test
  void masterReportsItsConnectedReplica() throws IOException {
    List<MetricFamily> f = map("info-master.txt");

    assertThat(
            value(
                f,
                "redis_connected_slave_lag_seconds",
                "slave_ip",
                "127.0.0.1",
                "slave_port",
                "26402",
                "slave_state",
                "online"))
        .isZero();
    assertThat(value(f, "redis_connected_slave_offset_bytes", "slave_port", "26402"))
        .isEqualTo(157);
    assertThat(value(f, "redis_connected_slaves")).isEqualTo(1);
    assertThat(family(f, "redis_instance_info").samples().get(0).labels())
        .containsEntry("role", "master")
        .containsEntry("redis_mode", "standalone")
        .containsEntry("tcp_port", "26401")
        .containsOnlyKeys(
            "role",
            "redis_version",
            "redis_build_id",
            "redis_mode",
            "os",
            "maxmemory_policy",
            "tcp_port",
            "run_id",
            "process_id");
  }

  @Test
  void replicaReportsItsMasterLink() throws IOException {
    List<MetricFamily> f = map("info-replica.txt");

    assertThat(value(f, "redis_master_link_up", "master_host", "127.0.0.1", "master_port", "26401"))
        .isEqualTo(1);
    assertThat(value(f, "redis_slave_repl_offset", "master_port", "26401")).isEqualTo(157);
    assertThat(value(f, "redis_master_sync_in_progress", "master_port", "26401")).isZero();
    assertThat(family(f, "redis_slave_info").samples().get(0).labels())
        .containsEntry("read_only", "1");
    assertThat(family(f, "redis_instance_info").samples().get(0).labels())
        .containsEntry("role", "slave");
  }
}
