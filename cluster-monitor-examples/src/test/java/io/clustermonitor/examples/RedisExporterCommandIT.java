package io.clustermonitor.examples;

import static io.clustermonitor.examples.ApiProxyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code redis-exporter} with redis_exporter 1.55's command line against the dev Redis: Go's {@code
 * -flag} and {@code --flag} spellings, its variables, an unimplemented flag with one warning, and
 * {@code /scrape} served next to {@code /metrics}.
 */
class RedisExporterCommandIT {
  static final Map<String, String> ENV = System.getenv();
  static final String ADDR =
      "redis://"
          + ENV.getOrDefault("CM_TEST_REDIS_HOST", "127.0.0.1")
          + ":"
          + ENV.getOrDefault("CM_TEST_REDIS_PORT", "56379");

  @TempDir Path dir;

  static HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void goStyleFlagsAndVariablesConfigureMetricsAndScrape() throws Exception {
    Path pw = dir.resolve("pw.json");
    Files.writeString(pw, "{\"redis://unrelated.invalid:6379\": \"cm-unused-Pw\"}");
    RedisExporterCommand cmd = new RedisExporterCommand();
    cmd.env =
        Map.of(
            "REDIS_ADDR", ADDR,
            "REDIS_EXPORTER_INCL_SYSTEM_METRICS", "true",
            "REDIS_EXPORTER_COUNT_KEYS", "db0=cm-cmd-it:*");
    PrintStream oldErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    List<String> args =
        new ArrayList<>(
            List.of(
                "--listen",
                "127.0.0.1:0",
                "-namespace=cmredis",
                "--check-single-keys",
                "db0=cm-cmd-it:missing",
                "-connection-timeout=5s",
                "-set-client-name=false",
                "--is-tile38",
                "-redis.password-file",
                pw.toString()));
    Thread t = new Thread(() -> run(cmd, args.toArray(String[]::new)));
    t.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> cmd.server != null);
      int port = cmd.server.port();
      HttpResponse<String> m = get(port, "/metrics");
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.body())
          .contains("cmredis_up 1")
          .contains("cmredis_total_system_memory_bytes ")
          .contains("cmredis_keys_count{db=\"db0\",key=\"cm-cmd-it:*\"} 0")
          .contains("# TYPE cmredis_latency_percentiles_usec summary")
          .doesNotContain("\nredis_up");
      HttpResponse<String> s =
          get(port, "/scrape?target=" + URLEncoder.encode(ADDR, StandardCharsets.UTF_8));
      assertThat(s.statusCode()).isEqualTo(200);
      assertThat(s.body())
          .contains("cmredis_up 1")
          .contains("cmredis_exporter_scrapes_total 1")
          .contains("_exporter_build_info{");
      HttpResponse<String> bad = get(port, "/scrape?target=redis://u:cm-in-url-Pw@h:1");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).doesNotContain("cm-in-url-Pw");
    } finally {
      cmd.running.stop();
      t.join(30_000);
      System.setErr(oldErr);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs.split("is-tile38 is accepted", -1)).hasSize(2);
    assertThat(logs).doesNotContain("cm-unused-Pw").doesNotContain("cm-in-url-Pw");
  }

  @Test
  void badInputIsAUsageErrorWithoutStackTraceOrPassword() throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"redis://h:1\": \"cm-broken-Pw");
    for (String[] args :
        new String[][] {
          {"--listen", "127.0.0.1:0", "-redis.password-file", broken.toString()},
          {"--listen", "127.0.0.1:0", "--redis.addr", "redis://h:notaport"},
          {"--listen", "127.0.0.1:0", "-check-keys", "dbx=a*"},
          {"--listen", "127.0.0.1:0", "-connection-timeout", "soon"},
          {"--listen", "127.0.0.1:0", "-is-cluster=maybe"},
        }) {
      RedisExporterCommand cmd = new RedisExporterCommand();
      cmd.env = Map.of("REDIS_PASSWORD", "cm-env-Pw");
      ApiProxyCommandTest.Run r = run(cmd, args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err() + r.out())
          .as(String.join(" ", args))
          .doesNotContain("cm-broken-Pw")
          .doesNotContain("cm-env-Pw")
          .doesNotContain("\tat ");
    }
  }
}
