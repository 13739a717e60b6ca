package io.clustermonitor.core.health;

import static io.clustermonitor.core.health.TestContainers.healthCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.core.DockerMonitor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health checks against containers on the real engine (label protocol: see TestContainers). */
class DockerHealthIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static DockerMonitor docker;
  private static TestContainers containers;
  private static TestContainers others;
  private static String healthy;
  private static String unhealthy;
  private static String starting;
  private static String crashed;

  @BeforeAll
  static void startContainers() {
    docker = DockerMonitor.fromEnvironment();
    containers = new TestContainers("health-it");
    others = new TestContainers("health-it-wait");
    try {
      healthy = containers.name("healthy");
      unhealthy = containers.name("unhealthy");
      starting = containers.name("starting");
      crashed = containers.name("crashed");
      containers.run(healthy, Map.of(), healthCheck("true", "1s", 1), "sleep 600");
      containers.run(unhealthy, Map.of(), healthCheck("false", "1s", 1), "sleep 600");
      containers.run(starting, Map.of(), healthCheck("true", "10m", 1), "sleep 600");
      containers.run(crashed, Map.of(), List.of(), "exit 3");
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  HealthChecks.containerHealthy(docker, healthy).check(TIMEOUT).status()
                          == CheckStatus.UP
                      && HealthChecks.containerHealthy(docker, unhealthy)
                          .check(TIMEOUT)
                          .reason()
                          .contains("unhealthy")
                      && HealthChecks.containerRunning(docker, crashed)
                          .check(TIMEOUT)
                          .reason()
                          .contains("exited"));
    } catch (RuntimeException | AssertionError e) {
      stopContainers();
      throw e;
    }
  }

  @AfterAll
  static void stopContainers() {
    if (containers != null) {
      containers.close();
    }
    if (others != null) {
      others.close();
    }
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void theEngineIsReachable() {
    CheckResult r = HealthChecks.engineReachable(docker).check(TIMEOUT);
    assertThat(r.status()).as(r.reason()).isEqualTo(CheckStatus.UP);
    assertThat(r.reason()).startsWith("Docker ").contains("API 1.");
  }

  @Test
  void healthyUnhealthyAndStartingContainersAreReportedAsSuch() {
    CheckResult up = HealthChecks.containerHealthy(docker, healthy).check(TIMEOUT);
    assertThat(up.status()).isEqualTo(CheckStatus.UP);
    assertThat(up.details()).containsEntry(healthy, "running, healthy");

    CheckResult down = HealthChecks.containerHealthy(docker, unhealthy).check(TIMEOUT);
    assertThat(down.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(down.reason()).isEqualTo(unhealthy + " unhealthy (0 of 1 healthy)");

    CheckResult degraded = HealthChecks.containerHealthy(docker, starting).check(TIMEOUT);
    assertThat(degraded.status()).isEqualTo(CheckStatus.DEGRADED);
    assertThat(degraded.reason()).isEqualTo("starting: " + starting + " (0 of 1 healthy)");

    CheckResult exited = HealthChecks.containerHealthy(docker, crashed).check(TIMEOUT);
    assertThat(exited.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(exited.reason()).startsWith(crashed + " exited (3)");
  }

  @Test
  void runningIsAboutTheStateOnly() {
    assertThat(HealthChecks.containerRunning(docker, starting).check(TIMEOUT).status())
        .isEqualTo(CheckStatus.UP);
    assertThat(HealthChecks.containerRunning(docker, unhealthy).check(TIMEOUT).status())
        .isEqualTo(CheckStatus.UP);
    assertThat(HealthChecks.containerRunning(docker, crashed).check(TIMEOUT).reason())
        .isEqualTo("container '" + crashed + "' exited with code 3");
    String ghost = containers.name("ghost");
    CheckResult missing = HealthChecks.containerRunning(docker, ghost).check(TIMEOUT);
    assertThat(missing.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(missing.reason()).contains("no such container").contains(ghost);
    assertThat(HealthChecks.containerHealthy(docker, ghost).check(TIMEOUT).reason())
        .isEqualTo("no container named '" + ghost + "'");
  }

  @Test
  void aLabelSelectionNamesEveryFailingContainer() {
    CheckResult r =
        HealthChecks.containersWithLabel(docker, TestContainers.RUN_LABEL, containers.runId())
            .check(TIMEOUT);
    assertThat(r.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(r.reason())
        .contains(unhealthy + " unhealthy")
        .contains(crashed + " exited (3)")
        .doesNotContain(healthy + " ")
        .endsWith("(1 of 4 healthy)");
    assertThat(r.details()).containsKeys(healthy, unhealthy, starting, crashed);
  }

  @Test
  void waitUntilHealthyReturnsOnceAContainerBecomesHealthy() {
    String late = others.name("late");
    others.run(
        late, Map.of(), healthCheck("ls /ready", "1s", 60), "sleep 3; mkdir /ready; sleep 600");
    HealthSuite suite =
        HealthSuite.builder()
            .check("engine", HealthChecks.engineReachable(docker))
            .check("late", HealthChecks.containerHealthy(docker, late))
            .pollInterval(Duration.ofMillis(200))
            .maxPollInterval(Duration.ofSeconds(1))
            .build();
    assertThat(suite.run().check("late").orElseThrow().status()).isEqualTo(CheckStatus.DEGRADED);

    HealthReport report = suite.waitUntilHealthy(Duration.ofSeconds(90));

    assertThat(report.healthy()).isTrue();
    assertThat(report.check("late").orElseThrow().reason()).isEqualTo("1 of 1 healthy: " + late);
  }

  @Test
  void waitUntilHealthyThrowsAReadableReportWhenAContainerStaysUnhealthy() {
    HealthSuite suite =
        HealthSuite.builder()
            .check("engine", HealthChecks.engineReachable(docker))
            .check("healthy", HealthChecks.containerHealthy(docker, healthy))
            .check("starting", HealthChecks.containerHealthy(docker, starting))
            .check("unhealthy", HealthChecks.containerHealthy(docker, unhealthy))
            .pollInterval(Duration.ofMillis(200))
            .build();

    assertThatThrownBy(() -> suite.waitUntilHealthy(Duration.ofSeconds(3)))
        .isInstanceOf(HealthTimeoutException.class)
        .hasMessageStartingWith("Not healthy after 3s (")
        .hasMessageContaining("2 of 4 checks still failing:\nCHECK      STATUS    TIME")
        .hasMessageContaining("starting   DEGRADED")
        .hasMessageContaining("starting: " + starting)
        .hasMessageContaining("unhealthy  DOWN")
        .hasMessageContaining(unhealthy + " unhealthy")
        .hasMessageNotContaining("engine");
    assertThatThrownBy(suite::assertHealthy)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("engine     UP");
  }
}
