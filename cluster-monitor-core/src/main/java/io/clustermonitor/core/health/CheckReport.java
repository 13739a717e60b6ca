package io.clustermonitor.core.health;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One row of a {@link HealthReport}: a named check's result and how long it took.
 *
 * @param name the name the check was registered under
 * @param status the outcome
 * @param reason one line saying why
 * @param elapsed time the check took (its timeout when it timed out)
 * @param details extra facts, unmodifiable
 * @param terminal DOWN for good (see {@link CheckResult#terminal()})
 */
public record CheckReport(
    String name,
    CheckStatus status,
    String reason,
    Duration elapsed,
    Map<String, String> details,
    boolean terminal) {

  /** A row that is not terminal. */
  public CheckReport(
      String name,
      CheckStatus status,
      String reason,
      Duration elapsed,
      Map<String, String> details) {
    this(name, status, reason, elapsed, details, false);
  }

  /** Validates and copies. */
  public CheckReport {
    Objects.requireNonNull(name, "name");
    CheckResult r = new CheckResult(status, reason, details, terminal);
    reason = r.reason();
    details = r.details();
    terminal = r.terminal();
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** The report row for a result. */
  public static CheckReport of(String name, CheckResult result, Duration elapsed) {
    return new CheckReport(
        name, result.status(), result.reason(), elapsed, result.details(), result.terminal());
  }

  /** Whether the status is {@link CheckStatus#UP}. */
  public boolean up() {
    return status == CheckStatus.UP;
  }
}
