package io.clustermonitor.core.health;

import java.time.Duration;

/**
 * One thing that is healthy or not: an engine, a container, a URL, a Prometheus. Built-ins come
 * from {@link HealthChecks}; a lambda is a check too:
 *
 * <pre>{@code
 * HealthCheck disk =
 *     timeout ->
 *         new File("/").getUsableSpace() > 1L << 30
 *             ? CheckResult.up("more than 1 GiB free")
 *             : CheckResult.down("less than 1 GiB free");
 * }</pre>
 *
 * <p>Implementations must be thread-safe: a {@link HealthSuite} may run the same check from several
 * threads. They should answer within {@code timeout} and report failures as a DOWN result rather
 * than throw; {@link HealthSuite} turns a thrown exception or a check that overruns its timeout
 * into DOWN anyway.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Runs the check once.
   *
   * @param timeout how long the check may take, positive
   * @return the outcome, never {@code null}
   */
  CheckResult check(Duration timeout);
}
