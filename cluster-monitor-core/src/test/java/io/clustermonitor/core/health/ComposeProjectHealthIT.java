package io.clustermonitor.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.health.junit.HealthExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example of docs/health-checks.md: keep both in step. */
class ComposeProjectHealthIT {

  // Fixture: in a real build `docker compose up -d` started the project before the tests.
  @RegisterExtension
  @Order(1)
  static final FakeComposeProject COMPOSE = new FakeComposeProject();

  static final String PROJECT = COMPOSE.name();

  // --8<-- [start:example]
  static final DockerMonitor DOCKER = DockerMonitor.fromEnvironment();

  @RegisterExtension
  @Order(2)
  static final HealthExtension HEALTH =
      HealthExtension.waitFor(
          HealthSuite.builder()
              .check("engine", HealthChecks.engineReachable(DOCKER))
              .check("project", HealthChecks.composeProject(DOCKER, PROJECT).atLeast(2))
              .timeout(Duration.ofSeconds(10))
              .build(),
          Duration.ofMinutes(2));

  @AfterAll
  static void closeDocker() {
    DOCKER.close();
  }

  @Test
  void everyServiceOfTheProjectIsHealthyBeforeTheFirstTest() {
    HealthSuite.builder()
        .check("web", HealthChecks.containerHealthy(DOCKER, PROJECT + "-web-1"))
        .check("db", HealthChecks.containerHealthy(DOCKER, PROJECT + "-db-1"))
        .build()
        .assertHealthy();
  }

  // --8<-- [end:example]

  @Test
  void theExtensionKeepsTheReportThatFoundTheProjectHealthy() {
    assertThat(HEALTH.report().healthy()).isTrue();
    assertThat(HEALTH.report().check("project").orElseThrow().reason())
        .startsWith("2 of 2 healthy");
  }
}
