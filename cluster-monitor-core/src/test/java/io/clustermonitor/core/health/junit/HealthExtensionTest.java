package io.clustermonitor.core.health.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.core.health.CheckResult;
import io.clustermonitor.core.health.HealthSuite;
import io.clustermonitor.core.health.HealthTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthExtensionTest {

  @Test
  void waitsUntilHealthyOnceAndKeepsTheReport() {
    AtomicInteger runs = new AtomicInteger();
    HealthExtension extension =
        HealthExtension.waitFor(
            HealthSuite.builder()
                .check(
                    "flips",
                    timeout ->
                        runs.incrementAndGet() < 2
                            ? CheckResult.degraded("starting")
                            : CheckResult.up("ready"))
                .pollInterval(Duration.ofMillis(10))
                .build(),
            Duration.ofSeconds(30));

    assertThat(extension.report()).isNull();
    extension.beforeAll(null);
    extension.beforeEach(null);
    extension.beforeEach(null);

    assertThat(extension.report().healthy()).isTrue();
    assertThat(runs).hasValue(2);
  }

  @Test
  void failsTheTestsWithTheReadableReportAndTriesAgainForTheNextTest() {
    AtomicInteger runs = new AtomicInteger();
    HealthExtension extension =
        HealthExtension.waitFor(
            HealthSuite.builder()
                .check(
                    "db",
                    timeout -> {
                      runs.incrementAndGet();
                      return CheckResult.down("connection refused by 127.0.0.1:5432");
                    })
                .pollInterval(Duration.ofMillis(50))
                .build(),
            Duration.ofMillis(300));

    assertThatThrownBy(() -> extension.beforeAll(null))
        .isInstanceOf(HealthTimeoutException.class)
        .hasMessageContaining("db     DOWN")
        .hasMessageContaining("connection refused by 127.0.0.1:5432");
    int afterFirst = runs.get();
    assertThatThrownBy(() -> extension.beforeEach(null)).isInstanceOf(HealthTimeoutException.class);
    assertThat(runs.get()).isGreaterThan(afterFirst);
    assertThat(extension.report()).isNull();
  }

  @Test
  void rejectsBadArguments() {
    HealthSuite suite = HealthSuite.of("ok", timeout -> CheckResult.up("ok"));
    assertThatThrownBy(() -> HealthExtension.waitFor(suite, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HealthExtension.waitFor(null, Duration.ofSeconds(1)))
        .isInstanceOf(NullPointerException.class);
  }
}
