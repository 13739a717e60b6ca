package io.clustermonitor.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.health.junit.HealthExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The extension gives up at once on a container that exited or was removed, instead of waiting out
 * its (long) timeout. Real engine.
 */
class HealthExtensionIT {
  private static final Duration LONG_TIMEOUT = Duration.ofMinutes(3);
  private static DockerMonitor docker;
  private static TestContainers containers;
  private static final List<String> started = new ArrayList<>();

  @BeforeAll
  static void connect() {
    docker = DockerMonitor.fromEnvironment();
    try {
      docker.systemInfo();
    } catch (RuntimeException e) {
      docker.close();
      docker = null;
      assumeTrue(false, "no Docker engine: " + e.getMessage());
    }
    containers = new TestContainers("health-ext-it");
  }

  @AfterAll
  static void cleanUp() {
    for (String name : started) { // one at a time: dockerd 20.10 deadlocks on parallel removal
      TestContainers.docker("rm", "-f", name);
    }
    if (containers != null) {
      containers.close();
    }
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void aContainerThatExitsFailsTheWaitWithinSecondsNamingItAndItsExitCode() {
    String name = containers.name("exits");
    started.add(name);
    // health "starting" until its first check in 10 minutes: only the exit can end the wait
    containers.run(name, Map.of(), TestContainers.healthCheck("true", "10m", 1), "sleep 1; exit 7");
    HealthExtension extension =
        HealthExtension.waitFor(
            HealthSuite.builder()
                .check("app", HealthChecks.containerHealthy(docker, name))
                .timeout(Duration.ofSeconds(20))
                .build(),
            LONG_TIMEOUT);
    long start = System.nanoTime();
    assertThatThrownBy(() -> extension.beforeAll(null))
        .isInstanceOf(HealthFailedException.class)
        .hasMessageContaining(name + " exited (7)");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // 1 s of life plus polling; far below the 3-minute timeout (generous for a loaded machine)
    assertThat(took).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aContainerThatIsRemovedFailsTheWaitInsteadOfWaitingOutTheTimeout() {
    String name = containers.name("removed");
    started.add(name);
    containers.run(name, Map.of(), List.of(), "sleep 600");
    HealthSuite suite =
        HealthSuite.builder()
            .check("running", HealthChecks.containerRunning(docker, name))
            .check("healthy", HealthChecks.containerHealthy(docker, name))
            .timeout(Duration.ofSeconds(20))
            .build();
    assertThat(suite.waitUntilHealthy(Duration.ofSeconds(60)).healthy()).isTrue();
    TestContainers.docker("rm", "-f", name);
    long start = System.nanoTime();
    assertThatThrownBy(() -> suite.waitUntilHealthy(LONG_TIMEOUT))
        .isInstanceOf(HealthFailedException.class)
        .hasMessageContaining("container '" + name + "' was removed");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }
}
