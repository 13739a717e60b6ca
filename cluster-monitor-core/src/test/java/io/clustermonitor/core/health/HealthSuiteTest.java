package io.clustermonitor.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthSuiteTest {

  @Test
  void runsChecksInParallelAndKeepsRegistrationOrder() {
    CountDownLatch both = new CountDownLatch(2);
    HealthCheck waitsForTheOther =
        timeout -> {
          both.countDown();
          try {
            return both.await(5, java.util.concurrent.TimeUnit.SECONDS)
                ? CheckResult.up("met the other")
                : CheckResult.down("ran alone");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.down("interrupted");
          }
        };
    HealthReport report =
        HealthSuite.builder()
            .check("b", waitsForTheOther)
            .check("a", waitsForTheOther)
            .timeout(Duration.ofSeconds(10))
            .build()
            .run();

    assertThat(report.checks()).extracting(CheckReport::name).containsExactly("b", "a");
    assertThat(report.checks()).allSatisfy(c -> assertThat(c.reason()).isEqualTo("met the other"));
    assertThat(report.healthy()).isTrue();
  }

  @Test
  void aCheckThatHangsBecomesDownWithATimeoutReasonAndTheRunReturns() {
    HealthCheck hangs =
        timeout -> {
          while (true) {
            try {
              Thread.sleep(60_000);
            } catch (InterruptedException ignored) {
              // a badly behaved check that ignores interrupts
            }
          }
        };
    long start = System.nanoTime();
    HealthReport report =
        HealthSuite.builder()
            .check("hangs", Duration.ofMillis(300), hangs)
            .check("fine", timeout -> CheckResult.up("ok"))
            .build()
            .run();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    CheckReport row = report.check("hangs").orElseThrow();
    assertThat(row.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(row.reason()).isEqualTo("timed out after 300ms");
    assertThat(row.elapsed()).isEqualTo(Duration.ofMillis(300));
    assertThat(report.check("fine").orElseThrow().status()).isEqualTo(CheckStatus.UP);
    assertThat(report.status()).isEqualTo(CheckStatus.DOWN);
  }

  @Test
  void aCheckThatThrowsOrReturnsNullBecomesDown() {
    HealthReport report =
        HealthSuite.builder()
            .check(
                "throws",
                timeout -> {
                  throw new IllegalStateException("boom");
                })
            .check(
                "error",
                timeout -> {
                  throw new AssertionError("assertion inside");
                })
            .check("null", timeout -> null)
            .build()
            .run();

    assertThat(report.checks()).extracting(CheckReport::status).containsOnly(CheckStatus.DOWN);
    assertThat(report.check("throws").orElseThrow().reason())
        .isEqualTo("check failed: IllegalStateException: boom");
    assertThat(report.check("error").orElseThrow().reason())
        .isEqualTo("check failed: AssertionError: assertion inside");
    assertThat(report.check("null").orElseThrow().reason()).isEqualTo("check returned no result");
  }

  @Test
  void waitUntilHealthyReturnsOnceAllChecksAreUp() {
    AtomicInteger calls = new AtomicInteger();
    HealthSuite suite =
        HealthSuite.builder()
            .check(
                "flips",
                timeout ->
                    calls.incrementAndGet() < 3
                        ? CheckResult.degraded("starting")
                        : CheckResult.up("ready"))
            .pollInterval(Duration.ofMillis(10))
            .maxPollInterval(Duration.ofMillis(20))
            .build();

    HealthReport report = suite.waitUntilHealthy(Duration.ofSeconds(30));

    assertThat(report.healthy()).isTrue();
    assertThat(calls).hasValue(3);
  }

  @Test
  void waitUntilHealthyThrowsAReadableReportOfWhatStillFails() {
    HealthSuite suite =
        HealthSuite.builder()
            .check("engine", timeout -> CheckResult.up("Docker 20.10"))
            .check("web", timeout -> CheckResult.down("connection refused by 127.0.0.1:1"))
            .pollInterval(Duration.ofMillis(50))
            .maxPollInterval(Duration.ofMillis(100))
            .build();

    long start = System.nanoTime();
    assertThatThrownBy(() -> suite.waitUntilHealthy(Duration.ofMillis(500)))
        .isInstanceOf(HealthTimeoutException.class)
        .hasMessageStartingWith("Not healthy after 500ms (")
        .hasMessageContaining("1 of 2 checks still failing:\nCHECK  STATUS  TIME")
        .hasMessageContaining("web    DOWN")
        .hasMessageContaining("connection refused by 127.0.0.1:1")
        .hasMessageNotContaining("engine")
        .satisfies(e -> assertThat(((HealthTimeoutException) e).report().checks()).hasSize(2));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void waitUntilHealthyShortensCheckTimeoutsToTheTimeLeft() {
    HealthSuite suite =
        HealthSuite.builder()
            .check(
                "slow",
                Duration.ofMinutes(5),
                timeout -> {
                  try {
                    Thread.sleep(timeout.toMillis() * 2);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return CheckResult.down("never");
                })
            .build();

    long start = System.nanoTime();
    assertThatThrownBy(() -> suite.waitUntilHealthy(Duration.ofMillis(400)))
        .isInstanceOf(HealthTimeoutException.class)
        .hasMessageContaining("timed out after");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void assertHealthyThrowsAnAssertionErrorWithAnAlignedTable() {
    HealthSuite suite =
        HealthSuite.builder()
            .check("engine", timeout -> CheckResult.up("Docker 20.10.24, API 1.41"))
            .check("containers", timeout -> CheckResult.degraded("starting: web"))
            .build();

    assertThatThrownBy(suite::assertHealthy)
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Expected all health checks UP, but 1 of 2 are not:\n")
        .hasMessageMatching(
            "(?s).*CHECK       STATUS    TIME +REASON\n"
                + "engine      UP        \\d+ms +Docker 20.10.24, API 1.41\n"
                + "containers  DEGRADED  \\d+ms +starting: web\n");
  }

  @Test
  void assertHealthyReturnsTheReportWhenAllAreUp() {
    HealthReport report = HealthSuite.of("ok", timeout -> CheckResult.up("fine")).assertHealthy();
    assertThat(report.healthy()).isTrue();
  }

  @Test
  void theReportRendersAsAGoldenTableAndAsJson() throws Exception {
    HealthReport report =
        new HealthReport(
            Instant.parse("2026-01-02T03:04:05Z"),
            Duration.ofMillis(2100),
            List.of(
                new CheckReport(
                    "engine", CheckStatus.UP, "Docker 20.10", Duration.ofMillis(4), Map.of()),
                new CheckReport(
                    "prometheus",
                    CheckStatus.DOWN,
                    "1 of 2 targets down:\nhttp://127.0.0.1:1/metrics",
                    Duration.ofMillis(2050),
                    Map.of("http://127.0.0.1:1/metrics", "down"))));

    assertThat(report.toTable())
        .isEqualTo(
            """
            CHECK       STATUS  TIME  REASON
            engine      UP      4ms   Docker 20.10
            prometheus  DOWN    2.1s  1 of 2 targets down: http://127.0.0.1:1/metrics
            """);
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.path("status").asText()).isEqualTo("DOWN");
    assertThat(json.path("healthy").asBoolean()).isFalse();
    assertThat(json.path("checkedAt").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(json.path("elapsedMillis").asLong()).isEqualTo(2100);
    assertThat(json.path("checks").get(1).path("name").asText()).isEqualTo("prometheus");
    assertThat(json.path("checks").get(1).path("elapsedMillis").asLong()).isEqualTo(2050);
    assertThat(
            json.path("checks").get(1).path("details").path("http://127.0.0.1:1/metrics").asText())
        .isEqualTo("down");
  }

  @Test
  void durationsAreFormattedForPeople() {
    assertThat(HealthReport.formatDuration(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(HealthReport.formatDuration(Duration.ofSeconds(2))).isEqualTo("2s");
    assertThat(HealthReport.formatDuration(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(HealthReport.formatDuration(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(HealthReport.formatDuration(Duration.ofMinutes(2))).isEqualTo("2m");
  }

  @Test
  void statusWorstOrdersUpDegradedDown() {
    assertThat(CheckStatus.UP.worst(CheckStatus.DEGRADED)).isEqualTo(CheckStatus.DEGRADED);
    assertThat(CheckStatus.DOWN.worst(CheckStatus.UP)).isEqualTo(CheckStatus.DOWN);
  }

  @Test
  void theBuilderRejectsBadInput() {
    HealthCheck ok = timeout -> CheckResult.up("ok");
    assertThatThrownBy(() -> HealthSuite.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one check");
    assertThatThrownBy(() -> HealthSuite.builder().check(" ", ok))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> HealthSuite.builder().check("a", ok).check("a", ok))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate check name 'a'");
    assertThatThrownBy(() -> HealthSuite.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> HealthSuite.builder().check("a", Duration.ofSeconds(-1), ok))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                HealthSuite.builder()
                    .check("a", ok)
                    .pollInterval(Duration.ofSeconds(10))
                    .maxPollInterval(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds maxPollInterval");
    assertThatThrownBy(() -> HealthSuite.of("a", ok).waitUntilHealthy(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HealthSuite.builder().check("a", null))
        .isInstanceOf(NullPointerException.class);
  }
}
