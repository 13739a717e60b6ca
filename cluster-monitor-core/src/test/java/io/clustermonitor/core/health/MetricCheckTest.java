package io.clustermonitor.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetricCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final String METRICS =
      """
      # HELP pg_up Whether the last scrape of PostgreSQL was able to connect.
      # TYPE pg_up gauge
      pg_up 1
      # TYPE container_last_seen gauge
      container_last_seen{id="/docker/abc",name="web"} 1.7e9
      container_last_seen{id="/docker/def",name="db"} 1.7e9
      redis_connected_clients 3
      """;

  private static StubServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        new StubServer()
            .answer("/metrics", 200, "text/plain; version=0.0.4; charset=utf-8", METRICS)
            .answer("/html", 200, "text/html; charset=utf-8", "<html><body>Grafana</body></html>")
            .answer("/garbage", 200, "text/plain", "pg_up 1\nthis is not { a metric\n")
            .answer("/json", 200, "application/json", "{\"up\":1}")
            .answer("/empty", 200, "text/plain", "")
            .answer("/unavailable", 503, "text/plain", "collector failed")
            .answer("/slow", 200, "text/plain", METRICS, 30_000);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Arguments c(
      String name, Function<String, MetricCheck> check, CheckStatus status, String reason) {
    return Arguments.of(name, check, status, reason);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        c(
            "present",
            u -> HealthChecks.metric(u + "/metrics", "pg_up"),
            CheckStatus.UP,
            "pg_up = 1"),
        c(
            "present within bounds",
            u -> HealthChecks.metric(u + "/metrics", "pg_up").atLeast(1).atMost(1),
            CheckStatus.UP,
            "pg_up = 1"),
        c(
            "below bound",
            u -> HealthChecks.metric(u + "/metrics", "redis_connected_clients").atLeast(5),
            CheckStatus.DOWN,
            "redis_connected_clients = 3, expected >= 5"),
        c(
            "above bound",
            u -> HealthChecks.metric(u + "/metrics", "redis_connected_clients").atMost(2),
            CheckStatus.DOWN,
            "redis_connected_clients = 3, expected <= 2"),
        c(
            "outside range",
            u ->
                HealthChecks.metric(u + "/metrics", "redis_connected_clients").atLeast(4).atMost(8),
            CheckStatus.DOWN,
            "redis_connected_clients = 3, expected between 4 and 8"),
        c(
            "label match",
            u -> HealthChecks.metric(u + "/metrics", "container_last_seen").label("name", "db"),
            CheckStatus.UP,
            "container_last_seen{id=\"/docker/def\",name=\"db\"} = 1700000000"),
        c(
            "label mismatch",
            u -> HealthChecks.metric(u + "/metrics", "container_last_seen").label("name", "cache"),
            CheckStatus.DOWN,
            "no container_last_seen sample with labels {name=cache}; found container_last_seen{id=\"/docker/abc\",name=\"web\"} = 1700000000, container_last_seen{"),
        c(
            "absent",
            u -> HealthChecks.metric(u + "/metrics", "node_load1"),
            CheckStatus.DOWN,
            "metric node_load1 not found (4 samples on the page)"),
        c(
            "HTML page",
            u -> HealthChecks.metric(u + "/html", "pg_up"),
            CheckStatus.DOWN,
            "answer is HTML (text/html; charset=utf-8), not Prometheus text format: <html>"),
        c(
            "garbage",
            u -> HealthChecks.metric(u + "/garbage", "pg_up"),
            CheckStatus.DOWN,
            "answer is not Prometheus text format: line 2: 'is' is not a number"),
        c(
            "JSON",
            u -> HealthChecks.metric(u + "/json", "pg_up"),
            CheckStatus.DOWN,
            "answer is not Prometheus text format: line 1: expected a metric name, found '{\"up\":1}'"),
        c(
            "empty page",
            u -> HealthChecks.metric(u + "/empty", "pg_up"),
            CheckStatus.DOWN,
            "metric pg_up not found (0 samples on the page)"),
        c(
            "503",
            u -> HealthChecks.metric(u + "/unavailable", "pg_up"),
            CheckStatus.DOWN,
            "HTTP 503, expected 200: collector failed"),
        c(
            "unknown host",
            u -> HealthChecks.metric("http://no-such-host.invalid/metrics", "pg_up"),
            CheckStatus.DOWN,
            "unknown host 'no-such-host.invalid'"),
        c(
            "malformed URL",
            u -> HealthChecks.metric("metrics", "pg_up"),
            CheckStatus.DOWN,
            "malformed URL 'metrics': no scheme"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void pagesBecomeAStatusWithAClearReason(
      String name, Function<String, MetricCheck> check, CheckStatus status, String reason) {
    CheckResult r = check.apply(server.url("")).check(TIMEOUT);
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.reason()).startsWith(reason);
  }

  @Test
  void aSlowExporterIsDownWithinTheTimeout() {
    long start = System.nanoTime();
    CheckResult r = HealthChecks.metric(server.url("/slow"), "pg_up").check(Duration.ofMillis(300));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(r.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(r.reason()).isEqualTo("no answer from 127.0.0.1:" + server.port() + " within 300ms");
  }

  @Test
  void aClosedPortIsDown() throws Exception {
    int port = StubServer.closedPort();
    CheckResult r =
        HealthChecks.metric("http://127.0.0.1:" + port + "/metrics", "up").check(TIMEOUT);
    assertThat(r.reason()).isEqualTo("connection refused by 127.0.0.1:" + port);
  }

  @Test
  void badArgumentsAreRejectedWhenTheCheckIsBuilt() {
    assertThatThrownBy(() -> HealthChecks.metric("http://x/metrics", "1bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid metric name '1bad'");
    MetricCheck m = HealthChecks.metric("http://x/metrics", "up");
    assertThatThrownBy(() -> m.label("a:b", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> m.atLeast(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> m.atLeast(5).atMost(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value bounds [5.0, 1.0]");
  }
}
