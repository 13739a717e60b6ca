package io.clustermonitor.core.health.junit;

import io.clustermonitor.core.health.HealthReport;
import io.clustermonitor.core.health.HealthSuite;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that waits until a {@link HealthSuite} is healthy before the first test runs,
 * and fails the tests with the readable report when it does not get healthy in time:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final HealthExtension HEALTH =
 *     HealthExtension.waitFor(
 *         HealthSuite.of("shop", HealthChecks.composeProject(DOCKER, "shop").atLeast(2)),
 *         Duration.ofMinutes(2));
 * }</pre>
 *
 * <p>Registered on a static field it waits before all tests of the class; on an instance field,
 * before the first test. Once healthy it does not check again. Thread-safe.
 */
public final class HealthExtension implements BeforeAllCallback, BeforeEachCallback {
  private final HealthSuite suite;
  private final Duration timeout;
  private volatile HealthReport report;

  private HealthExtension(HealthSuite suite, Duration timeout) {
    this.suite = Objects.requireNonNull(suite, "suite");
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
  }

  /**
   * An extension that waits up to {@code timeout} for {@code suite} to be healthy.
   *
   * @throws IllegalArgumentException when {@code timeout} is not positive
   */
  public static HealthExtension waitFor(HealthSuite suite, Duration timeout) {
    return new HealthExtension(suite, timeout);
  }

  /** The report that found everything healthy, or {@code null} before that. */
  public HealthReport report() {
    return report;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    awaitHealthy();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    awaitHealthy();
  }

  private synchronized void awaitHealthy() {
    if (report == null) {
      report = suite.waitUntilHealthy(timeout);
    }
  }
}
