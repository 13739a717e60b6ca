package io.clustermonitor.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian {@code /usr/bin/prometheus}) on loopback scraping one live target (a
 * JDK HttpServer) and one dead one (a closed port).
 */
class PrometheusTargetsIT {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static HttpServer exporter;
  private static Process prometheus;
  private static Path dir;
  private static String prometheusUrl;
  private static String liveUrl;
  private static String deadUrl;

  @BeforeAll
  static void startPrometheus() throws Exception {
    boolean required =
        List.of("true", "1").contains(System.getenv().getOrDefault("CM_REQUIRE_SERVICES", ""));
    if (!required) {
      Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS), "no " + PROMETHEUS);
    }
    try {
      exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      exporter.createContext(
          "/metrics",
          ex -> {
            byte[] body =
                "# TYPE demo_up gauge\ndemo_up{service=\"web\"} 1\n"
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          });
      exporter.start();
      int livePort = exporter.getAddress().getPort();
      int deadPort = StubServer.closedPort();
      int webPort = freePort();
      liveUrl = "http://127.0.0.1:" + livePort + "/metrics";
      deadUrl = "http://127.0.0.1:" + deadPort + "/metrics";
      prometheusUrl = "http://127.0.0.1:" + webPort;

      dir = Files.createTempDirectory("cm-health-prometheus");
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          """
          global:
            scrape_interval: 1s
            scrape_timeout: 1s
          scrape_configs:
            - job_name: live
              static_configs:
                - targets: ['127.0.0.1:%d']
            - job_name: dead
              static_configs:
                - targets: ['127.0.0.1:%d']
          """
              .formatted(livePort, deadPort));
      prometheus =
          new ProcessBuilder(
                  PROMETHEUS.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + webPort)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      // Both targets scraped at least once: no target is still "unknown".
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  HealthChecks.prometheusTargets(prometheusUrl)
                          .check(TIMEOUT)
                          .details()
                          .values()
                          .stream()
                          .filter(v -> v.startsWith("up") || v.startsWith("down"))
                          .count()
                      == 2);
    } catch (Exception | AssertionError e) {
      stopPrometheus();
      throw e;
    }
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      prometheus = null;
    }
    if (exporter != null) {
      exporter.stop(0);
      exporter = null;
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      dir = null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void theTargetsCheckIsDownAndNamesExactlyTheDeadTarget() {
    CheckResult r = HealthChecks.prometheusTargets(prometheusUrl).check(TIMEOUT);

    assertThat(r.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(r.reason())
        .startsWith("1 of 2 targets down: " + deadUrl + " (job dead): ")
        .contains("connection refused")
        .doesNotContain(liveUrl);
    assertThat(r.details()).containsEntry(liveUrl, "up");
    assertThat(r.details().get(deadUrl)).startsWith("down: ");
  }

  @Test
  void theLiveJobAloneIsUp() {
    CheckResult r = HealthChecks.prometheusTargets(prometheusUrl).job("live").check(TIMEOUT);
    assertThat(r.status()).isEqualTo(CheckStatus.UP);
    assertThat(r.reason()).isEqualTo("1 target up for job 'live'");
  }

  @Test
  void aSuiteWaitingForAllTargetsGivesUpWithAReportNamingTheDeadTarget() {
    HealthSuite suite =
        HealthSuite.builder()
            .check("live", HealthChecks.prometheusTargets(prometheusUrl).job("live"))
            .check("all targets", HealthChecks.prometheusTargets(prometheusUrl))
            .build();

    assertThatThrownBy(() -> suite.waitUntilHealthy(Duration.ofSeconds(2)))
        .isInstanceOf(HealthTimeoutException.class)
        .hasMessageContaining("1 of 2 checks still failing")
        .hasMessageContaining("all targets  DOWN")
        .hasMessageContaining(deadUrl)
        .hasMessageNotContaining(liveUrl);
  }

  @Test
  void metricsOnPrometheusOwnPageAndOnTheExporterAreFound() {
    CheckResult own =
        HealthChecks.metric(prometheusUrl + "/metrics", "prometheus_build_info").check(TIMEOUT);
    assertThat(own.status()).as(own.reason()).isEqualTo(CheckStatus.UP);
    CheckResult demo =
        HealthChecks.metric(liveUrl, "demo_up").label("service", "web").atLeast(1).check(TIMEOUT);
    assertThat(demo.status()).as(demo.reason()).isEqualTo(CheckStatus.UP);
    // The Debian package serves the classic UI: an HTML page, not metrics.
    CheckResult html = HealthChecks.metric(prometheusUrl + "/classic/graph", "up").check(TIMEOUT);
    assertThat(html.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(html.reason()).startsWith("answer is HTML");
  }
}
