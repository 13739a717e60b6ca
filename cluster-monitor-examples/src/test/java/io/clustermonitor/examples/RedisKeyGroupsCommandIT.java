package io.clustermonitor.examples;

import static io.clustermonitor.examples.ApiProxyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * {@code redis-exporter} with 1.55's key-group, script and client-list flags in Go's one-dash,
 * two-dash and variable forms against the dev Redis (keys under {@code cm-kg-cmd:} in database 10,
 * emptied after), and their bad input as usage errors without a stack trace.
 */
class RedisKeyGroupsCommandIT {
  static final String HOST = System.getenv().getOrDefault("CM_TEST_REDIS_HOST", "127.0.0.1");
  static final int PORT =
      Integer.parseInt(System.getenv().getOrDefault("CM_TEST_REDIS_PORT", "56379"));
  static final String ADDR = "redis://" + HOST + ":" + PORT;

  @TempDir Path dir;

  @Test
  void oneDashTwoDashAndVariableFormsReachTheCollector() throws Exception {
    try (Jedis j = new Jedis(HOST, PORT)) {
      j.select(10);
      j.set("cm-kg-cmd:a:1", "x");
      j.set("cm-kg-cmd:a:2", "x");
      j.set("cm-kg-cmd:b:1", "x");
    }
    Path script = Files.writeString(dir.resolve("s.lua"), "return {'cm_kg_cmd', '7'}");
    RedisExporterCommand cmd = new RedisExporterCommand();
    cmd.env =
        Map.of(
            "REDIS_ADDR",
            ADDR,
            "REDIS_EXPORTER_SCRIPT",
            script.toString(),
            "REDIS_EXPORTER_EXPORT_CLIENT_LIST",
            "true");
    String[] args = {
      "--listen",
      "127.0.0.1:0",
      "-check-key-groups=^cm%-kg%-cmd:(%a+):",
      "-max-distinct-key-groups",
      "1",
      "--export-client-port"
    };
    Thread t = new Thread(() -> run(cmd, args));
    t.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> cmd.server != null);
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + cmd.server.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body)
          .contains("redis_up 1")
          .contains("redis_key_group_count{db=\"db10\",key_group=\"a\"} 2")
          .contains("redis_key_group_count{db=\"db10\",key_group=\"overflow\"} 1")
          .contains("redis_number_of_distinct_key_groups{db=\"db10\"} 2")
          .contains("redis_script_values{key=\"cm_kg_cmd\",filename=\"" + script + "\"} 7")
          .contains("redis_script_result{filename=\"" + script + "\"} 1")
          .containsPattern("redis_connected_clients_details\\{[^}]*name=\"redis_exporter\"")
          .containsPattern("redis_connected_clients_details\\{[^}]*port=\"\\d+\"");
    } finally {
      cmd.running.stop();
      t.join(30_000);
      try (Jedis j = new Jedis(HOST, PORT)) {
        j.select(10);
        j.flushDB();
      }
    }
  }

  @Test
  void badInputIsAUsageErrorNamingTheProblemWithoutStackTrace() throws Exception {
    Path missing = dir.resolve("missing.lua");
    String[][] cases = {
      {"-check-key-groups", "^(a),[x", "missing ']'"},
      {"-check-key-groups", "^(a", "unfinished capture"},
      {"-script", missing.toString(), "Cannot read -script file '" + missing + "': no such file"},
      {"-max-distinct-key-groups", "-1", "must not be negative"},
      {"-max-distinct-key-groups", "many", "many"},
      {"-export-client-list=maybe", null, "invalid boolean value \"maybe\""},
    };
    for (String[] c : cases) {
      RedisExporterCommand cmd = new RedisExporterCommand();
      cmd.env = Map.of();
      String[] args =
          c[1] == null
              ? new String[] {"--listen", "127.0.0.1:0", c[0]}
              : new String[] {"--listen", "127.0.0.1:0", c[0], c[1]};
      ApiProxyCommandTest.Run r = run(cmd, args);
      assertThat(r.exit()).as(c[0]).isEqualTo(2);
      assertThat(r.err() + r.out()).as(c[0]).contains(c[2]).doesNotContain("\tat ");
    }
  }
}
