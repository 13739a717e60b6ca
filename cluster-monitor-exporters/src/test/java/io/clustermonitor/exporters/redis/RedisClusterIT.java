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
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

/**
 * A three-master Redis cluster started by the test on loopback ports; our collector with {@code
 * -is-cluster} and key checks pointed at the first node, beside redis_exporter 1.45 (Debian) with
 * the same flags. Single keys that live on other nodes are found by following {@code MOVED} (both
 * exporters agree exactly); patterns are scanned on every master by us, while 1.45 scans only the
 * node its cluster client happens to pick (a subset of ours); the {@code redis_cluster_*} families
 * agree.
 */
class RedisClusterIT {
  @TempDir static Path dir;
  static final List<CompatSupport.Started> started = new ArrayList<>();
  static final int[] ports = new int[3];
  static String referenceUrl;

  /** Keys of the test, spread over the three masters; values numeric or text. */
  static final Map<String, String> KEYS = new TreeMap<>();

  static final String CHECK_KEYS = "cm-cl:s:*";
  static final String SINGLE_KEYS =
      "cm-cl:list,cm-cl:n:0,cm-cl:n:1,db3=cm-cl:n:2,cm-cl:n:3,cm-cl:none";
  static final String COUNT_KEYS = "cm-cl:*";

  /** A port whose cluster bus port (+10000) is free too. */
  static int clusterPort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int p = ThreadLocalRandom.current().nextInt(20000, 30000);
      try (ServerSocket a = new ServerSocket(p, 1, InetAddress.getLoopbackAddress());
          ServerSocket b = new ServerSocket(p + 10000, 1, InetAddress.getLoopbackAddress())) {
        if (a.isBound() && b.isBound()) {
          return p;
        }
      } catch (IOException busy) {
        // try another
      }
    }
    throw new IOException("no free port pair");
  }

  @BeforeAll
  static void startClusterSeedAndReference() throws Exception {
    for (int i = 0; i < 3; i++) {
      ports[i] = clusterPort();
      started.add(
          RedisServers.start(
              dir,
              ports[i],
              "--cluster-enabled",
              "yes",
              "--cluster-config-file",
              dir.resolve("nodes-" + ports[i] + ".conf").toString(),
              "--cluster-node-timeout",
              "30000"));
    }
    List<String> create = new ArrayList<>(List.of("/usr/bin/redis-cli", "--cluster", "create"));
    for (int p : ports) {
      create.add("127.0.0.1:" + p);
    }
    create.add("--cluster-yes");
    Process p = new ProcessBuilder(create).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              for (int port : ports) {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                  if (!j.clusterInfo().contains("cluster_state:ok")) {
                    return false;
                  }
                }
              }
              return true;
            });
    for (int i = 0; i < 12; i++) {
      KEYS.put("cm-cl:s:" + i, "text-" + i);
    }
    for (int i = 0; i < 4; i++) {
      KEYS.put("cm-cl:n:" + i, Integer.toString(10 + i));
    }
    try (JedisCluster c =
        new JedisCluster(
            Set.of(new HostAndPort("127.0.0.1", ports[0])),
            DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(10_000)
                .socketTimeoutMillis(10_000)
                .build(),
            5)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                for (Map.Entry<String, String> e : KEYS.entrySet()) {
                  c.set(e.getKey(), e.getValue());
                }
                c.del("cm-cl:list");
                c.rpush("cm-cl:list", "a", "b", "c");
              });
    }
    // the keys really are spread: every master holds some of them
    for (int port : ports) {
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        assertThat(j.dbSize()).as("keys on node " + port).isPositive();
      }
    }
    int port = freePort();
    referenceUrl = "http://127.0.0.1:" + port + "/metrics";
    started.add(
        CompatSupport.start(
            Map.of(),
            "/usr/bin/prometheus-redis-exporter",
            "--redis.addr=redis://127.0.0.1:" + ports[0],
            "--is-cluster",
            "--check-keys=" + CHECK_KEYS,
            "--check-single-keys=" + SINGLE_KEYS,
            "--count-keys=" + COUNT_KEYS,
            "--web.listen-address=127.0.0.1:" + port));
    awaitMetrics(referenceUrl);
  }

  @AfterAll
  static void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }

  static RedisCollector ours(boolean isCluster) {
    return RedisCollector.builder()
        .address("redis://127.0.0.1:" + ports[0])
        .isCluster(isCluster)
        .checkKeys(CHECK_KEYS)
        .checkSingleKeys(SINGLE_KEYS)
        .countKeys(COUNT_KEYS)
        .build();
  }

  static Map<String, Double> series(Map<String, Parsed> families, String name, String keyPrefix) {
    Map<String, Double> out = new TreeMap<>();
    Parsed p = families.get(name);
    if (p == null) {
      return out;
    }
    for (Sample s : p.samples()) {
      String key = s.labels().get("key");
      if (key.startsWith(keyPrefix)) {
        out.put(new TreeMap<>(s.labels()).toString(), s.value());
      }
    }
    return out;
  }

  @Test
  void singleKeysOnOtherNodesAreFollowedAsTheReferenceDoes() throws Exception {
    try (RedisCollector ours = ours(true)) {
      Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
      Map<String, Parsed> mine = parse(CollectorTestKit.render(ours.collect()));
      assertThat(value(mine, "redis_up")).isEqualTo(1);
      assertThat(value(mine, "redis_exporter_last_scrape_error", "err", "")).isEqualTo(0);
      for (String name :
          List.of("redis_key_size", "redis_key_value", "redis_key_value_as_string")) {
        assertThat(differences(mine, theirs, Set.of(name))).isEmpty();
      }
      // single keys and numbers: the same series and values on both sides
      for (String prefix : List.of("cm-cl:n:", "cm-cl:list")) {
        assertThat(series(mine, "redis_key_size", prefix))
            .as(prefix)
            .isEqualTo(series(theirs, "redis_key_size", prefix))
            .isNotEmpty();
      }
      assertThat(series(mine, "redis_key_value", "cm-cl:n:"))
          .isEqualTo(series(theirs, "redis_key_value", "cm-cl:n:"))
          .hasSize(4);
      assertThat(value(mine, "redis_key_size", "db", "db0", "key", "cm-cl:list")).isEqualTo(3);
      assertThat(value(mine, "redis_key_value", "db", "db0", "key", "cm-cl:n:3")).isEqualTo(13);
      // an absent key is reported with size 0 on both sides
      assertThat(value(mine, "redis_key_size", "db", "db0", "key", "cm-cl:none"))
          .isEqualTo(value(theirs, "redis_key_size", "db", "db0", "key", "cm-cl:none"))
          .isZero();
      // a check naming another database runs on db0, the only one of a cluster, labelled db0
      assertThat(value(mine, "redis_key_size", "db", "db0", "key", "cm-cl:n:2"))
          .isEqualTo(value(theirs, "redis_key_size", "db", "db0", "key", "cm-cl:n:2"))
          .isEqualTo(2);
    }
  }

  @Test
  void patternsFindTheKeysOfEveryMasterWhereTheReferenceSeesOneNode() throws Exception {
    try (RedisCollector ours = ours(true)) {
      Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
      Map<String, Parsed> mine = parse(CollectorTestKit.render(ours.collect()));
      Map<String, Double> mineText = series(mine, "redis_key_value_as_string", "cm-cl:s:");
      Map<String, Double> theirsText = series(theirs, "redis_key_value_as_string", "cm-cl:s:");
      assertThat(mineText).hasSize(12).containsAllEntriesOf(theirsText);
      assertThat(series(mine, "redis_key_size", "cm-cl:s:")).hasSize(12);
      Map<String, Double> check = new HashMap<>();
      for (Sample s : mine.get("redis_key_value_as_string").samples()) {
        check.put(s.labels().get("key"), 1.0);
        assertThat(s.labels().get("val")).isEqualTo(KEYS.get(s.labels().get("key")));
      }
      assertThat(check).hasSize(12);
      int total = KEYS.size() + 1;
      assertThat(value(mine, "redis_keys_count", "db", "db0", "key", COUNT_KEYS)).isEqualTo(total);
      double theirsCount = value(theirs, "redis_keys_count", "db", "db0", "key", COUNT_KEYS);
      assertThat(theirsCount).isPositive().isLessThan(total);
    }
  }

  @Test
  void withoutIsClusterARedirectCostsOnlyThatKey() throws Exception {
    try (RedisCollector ours = ours(false)) {
      Map<String, Parsed> mine = parse(CollectorTestKit.render(ours.collect()));
      assertThat(value(mine, "redis_up")).isEqualTo(1);
      int local;
      try (Jedis j = new Jedis("127.0.0.1", ports[0])) {
        local = (int) j.dbSize();
      }
      // the pattern finds the first node's keys only; single keys on other nodes answer MOVED
      assertThat(value(mine, "redis_keys_count", "db", "db0", "key", COUNT_KEYS)).isEqualTo(local);
      assertThat(series(mine, "redis_key_size", "cm-cl:").size()).isLessThan(KEYS.size() + 2);
    }
  }

  @Test
  void clusterFamiliesAgreeWithTheReference() throws Exception {
    try (RedisCollector ours = ours(true)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
                Map<String, Parsed> mine = parse(CollectorTestKit.render(ours.collect()));
                Set<String> mineCluster = new TreeSet<>(mine.keySet());
                mineCluster.removeIf(n -> !n.startsWith("redis_cluster_"));
                Set<String> theirsCluster = new TreeSet<>(theirs.keySet());
                theirsCluster.removeIf(n -> !n.startsWith("redis_cluster_"));
                assertThat(mineCluster).isEqualTo(theirsCluster);
                assertThat(differences(mine, theirs, mineCluster)).isEmpty();
                for (String name :
                    List.of(
                        "redis_cluster_enabled",
                        "redis_cluster_state",
                        "redis_cluster_slots_assigned",
                        "redis_cluster_slots_ok",
                        "redis_cluster_slots_pfail",
                        "redis_cluster_slots_fail",
                        "redis_cluster_known_nodes",
                        "redis_cluster_size",
                        "redis_cluster_current_epoch",
                        "redis_cluster_my_epoch")) {
                  assertThat(value(mine, name)).as(name).isEqualTo(value(theirs, name)).isNotNaN();
                }
                assertThat(value(mine, "redis_cluster_state")).isEqualTo(1);
                assertThat(value(mine, "redis_cluster_size")).isEqualTo(3);
                assertThat(value(mine, "redis_db_keys", "db", "db0"))
                    .isEqualTo(value(theirs, "redis_db_keys", "db", "db0"));
                assertThat(mine.get("redis_db_keys").samples()).hasSize(1);
                Set<String> common = new TreeSet<>(mine.keySet());
                common.retainAll(theirs.keySet());
                assertThat(differences(mine, theirs, common)).isEmpty();
              });
    }
  }
}
