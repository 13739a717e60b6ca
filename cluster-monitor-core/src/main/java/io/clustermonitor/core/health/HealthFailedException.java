package io.clustermonitor.core.health;

import java.time.Duration;
import java.util.stream.Collectors;

/**
 * {@link HealthSuite#waitUntilHealthy(Duration)} gave up before its timeout because a check is DOWN
 * for good ({@link CheckResult#terminal()}): for example the awaited container exited (the message
 * names it and its exit code) or was removed. A {@link HealthTimeoutException}, so code that
 * handles a timeout handles this too.
 */
public class HealthFailedException extends HealthTimeoutException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception from the report that had a terminal check. */
  public HealthFailedException(Duration timeout, int attempts, HealthReport report) {
    super(message(attempts, report), timeout, report);
  }

  private static String message(int attempts, HealthReport report) {
    String terminal =
        report.checks().stream()
            .filter(CheckReport::terminal)
            .map(c -> c.name() + ": " + c.reason())
            .collect(Collectors.joining("; "));
    return "Will not become healthy, gave up after "
        + attempts
        + (attempts == 1 ? " attempt" : " attempts")
        + " without waiting out the timeout: "
        + terminal
        + "\n"
        + report.failingTable();
  }
}
