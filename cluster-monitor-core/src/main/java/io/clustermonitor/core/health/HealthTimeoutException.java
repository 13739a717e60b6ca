package io.clustermonitor.core.health;

import io.clustermonitor.core.ClusterMonitorException;
import java.time.Duration;

/**
 * {@link HealthSuite#waitUntilHealthy(Duration)} gave up. The message is a readable report of the
 * checks that still fail; {@link #report()} has the last full report.
 */
public class HealthTimeoutException extends ClusterMonitorException {
  private static final long serialVersionUID = 1L;
  private final transient HealthReport report;
  private final transient Duration timeout;

  /** Creates the exception from the last report. */
  public HealthTimeoutException(Duration timeout, int attempts, HealthReport report) {
    this(message(timeout, attempts, report), timeout, report);
  }

  /** Creates the exception with its own message (for subclasses). */
  protected HealthTimeoutException(String message, Duration timeout, HealthReport report) {
    super(message);
    this.timeout = timeout;
    this.report = report;
  }

  /** The last report, with every check. */
  public HealthReport report() {
    return report;
  }

  /** How long was waited. */
  public Duration timeout() {
    return timeout;
  }

  private static String message(Duration timeout, int attempts, HealthReport report) {
    int failing = report.failing().size();
    return "Not healthy after "
        + HealthReport.formatDuration(timeout)
        + " ("
        + attempts
        + (attempts == 1 ? " attempt" : " attempts")
        + "); "
        + failing
        + " of "
        + report.checks().size()
        + " checks still failing:\n"
        + report.failingTable();
  }
}
