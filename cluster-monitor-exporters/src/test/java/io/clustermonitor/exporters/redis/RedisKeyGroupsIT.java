package io.clustermonitor.exporters.redis;

import static io.clustermonitor.exporters.CompatSupport.awaitMetrics;
import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.CompatSupport.Parsed;
import io.clustermonitor.exporters.CompatSupport.Sample;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * {@code -check-key-groups}/{@code -max-distinct-key-groups}, {@code -script} and {@code
 * -export-client-list}/{@code -export-client-port} beside Debian's redis_exporter 1.45 with the
 * same flags, against the shared Redis 7 (keys under {@code cm-kg:} in database 11, emptied before
 * and after). Where 1.45 and 1.55 differ (the {@code filename} label and {@code
 * redis_script_result}, the client's {@code user}/{@code resp} labels), 1.55 is followed and the
 * difference asserted; a failing script costs only itself here, while it fails the whole scrape in
 * Go.
 */
class RedisKeyGroupsIT {
  static final String HOST = System.getenv().getOrDefault("CM_TEST_REDIS_HOST", "127.0.0.1");
  static final int PORT =
      Integer.parseInt(System.getenv().getOrDefault("CM_TEST_REDIS_PORT", "56379"));
  static final String ADDR = "redis://" + HOST + ":" + PORT;
  static final int DB = 11;
  static final String GROUPS = "^cm%-kg:(%a+):,^(cm)%-kg";
  static final String PROBE = "cm-kg-probe";

  @TempDir static Path dir;
  static Path script;
  static CompatSupport.Started reference;
  static String referenceUrl;
  static Jedis probe;

  @BeforeAll
  static void seedAndStartTheReference() throws Exception {
    try (Jedis j = new Jedis(HOST, PORT)) {
      j.select(DB);
      j.flushDB();
      for (int i = 1; i <= 3; i++) {
        j.set("cm-kg:user:" + i, "v" + i);
      }
      j.set("cm-kg:order:1", "x".repeat(200));
      j.set("cm-kg:other", "hello");
      j.rpush("cm-kg:list:a", "1", "2", "3");
      j.sadd("cm-kg:set:b", "m1", "m2");
      j.set("cm-kg:counter", "42");
    }
    script = dir.resolve("collect.lua");
    Files.writeString(
        script,
        String.join(
            "\n",
            "redis.call('SELECT', " + DB + ")",
            "local n = redis.call('GET', 'cm-kg:counter')",
            "return {'cm_kg_counter', n, 'cm_kg_half', '2.5'}"));
    probe = new Jedis(HOST, PORT);
    probe.clientSetname(PROBE);
    probe.select(DB);
    probe.get("cm-kg:other");
    int port = freePort();
    referenceUrl = "http://127.0.0.1:" + port + "/metrics";
    reference =
        CompatSupport.start(
            Map.of(),
            "/usr/bin/prometheus-redis-exporter",
            "--redis.addr=" + ADDR,
            "--web.listen-address=127.0.0.1:" + port,
            "--check-key-groups=" + GROUPS,
            "--max-distinct-key-groups=3",
            "--script=" + script,
            "--export-client-list",
            "--export-client-port");
    awaitMetrics(referenceUrl);
  }

  @AfterAll
  static void cleanUp() {
    if (reference != null) {
      reference.close();
    }
    if (probe != null) {
      probe.close();
    }
    try (Jedis j = new Jedis(HOST, PORT)) {
      j.select(DB);
      j.flushDB();
    }
  }

  static RedisCollector.Builder ours() {
    return RedisCollector.builder()
        .address(ADDR)
        .checkKeyGroups(GROUPS)
        .maxDistinctKeyGroups(3)
        .script(script.toString())
        .exportClientList(true)
        .exportClientPort(true);
  }

  static Map<String, Parsed> theirs() throws Exception {
    return parse(CompatSupport.get(referenceUrl).body());
  }

  static Set<Sample> inDb(Parsed p) {
    return p.samples().stream()
        .filter(s -> ("db" + DB).equals(s.labels().get("db")))
        .collect(Collectors.toSet());
  }

  @Test
  void keyGroupsMatchTheGoExporterIncludingTheOverflowGroup() throws Exception {
    try (RedisCollector c = ours().build()) {
      Map<String, Parsed> mine = parse(CollectorTestKit.render(c.collect()));
      Map<String, Parsed> go = theirs();
      for (String f :
          List.of(
              "redis_key_group_count",
              "redis_key_group_memory_usage_bytes",
              "redis_number_of_distinct_key_groups",
              "redis_last_key_groups_scrape_duration_milliseconds")) {
        assertThat(mine).as(f).containsKey(f);
        assertThat(go).as(f).containsKey(f);
        assertThat(mine.get(f).type()).as(f).isEqualTo(go.get(f).type()).isEqualTo("gauge");
        assertThat(mine.get(f).labelNames()).as(f).isEqualTo(go.get(f).labelNames());
        assertThat(mine.get(f).help()).as(f).isEqualTo(go.get(f).help());
      }
      for (String f : List.of("redis_key_group_count", "redis_key_group_memory_usage_bytes")) {
        assertThat(inDb(mine.get(f))).as(f).isEqualTo(inDb(go.get(f)));
      }
      // 5 groups in our db: user(3), order, list, set, cm (cm-kg:other and cm-kg:counter);
      // the 3 using most memory are kept, the other 2 are summed as "overflow".
      String db = "db" + DB;
      assertThat(value(mine, "redis_number_of_distinct_key_groups", "db", db)).isEqualTo(5);
      assertThat(value(go, "redis_number_of_distinct_key_groups", "db", db)).isEqualTo(5);
      assertThat(
              inDb(mine.get("redis_key_group_count")).stream()
                  .map(s -> s.labels().get("key_group")))
          .hasSize(4)
          .contains("overflow");
      double total =
          inDb(mine.get("redis_key_group_count")).stream().mapToDouble(Sample::value).sum();
      assertThat(total).isEqualTo(8);
      // every database of the server gets its distinct-groups series, as in Go
      assertThat(mine.get("redis_number_of_distinct_key_groups").samples())
          .hasSameSizeAs(go.get("redis_number_of_distinct_key_groups").samples());
      assertThat(value(mine, "redis_last_key_groups_scrape_duration_milliseconds"))
          .isGreaterThanOrEqualTo(0);
    }
    try (RedisCollector c = ours().maxDistinctKeyGroups(100).build()) {
      Map<String, Parsed> mine = parse(CollectorTestKit.render(c.collect()));
      String db = "db" + DB;
      assertThat(value(mine, "redis_key_group_count", "db", db, "key_group", "user")).isEqualTo(3);
      assertThat(value(mine, "redis_key_group_count", "db", db, "key_group", "cm")).isEqualTo(2);
      assertThat(value(mine, "redis_key_group_count", "db", db, "key_group", "overflow")).isNaN();
      assertThat(value(mine, "redis_key_group_memory_usage_bytes", "db", db, "key_group", "order"))
          .isGreaterThan(200);
    }
  }

  @Test
  void scriptValuesMatchGoAndFollow155sFilenameLabelAndResult() throws Exception {
    try (RedisCollector c = ours().build()) {
      Map<String, Parsed> mine = parse(CollectorTestKit.render(c.collect()));
      Map<String, Parsed> go = theirs();
      Parsed m = mine.get("redis_script_values");
      Parsed g = go.get("redis_script_values");
      assertThat(m.type()).isEqualTo(g.type()).isEqualTo("gauge");
      assertThat(m.help()).isEqualTo(g.help());
      // 1.45 labels {key}; 1.55 labels {key, filename}
      assertThat(g.labelNames()).containsExactly("key");
      assertThat(m.labelNames()).containsExactlyInAnyOrder("key", "filename");
      for (String key : List.of("cm_kg_counter", "cm_kg_half")) {
        assertThat(value(mine, "redis_script_values", "key", key, "filename", script.toString()))
            .isEqualTo(value(go, "redis_script_values", "key", key));
      }
      assertThat(value(mine, "redis_script_values", "key", "cm_kg_counter")).isEqualTo(42);
      // redis_script_result exists only in 1.55
      assertThat(go).doesNotContainKey("redis_script_result");
      assertThat(value(mine, "redis_script_result", "filename", script.toString())).isEqualTo(1);
    }
  }

  @Test
  void aFailingScriptCostsOnlyItselfWhileGoFailsTheScrape() throws Exception {
    Path syntax = Files.writeString(dir.resolve("syntax.lua"), "return {");
    Path notNumber = Files.writeString(dir.resolve("nan.lua"), "return {'a', 'five'}");
    Path empty = Files.writeString(dir.resolve("empty.lua"), "return {}");
    String files = syntax + "," + notNumber + "," + empty + "," + script;
    int port = freePort();
    String url = "http://127.0.0.1:" + port + "/metrics";
    try (CompatSupport.Started go =
            CompatSupport.start(
                Map.of(),
                "/usr/bin/prometheus-redis-exporter",
                "--redis.addr=" + ADDR,
                "--web.listen-address=127.0.0.1:" + port,
                "--script=" + syntax);
        RedisCollector c = RedisCollector.builder().address(ADDR).script(files).build()) {
      Map<String, Parsed> g = parse(awaitMetrics(url));
      assertThat(go.process.isAlive()).isTrue();
      assertThat(value(g, "redis_up")).isZero();
      assertThat(g.get("redis_exporter_last_scrape_error").samples().get(0).labels().get("err"))
          .contains("Error compiling script");

      String text = CollectorTestKit.render(c.collect());
      Map<String, Parsed> mine = parse(text);
      assertThat(value(mine, "redis_up")).isEqualTo(1);
      assertThat(value(mine, "redis_exporter_last_scrape_error")).isZero();
      assertThat(value(mine, "redis_script_result", "filename", syntax.toString())).isZero();
      assertThat(value(mine, "redis_script_result", "filename", notNumber.toString())).isZero();
      assertThat(value(mine, "redis_script_result", "filename", empty.toString())).isEqualTo(2);
      assertThat(value(mine, "redis_script_result", "filename", script.toString())).isEqualTo(1);
      assertThat(mine.get("redis_script_values").samples())
          .allMatch(s -> s.labels().get("filename").equals(script.toString()))
          .hasSize(2);
      CollectorTestKit.assertValid(c.collect());
    }
  }

  @Test
  void clientListMatchesGoForTheSameConnectionAndAdds155sUserAndResp() throws Exception {
    probe.get("cm-kg:other");
    try (RedisCollector c = ours().build()) {
      Map<String, Parsed> go = theirs();
      Map<String, Parsed> mine = parse(CollectorTestKit.render(c.collect()));
      Parsed m = mine.get("redis_connected_clients_details");
      Parsed g = go.get("redis_connected_clients_details");
      assertThat(m.type()).isEqualTo(g.type()).isEqualTo("gauge");
      assertThat(m.help()).isEqualTo(g.help());
      Set<String> expected = new HashSet<>(g.labelNames());
      expected.addAll(List.of("user", "resp"));
      assertThat(g.labelNames()).doesNotContain("user", "resp").contains("port");
      assertThat(m.labelNames()).isEqualTo(expected);
      Map<String, String> ml = sampleOf(m, PROBE);
      Map<String, String> gl = sampleOf(g, PROBE);
      for (String l : List.of("name", "flags", "db", "omem", "cmd", "host", "port")) {
        assertThat(ml.get(l)).as(l).isEqualTo(gl.get(l));
      }
      assertThat(ml.get("db")).isEqualTo(Integer.toString(DB));
      assertThat(ml.get("cmd")).isEqualTo("get");
      String addr = probe.clientInfo().replaceAll("(?s).*\\baddr=(\\S+).*", "$1");
      assertThat(ml.get("port")).isEqualTo(addr.substring(addr.lastIndexOf(':') + 1));
      assertThat(Double.parseDouble(ml.get("created_at")))
          .isCloseTo(Double.parseDouble(gl.get("created_at")), within(5.0));
      assertThat(Double.parseDouble(ml.get("idle_since")))
          .isCloseTo(Double.parseDouble(gl.get("idle_since")), within(5.0));
      assertThat(ml).containsEntry("user", "default").containsEntry("resp", "2");
      // the exporter's own connection is listed too, named as Go names it
      assertThat(m.samples()).anyMatch(s -> "redis_exporter".equals(s.labels().get("name")));
    }
    try (RedisCollector c = ours().exportClientPort(false).build()) {
      Parsed m = parse(CollectorTestKit.render(c.collect())).get("redis_connected_clients_details");
      assertThat(m.labelNames()).doesNotContain("port").contains("host", "name");
    }
    try (RedisCollector c = RedisCollector.builder().address(ADDR).build()) {
      Map<String, Parsed> none = parse(CollectorTestKit.render(c.collect()));
      assertThat(none)
          .doesNotContainKeys(
              "redis_connected_clients_details",
              "redis_key_group_count",
              "redis_number_of_distinct_key_groups",
              "redis_script_result");
      assertThat(value(none, "redis_last_key_groups_scrape_duration_milliseconds")).isZero();
    }
  }

  private static Map<String, String> sampleOf(Parsed p, String name) {
    return p.samples().stream()
        .filter(s -> name.equals(s.labels().get("name")))
        .findFirst()
        .map(Sample::labels)
        .orElseThrow(() -> new AssertionError("no client named " + name + " in " + p));
  }

  @Test
  void badInputIsAClearErrorAtBuildTime() throws Exception {
    assertThatThrownBy(() -> RedisCollector.builder().checkKeyGroups("^(a),[x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'[x'")
        .hasMessageContaining("missing ']'");
    assertThatThrownBy(() -> RedisCollector.builder().checkKeyGroups("^(a"))
        .hasMessageContaining("unfinished capture");
    Path missing = dir.resolve("no-such.lua");
    assertThatThrownBy(() -> RedisCollector.builder().script(script + "," + missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read -script file '" + missing + "': no such file");
    assertThatThrownBy(() -> RedisCollector.builder().maxDistinctKeyGroups(-1))
        .hasMessageContaining("must not be negative");
    try (RedisCollector c =
        RedisCollector.fromEnvironment(
                Map.of(
                    "REDIS_ADDR",
                    ADDR,
                    "REDIS_EXPORTER_CHECK_KEY_GROUPS",
                    GROUPS,
                    "REDIS_EXPORTER_MAX_DISTINCT_KEY_GROUPS",
                    "1",
                    "REDIS_EXPORTER_SCRIPT",
                    script.toString(),
                    "REDIS_EXPORTER_EXPORT_CLIENT_LIST",
                    "true"))
            .build()) {
      Map<String, Parsed> f = parse(CollectorTestKit.render(c.collect()));
      Set<Sample> groups = inDb(f.get("redis_key_group_count"));
      assertThat(groups).hasSize(2).anyMatch(x -> x.labels().get("key_group").equals("overflow"));
      assertThat(value(f, "redis_script_result", "filename", script.toString())).isEqualTo(1);
      assertThat(f.get("redis_connected_clients_details").labelNames()).doesNotContain("port");
    }
  }
}
