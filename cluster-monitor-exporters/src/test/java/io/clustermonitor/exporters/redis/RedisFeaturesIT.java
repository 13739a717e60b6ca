package io.clustermonitor.exporters.redis;

import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Families that need a server of their own: {@code CLUSTER INFO} on a cluster node, {@code LATENCY
 * LATEST} after a spike, config metrics with redaction, and the exporter's connection, which exists
 * only during a scrape.
 */
class RedisFeaturesIT {
  @TempDir Path dir;

  @Test
  void aClusterNodeReportsClusterInfoAndOnlyDb0() throws Exception {
    int port = freePort();
    try (CompatSupport.Started s =
            RedisServers.start(
                dir,
                port,
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                dir.resolve("nodes.conf").toString());
        Jedis j = new Jedis("127.0.0.1", port)) {
      assertThat(s.process.isAlive()).isTrue();
      j.sendCommand(
          () -> "CLUSTER".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          "ADDSLOTSRANGE",
          "0",
          "16383");
      try (RedisCollector c =
          RedisCollector.builder().address("redis://127.0.0.1:" + port).isCluster(true).build()) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    value(parse(CollectorTestKit.render(c.collect())), "redis_cluster_state") == 1);
        Map<String, CompatSupport.Parsed> f = parse(CollectorTestKit.render(c.collect()));
        assertThat(value(f, "redis_cluster_enabled")).isEqualTo(1);
        assertThat(value(f, "redis_cluster_slots_assigned")).isEqualTo(16384);
        assertThat(value(f, "redis_cluster_known_nodes")).isEqualTo(1);
        assertThat(f.get("redis_cluster_state").type()).isEqualTo("gauge");
        assertThat(f.get("redis_db_keys").samples()).hasSize(1);
        assertThat(f.get("redis_instance_info").samples().get(0).labels())
            .containsEntry("redis_mode", "cluster");
        CollectorTestKit.assertValid(c.collect());
      }
    }
  }

  @Test
  void latencySpikesConfigMetricsAndTheConnectionThatExistsOnlyDuringAScrape() throws Exception {
    int port = freePort();
    String secret = "cm-redacted-Pw-99";
    try (CompatSupport.Started s =
            RedisServers.start(
                dir,
                port,
                "--latency-monitor-threshold",
                "10",
                "--enable-debug-command",
                "local",
                "--requirepass",
                secret);
        Jedis j = new Jedis("127.0.0.1", port)) {
      assertThat(s.process.isAlive()).isTrue();
      j.auth(secret);
      j.sendCommand(
          () -> "DEBUG".getBytes(java.nio.charset.StandardCharsets.UTF_8), "SLEEP", "0.05");
      try (RedisCollector c =
          RedisCollector.builder()
              .address("redis://127.0.0.1:" + port)
              .password(secret)
              .includeConfigMetrics(true)
              .pingOnConnect(true)
              .build()) {
        String text = CollectorTestKit.render(c.collect());
        Map<String, CompatSupport.Parsed> f = parse(text);
        assertThat(value(f, "redis_latency_spike_duration_seconds", "event_name", "command"))
            .isGreaterThanOrEqualTo(0.04);
        assertThat(value(f, "redis_latency_spike_last", "event_name", "command"))
            .isCloseTo(
                System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(120.0));
        assertThat(value(f, "redis_config_value", "key", "latency-monitor-threshold"))
            .isEqualTo(10);
        assertThat(value(f, "redis_config_key_value", "key", "appendonly", "value", "no"))
            .isEqualTo(1);
        assertThat(f.get("redis_config_key_value").samples())
            .noneMatch(x -> x.labels().get("key").equals("requirepass"));
        assertThat(text).doesNotContain(secret);
        assertThat(value(f, "redis_exporter_last_scrape_ping_time_seconds")).isPositive();
        // During the scrape the exporter was one client besides this test's own link ...
        assertThat(value(f, "redis_connected_clients")).isEqualTo(2);
        // ... and after it, it is none: CLIENT LIST shows only this test.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !j.clientList().contains("name=redis_exporter"));
        assertThat(j.clientList().strip().split("\n")).hasSize(1);
      }
    }
  }
}
