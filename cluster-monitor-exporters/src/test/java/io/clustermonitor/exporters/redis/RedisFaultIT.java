package io.clustermonitor.exporters.redis;

import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.get;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.ExporterServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis going away and coming back, and a wrong password, against our own redis-server. */
class RedisFaultIT {
  @TempDir Path dir;
  private CompatSupport.Started redis;

  @AfterEach
  void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  private CompatSupport.Started startRedis(int port, String... extra) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    cmd.addAll(List.of(extra));
    CompatSupport.Started s = CompatSupport.start(Map.of(), cmd.toArray(String[]::new));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                s.log().toLowerCase(java.util.Locale.ROOT).contains("ready to accept connections"));
    return s;
  }

  private static HttpResponse<String> scrape(ExporterServer server) throws Exception {
    return get("http://127.0.0.1:" + server.port() + "/metrics");
  }

  @Test
  void redisStoppedGivesUpZeroWithHttp200AndStartedAgainGivesUpOne() throws Exception {
    int port = freePort();
    redis = startRedis(port);
    try (RedisCollector collector =
            RedisCollector.builder()
                .address("redis://127.0.0.1:" + port)
                .timeout(Duration.ofSeconds(3))
                .build();
        ExporterServer server =
            ExporterServer.builder()
                .host("127.0.0.1")
                .port(0)
                .namespace("redis")
                .register(collector)
                .start()) {
      HttpResponse<String> first = scrape(server);
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(value(parse(first.body()), "redis_up")).isEqualTo(1);

      redis.close();
      HttpResponse<String> down = scrape(server);
      assertThat(down.statusCode()).isEqualTo(200);
      assertThat(value(parse(down.body()), "redis_up")).isZero();
      assertThat(value(parse(down.body()), "redis_exporter_last_scrape_error")).isEqualTo(1);

      redis = startRedis(port);
      HttpResponse<String> back = scrape(server);
      assertThat(back.statusCode()).isEqualTo(200);
      assertThat(value(parse(back.body()), "redis_up")).isEqualTo(1);
      assertThat(value(parse(back.body()), "redis_exporter_last_scrape_error", "err", "")).isZero();
    }
  }

  @Test
  void aWrongPasswordGivesUpZeroAndNeitherPasswordAppearsInLogsOrOutput() throws Exception {
    String right = "cm-right-Secret-4711";
    String wrong = "cm-wrong-Secret-0815";
    int port = freePort();
    redis = startRedis(port, "--requirepass", right);
    Path pwFile = dir.resolve("pw.json");
    Files.writeString(pwFile, "{\"redis://127.0.0.1:" + port + "\": \"" + wrong + "\"}");

    PrintStream oldErr = System.err;
    PrintStream oldOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    String body;
    int status;
    System.setErr(capture);
    System.setOut(capture);
    try (RedisCollector collector =
            RedisCollector.fromEnvironment(
                    Map.of(
                        "REDIS_ADDR",
                        "redis://127.0.0.1:" + port,
                        "REDIS_PASSWORD_FILE",
                        pwFile.toString()))
                .build();
        ExporterServer server =
            ExporterServer.builder()
                .host("127.0.0.1")
                .port(0)
                .namespace("redis")
                .register(collector)
                .start()) {
      org.slf4j.LoggerFactory.getLogger(RedisFaultIT.class).info("scraping with a wrong password");
      HttpResponse<String> r = scrape(server);
      body = r.body();
      status = r.statusCode();
      scrape(server);
    } finally {
      System.setErr(oldErr);
      System.setOut(oldOut);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);

    assertThat(status).isEqualTo(200);
    assertThat(value(parse(body), "redis_up")).isZero();
    assertThat(body).contains("WRONGPASS").doesNotContain(wrong).doesNotContain(right);
    assertThat(logs).contains("scraping with a wrong password");
    assertThat(logs).doesNotContain(wrong).doesNotContain(right);
    assertThat(redis.log()).doesNotContain(wrong);
  }

  @Test
  void aUnixSocketAddressIsScrapedLikeTcp() throws Exception {
    Path socket = dir.resolve("redis.sock");
    redis = startRedis(0, "--unixsocket", socket.toString(), "--unixsocketperm", "700");
    try (RedisCollector c = RedisCollector.builder().address("unix://" + socket).build()) {
      Map<String, CompatSupport.Parsed> f =
          parse(io.clustermonitor.exporters.testkit.CollectorTestKit.render(c.collect()));

      assertThat(value(f, "redis_up")).isEqualTo(1);
      assertThat(value(f, "redis_config_maxclients")).isPositive();
      assertThat(value(f, "redis_db_keys", "db", "db0")).isZero();
    }
  }
}
