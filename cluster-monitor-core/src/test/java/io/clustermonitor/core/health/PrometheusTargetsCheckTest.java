package io.clustermonitor.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusTargetsCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Shape of Prometheus 2.42's answer, trimmed. */
  private static final String MIXED =
      """
      {"status":"success","data":{"activeTargets":[
        {"discoveredLabels":{"__address__":"127.0.0.1:9100"},
         "labels":{"instance":"127.0.0.1:9100","job":"node"},"scrapePool":"node",
         "scrapeUrl":"http://127.0.0.1:9100/metrics","globalUrl":"http://host:9100/metrics",
         "lastError":"","lastScrape":"2026-01-01T00:00:00Z","lastScrapeDuration":0.01,
         "health":"up","scrapeInterval":"1s","scrapeTimeout":"1s"},
        {"labels":{"instance":"127.0.0.1:1","job":"dead"},"scrapePool":"dead",
         "scrapeUrl":"http://127.0.0.1:1/metrics",
         "lastError":"Get \\"http://127.0.0.1:1/metrics\\": dial tcp 127.0.0.1:1: connect: connection refused",
         "health":"down"},
        {"labels":{"instance":"127.0.0.1:2","job":"new"},"scrapePool":"new",
         "scrapeUrl":"http://127.0.0.1:2/metrics","lastError":"","health":"unknown"}
      ]}}
      """;

  private static StubServer server;
  private static int closedPort;

  @BeforeAll
  static void start() throws Exception {
    server =
        new StubServer()
            .answer("/mixed/api/v1/targets", 200, "application/json", MIXED)
            .answer(
                "/empty/api/v1/targets",
                200,
                "application/json",
                "{\"status\":\"success\",\"data\":{\"activeTargets\":[],\"droppedTargets\":[]}}")
            .answer("/html/api/v1/targets", 200, "text/html", "<html><body>Grafana</body></html>")
            .answer("/text/api/v1/targets", 200, "text/plain", "OK")
            .answer("/array/api/v1/targets", 200, "application/json", "[1,2]")
            .answer(
                "/error/api/v1/targets",
                400,
                "application/json",
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter\"}")
            .answer("/nodata/api/v1/targets", 200, "application/json", "{\"status\":\"success\"}")
            .answer("/slow/api/v1/targets", 200, "application/json", "{}", 30_000);
    closedPort = StubServer.closedPort();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "/mixed",
            null,
            CheckStatus.DOWN,
            "1 of 3 targets down: http://127.0.0.1:1/metrics (job dead): Get \"http://127.0.0.1:1/metrics\": dial tcp 127.0.0.1:1: connect: connection refused"),
        Arguments.of("/mixed/", "node", CheckStatus.UP, "1 target up for job 'node'"),
        Arguments.of(
            "/mixed",
            "dead",
            CheckStatus.DOWN,
            "1 of 1 targets down for job 'dead': http://127.0.0.1:1/metrics"),
        Arguments.of(
            "/mixed",
            "new",
            CheckStatus.DEGRADED,
            "1 of 1 targets not scraped yet for job 'new': http://127.0.0.1:2/metrics (job new)"),
        Arguments.of("/mixed", "nope", CheckStatus.DOWN, "no active targets for job 'nope'"),
        Arguments.of("/empty", null, CheckStatus.DOWN, "no active targets"),
        Arguments.of(
            "/html",
            null,
            CheckStatus.DOWN,
            "HTTP 200, answer is not JSON (text/html): <html><body>Grafana</body></html>"),
        Arguments.of(
            "/text", null, CheckStatus.DOWN, "HTTP 200, answer is not JSON (text/plain): OK"),
        Arguments.of(
            "/array", null, CheckStatus.DOWN, "HTTP 200, answer is not a JSON object: [1,2]"),
        Arguments.of(
            "/error",
            null,
            CheckStatus.DOWN,
            "HTTP 400, Prometheus answered status 'error': invalid parameter"),
        Arguments.of("/nodata", null, CheckStatus.DOWN, "answer has no data.activeTargets array"),
        Arguments.of("/missing", null, CheckStatus.DOWN, "HTTP 404, answer is not JSON"));
  }

  @ParameterizedTest(name = "{0} job={1}")
  @MethodSource("cases")
  void answersBecomeAStatusWithAClearReason(
      String path, String job, CheckStatus status, String reason) {
    PrometheusTargetsCheck check = HealthChecks.prometheusTargets(server.url(path));
    if (job != null) {
      check = check.job(job);
    }
    CheckResult r = check.check(TIMEOUT);
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.reason()).startsWith(reason);
  }

  @Test
  void everyTargetIsListedInTheDetails() {
    CheckResult r = HealthChecks.prometheusTargets(server.url("/mixed")).check(TIMEOUT);
    assertThat(r.details())
        .containsEntry("http://127.0.0.1:9100/metrics", "up")
        .containsEntry("http://127.0.0.1:2/metrics", "unknown")
        .containsKey("http://127.0.0.1:1/metrics")
        .containsEntry("url", server.url("/mixed/api/v1/targets"));
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of("http://127.0.0.1:" + closedPortOrZero(), "connection refused by 127.0.0.1:"),
        Arguments.of("http://no-such-host.invalid:9090", "unknown host 'no-such-host.invalid'"),
        Arguments.of("localhost:9090", "malformed URL"),
        Arguments.of("http://127.0.0.1:9090/?x=1", "malformed Prometheus URL"),
        Arguments.of("http://[::1", "malformed URL"));
  }

  private static int closedPortOrZero() {
    try {
      return StubServer.closedPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void badUrlsAndUnreachableHostsAreDown(String url, String reason) {
    CheckResult r = HealthChecks.prometheusTargets(url).check(TIMEOUT);
    assertThat(r.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(r.reason()).startsWith(reason);
  }

  @Test
  void aSlowPrometheusIsDownWithinTheTimeout() {
    long start = System.nanoTime();
    CheckResult r =
        HealthChecks.prometheusTargets(server.url("/slow")).check(Duration.ofMillis(300));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(r.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(r.reason()).contains("within 300ms");
  }

  @Test
  void aBlankJobIsRejected() {
    assertThat(closedPort).isPositive();
    assertThatThrownBy(() -> HealthChecks.prometheusTargets("http://127.0.0.1:9090").job(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
