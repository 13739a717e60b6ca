package io.clustermonitor.exporters.redis;

import static io.clustermonitor.exporters.CompatSupport.awaitMetrics;
import static io.clustermonitor.exporters.CompatSupport.differences;
import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.CompatSupport.Parsed;
import io.clustermonitor.exporters.CompatSupport.Sample;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master, one replica and a {@code redis-server --sentinel} watching them, all started by the
 * test on loopback ports; our collector and redis_exporter 1.45 (Debian) both pointed at the
 * sentinel: the same {@code redis_sentinel_*} families, types, labels and values, and the same
 * types and labels for every other family both have.
 */
class RedisSentinelIT {
  static final String MASTER_NAME = "cm-sentinel-master";

  /** The sentinel families 1.55 has; 1.45 has the same ones. */
  static final List<String> SENTINEL_FAMILIES =
      List.of(
          "redis_sentinel_masters",
          "redis_sentinel_tilt",
          "redis_sentinel_running_scripts",
          "redis_sentinel_scripts_queue_length",
          "redis_sentinel_simulate_failure_flags",
          "redis_sentinel_master_status",
          "redis_sentinel_master_slaves",
          "redis_sentinel_master_sentinels",
          "redis_sentinel_master_ok_sentinels",
          "redis_sentinel_master_ok_slaves",
          "redis_sentinel_master_ckquorum_status");

  @TempDir static Path dir;
  static final List<CompatSupport.Started> started = new ArrayList<>();
  static int masterPort;
  static int sentinelPort;
  static String referenceUrl;

  @BeforeAll
  static void startMasterReplicaSentinelAndReference() throws Exception {
    masterPort = freePort();
    int replicaPort = freePort();
    sentinelPort = freePort();
    Path masterDir = Files.createDirectories(dir.resolve("master"));
    Path replicaDir = Files.createDirectories(dir.resolve("replica"));
    started.add(RedisServers.start(masterDir, masterPort));
    started.add(
        RedisServers.start(
            replicaDir, replicaPort, "--replicaof", "127.0.0.1", Integer.toString(masterPort)));
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "bind 127.0.0.1",
            "port " + sentinelPort,
            "dir " + dir,
            "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 1",
            "sentinel down-after-milliseconds " + MASTER_NAME + " 60000",
            ""),
        StandardCharsets.UTF_8);
    CompatSupport.Started sentinel =
        CompatSupport.start(Map.of(), "/usr/bin/redis-server", conf.toString(), "--sentinel");
    started.add(sentinel);
    // The sentinel learns the replica from the master's INFO (every 10 s).
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              if (!sentinel.process.isAlive()) {
                throw new IllegalStateException("sentinel exited: " + sentinel.log());
              }
              return sentinel.log().contains("+slave slave 127.0.0.1:" + replicaPort);
            });
    int port = freePort();
    referenceUrl = "http://127.0.0.1:" + port + "/metrics";
    started.add(
        CompatSupport.start(
            Map.of(),
            "/usr/bin/prometheus-redis-exporter",
            "--redis.addr=redis://127.0.0.1:" + sentinelPort,
            "--web.listen-address=127.0.0.1:" + port));
    awaitMetrics(referenceUrl);
  }

  @AfterAll
  static void stopAll() {
    // reverse order: the exporter first, the master last; each process by its own handle (PID)
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }

  static RedisCollector ours() {
    return RedisCollector.builder().address("redis://127.0.0.1:" + sentinelPort).build();
  }

  static Set<String> samples(Parsed p) {
    Set<String> out = new TreeSet<>();
    for (Sample s : p.samples()) {
      out.add(new java.util.TreeMap<>(s.labels()) + " " + s.value());
    }
    return out;
  }

  @Test
  void sentinelFamiliesMatchTheReferenceInTypeLabelsAndValues() throws Exception {
    try (RedisCollector ours = ours()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
                Map<String, Parsed> mine = parse(CollectorTestKit.render(ours.collect()));
                assertThat(differences(mine, theirs, new TreeSet<>(SENTINEL_FAMILIES))).isEmpty();
                for (String name : SENTINEL_FAMILIES) {
                  assertThat(samples(mine.get(name))).as(name).isEqualTo(samples(theirs.get(name)));
                  assertThat(mine.get(name).help()).as(name).isEqualTo(theirs.get(name).help());
                }
                Set<String> mineSentinel = new TreeSet<>(mine.keySet());
                mineSentinel.removeIf(n -> !n.startsWith("redis_sentinel_"));
                Set<String> theirsSentinel = new TreeSet<>(theirs.keySet());
                theirsSentinel.removeIf(n -> !n.startsWith("redis_sentinel_"));
                assertThat(mineSentinel).isEqualTo(theirsSentinel);
              });
      Map<String, Parsed> mine = parse(CollectorTestKit.render(ours.collect()));
      String address = "127.0.0.1:" + masterPort;
      String[] master = {"master_name", MASTER_NAME, "master_address", address};
      assertThat(value(mine, "redis_sentinel_masters")).isEqualTo(1);
      assertThat(value(mine, "redis_sentinel_tilt")).isEqualTo(0);
      assertThat(value(mine, "redis_sentinel_master_slaves", master)).isEqualTo(1);
      assertThat(value(mine, "redis_sentinel_master_ok_slaves", master)).isEqualTo(1);
      assertThat(value(mine, "redis_sentinel_master_sentinels", master)).isEqualTo(1);
      assertThat(value(mine, "redis_sentinel_master_ok_sentinels", master)).isEqualTo(1);
      assertThat(
              value(
                  mine,
                  "redis_sentinel_master_status",
                  "master_name",
                  MASTER_NAME,
                  "master_address",
                  address,
                  "master_status",
                  "ok"))
          .isEqualTo(1);
      assertThat(value(mine, "redis_sentinel_master_ckquorum_status", "master_name", MASTER_NAME))
          .isEqualTo(1);
      assertThat(value(mine, "redis_up")).isEqualTo(1);
    }
  }

  @Test
  void everyOtherCommonFamilyHasTheSameTypeLabelsAndSeriesCount() throws Exception {
    try (RedisCollector ours = ours()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
                Map<String, Parsed> mine = parse(CollectorTestKit.render(ours.collect()));
                assertThat(theirs.get("redis_instance_info").samples()).hasSize(1);
                assertThat(mine.get("redis_instance_info").samples().get(0).labels())
                    .containsEntry("redis_mode", "sentinel")
                    .containsEntry("role", "")
                    .containsEntry("tcp_port", Integer.toString(sentinelPort))
                    .isEqualTo(theirs.get("redis_instance_info").samples().get(0).labels());
                RedisCompatibilityIT.assertCommonFamiliesAgree(mine, theirs);
              });
    }
  }
}
