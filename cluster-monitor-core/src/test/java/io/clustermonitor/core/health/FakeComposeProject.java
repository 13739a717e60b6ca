package io.clustermonitor.core.health;

import io.clustermonitor.core.model.ContainerSummary;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test fixture standing in for {@code docker compose up -d}: starts containers labelled as the
 * services of a compose project (health checks that pass after a few seconds) and removes them
 * after the tests.
 */
final class FakeComposeProject implements BeforeAllCallback, AfterAllCallback {
  private final TestContainers containers = new TestContainers("compose");
  private final String project = containers.runId();

  /** The generated project name. */
  String name() {
    return project;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    try {
      for (String service : new String[] {"web", "db"}) {
        containers.run(
            project + "-" + service + "-1",
            Map.of(
                ContainerSummary.COMPOSE_PROJECT_LABEL, project,
                ContainerSummary.COMPOSE_SERVICE_LABEL, service),
            TestContainers.healthCheck("ls /ready", "1s", 60),
            "sleep 2; mkdir /ready; sleep 600");
      }
    } catch (RuntimeException e) {
      containers.close();
      throw e;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    containers.close();
  }
}
