package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.health.HealthChecks;
import io.clustermonitor.core.health.HealthSuite;
import io.clustermonitor.core.health.junit.HealthExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit 5 extension waits for the container's healthcheck before the first test. */
class HealthWaitTest {
  static final String NAME = "shop-health-" + UUID.randomUUID().toString().substring(0, 8);
  static final DockerMonitor DOCKER =
      DockerMonitor.connect(DockerEndpoint.builder(TestServices.DOCKER_HOST).build());
  static volatile String containerId;

  /**
   * Runs first: skips without an engine, else starts the container the next extension waits for.
   */
  @RegisterExtension
  @Order(1)
  static final BeforeAllCallback SERVICES =
      (ExtensionContext context) -> {
        TestServices.requireEngine();
        containerId = TestServices.startHealthyContainer(NAME);
      };

  // [health]
  @RegisterExtension
  @Order(2)
  static final HealthExtension HEALTH =
      HealthExtension.waitFor(
          HealthSuite.of("shop", HealthChecks.containerHealthy(DOCKER, NAME)),
          Duration.ofMinutes(2));

  // [health]

  @AfterAll
  static void cleanUp() {
    DOCKER.close();
    if (containerId != null) {
      TestServices.remove(containerId);
    }
  }

  @Test
  void theContainerIsHealthyBeforeTheFirstTest() {
    assertTrue(
        HEALTH.report() != null && HEALTH.report().healthy(), String.valueOf(HEALTH.report()));
    String status = TestServices.docker("inspect", "-f", "{{.State.Health.Status}}", NAME);
    assertTrue(status.equals("healthy"), status);
  }
}
