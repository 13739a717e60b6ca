package io.clustermonitor.exporters.redis;

import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.get;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.ExporterServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * {@code /scrape?target=} against three redis-servers this test starts: the configured address
 * (global password), one whose password is in the password file, one that is in no file. The global
 * password goes only to the configured address; the target without an entry gets no AUTH at all
 * (its command statistics and ACL log prove it).
 */
class RedisScrapeIT {
  static final String GLOBAL = "cm-global-Pw-1104";
  static final String IN_FILE = "cm-file-Pw-323";
  static final String OTHER = "cm-other-Pw-464";

  @TempDir static Path dir;
  static final List<CompatSupport.Started> servers = new ArrayList<>();
  static int configured;
  static int inFile;
  static int notInFile;
  static Path passwordFile;

  @BeforeAll
  static void startServers() throws Exception {
    configured = freePort();
    servers.add(RedisServers.start(dir, configured, "--requirepass", GLOBAL, "--dbfilename", "c"));
    inFile = freePort();
    servers.add(RedisServers.start(dir, inFile, "--requirepass", IN_FILE, "--dbfilename", "f"));
    notInFile = freePort();
    servers.add(RedisServers.start(dir, notInFile, "--requirepass", OTHER, "--dbfilename", "o"));
    passwordFile = dir.resolve("passwords.json");
    Files.writeString(
        passwordFile,
        "{\"redis://127.0.0.1:"
            + inFile
            + "\": \""
            + IN_FILE
            + "\",\n"
            + " \"redis://unrelated.invalid:6379\": \"x\"}\n");
    try (Jedis j = new Jedis("127.0.0.1", inFile)) {
      j.auth(IN_FILE);
      j.set("scrape-key", "7");
    }
  }

  @AfterAll
  static void stopServers() {
    for (CompatSupport.Started s : servers) {
      s.close();
    }
  }

  static ExporterServer server(RedisCollector c) {
    return ExporterServer.builder()
        .host("127.0.0.1")
        .port(0)
        .namespace("redis")
        .register(c)
        .target("/scrape", c.targetScraper())
        .start();
  }

  static RedisCollector collector() {
    return RedisCollector.builder()
        .address("redis://127.0.0.1:" + configured)
        .password(GLOBAL)
        .passwordFile(passwordFile)
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  static HttpResponse<String> scrape(ExporterServer s, String target, String extra)
      throws Exception {
    return get(
        "http://127.0.0.1:"
            + s.port()
            + "/scrape?target="
            + URLEncoder.encode(target, StandardCharsets.UTF_8)
            + extra);
  }

  /** WRONGPASS errors and ACL LOG entries of the no-entry server (over an authenticated link). */
  static long[] authStats() {
    try (Jedis j = new Jedis("127.0.0.1", notInFile)) {
      j.auth(OTHER);
      long wrongpass = 0;
      for (String line : j.info("errorstats").split("\n")) {
        if (line.startsWith("errorstat_WRONGPASS:")) {
          wrongpass = Long.parseLong(line.strip().replaceAll(".*count=(\\d+).*", "$1"));
        }
      }
      return new long[] {wrongpass, j.aclLog().size()};
    }
  }

  @Test
  void eachTargetAnswersForItselfWithTheRightPasswordAndNoOtherGetsOne() throws Exception {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    List<String> bodies = new ArrayList<>();
    try (RedisCollector c = collector();
        ExporterServer s = server(c)) {
      HttpResponse<String> metrics = get("http://127.0.0.1:" + s.port() + "/metrics");
      assertThat(value(parse(metrics.body()), "redis_up")).isEqualTo(1);
      bodies.add(metrics.body());

      HttpResponse<String> same = scrape(s, "127.0.0.1:" + configured, "");
      assertThat(same.statusCode()).isEqualTo(200);
      assertThat(value(parse(same.body()), "redis_up")).isEqualTo(1);
      assertThat(value(parse(same.body()), "redis_exporter_scrapes_total")).isEqualTo(1);
      bodies.add(same.body());

      HttpResponse<String> fromFile =
          scrape(s, "redis://127.0.0.1:" + inFile, "&check-single-keys=db0%3Dscrape-key");
      assertThat(fromFile.statusCode()).isEqualTo(200);
      Map<String, CompatSupport.Parsed> f = parse(fromFile.body());
      assertThat(value(f, "redis_up")).isEqualTo(1);
      assertThat(value(f, "redis_key_value", "db", "db0", "key", "scrape-key")).isEqualTo(7);
      assertThat(f.get("redis_instance_info").samples().get(0).labels())
          .containsEntry("tcp_port", Integer.toString(inFile));
      bodies.add(fromFile.body());

      long[] before = authStats();
      HttpResponse<String> none = scrape(s, "127.0.0.1:" + notInFile, "");
      long[] after = authStats();
      assertThat(none.statusCode()).isEqualTo(200);
      Map<String, CompatSupport.Parsed> n = parse(none.body());
      assertThat(value(n, "redis_up")).isZero();
      assertThat(n.get("redis_exporter_last_scrape_error").samples().get(0).labels().get("err"))
          .contains("NOAUTH");
      // No AUTH reached the server: no WRONGPASS error, no failed-auth entry in the ACL LOG.
      assertThat(after).containsExactly(0, 0);
      assertThat(before).containsExactly(0, 0);
      // The detector works: the global password sent to that server is seen at once.
      try (Jedis j = new Jedis("127.0.0.1", notInFile)) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> j.auth(GLOBAL));
      }
      assertThat(authStats()).containsExactly(1, 1);
      bodies.add(none.body());
    } finally {
      System.setErr(oldErr);
    }
    String all = String.join("\n", bodies) + captured.toString(StandardCharsets.UTF_8);
    assertThat(all).doesNotContain(GLOBAL).doesNotContain(IN_FILE).doesNotContain(OTHER);
  }

  @Test
  void badTargetsAre400WithAClearMessageAndCountAsRequestErrors() throws Exception {
    try (RedisCollector c = collector();
        ExporterServer s = server(c)) {
      HttpResponse<String> withCredentials =
          scrape(s, "redis://admin:" + GLOBAL + "@127.0.0.1:" + inFile, "");
      assertThat(withCredentials.statusCode()).isEqualTo(400);
      assertThat(withCredentials.body())
          .contains("must not contain a user or password")
          .doesNotContain(GLOBAL)
          .doesNotContain("admin")
          .doesNotContain("Exception")
          .doesNotContain("\tat ");

      HttpResponse<String> missing = get("http://127.0.0.1:" + s.port() + "/scrape");
      assertThat(missing.statusCode()).isEqualTo(400);
      assertThat(missing.body()).contains("'target' parameter must be specified");

      for (String bad : List.of("redis://127.0.0.1:notaport", "http://127.0.0.1:1", "::::")) {
        HttpResponse<String> r = scrape(s, bad, "");
        assertThat(r.statusCode()).as(bad).isEqualTo(400);
        assertThat(r.body()).as(bad).startsWith("Invalid target").doesNotContain("\tat ");
      }
      HttpResponse<String> badKeys = scrape(s, "127.0.0.1:" + inFile, "&check-keys=dbx%3Da");
      assertThat(badKeys.statusCode()).isEqualTo(400);
      assertThat(badKeys.body()).contains("dbN=pattern");

      HttpResponse<String> metrics = get("http://127.0.0.1:" + s.port() + "/metrics");
      assertThat(value(parse(metrics.body()), "redis_target_scrape_request_errors_total"))
          .isEqualTo(6);
    }
  }

  @Test
  void thePasswordFileIsReReadWhenItChanges() throws Exception {
    Path file = dir.resolve("changing.json");
    Files.writeString(file, "{}");
    try (RedisCollector c =
            RedisCollector.builder()
                .address("")
                .passwordFile(file)
                .timeout(Duration.ofSeconds(5))
                .build();
        ExporterServer s = server(c)) {
      assertThat(value(parse(scrape(s, "127.0.0.1:" + inFile, "").body()), "redis_up")).isZero();
      Files.writeString(file, "{\"redis://127.0.0.1:" + inFile + "\":\"" + IN_FILE + "\"}");
      Files.setLastModifiedTime(
          file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
      assertThat(value(parse(scrape(s, "127.0.0.1:" + inFile, "").body()), "redis_up"))
          .isEqualTo(1);
      // /metrics without an address: only the exporter's own families, no redis_up
      String metrics = get("http://127.0.0.1:" + s.port() + "/metrics").body();
      assertThat(metrics).contains("redis_exporter_scrapes_total").doesNotContain("redis_up");
    }
  }
}
