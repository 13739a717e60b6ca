package io.clustermonitor.core.health;

import io.clustermonitor.core.ClusterMonitorException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named checks run together: in parallel, each with its own timeout.
 *
 * <pre>{@code
 * HealthSuite suite =
 *     HealthSuite.builder()
 *         .check("engine", HealthChecks.engineReachable(docker))
 *         .check("shop", HealthChecks.composeProject(docker, "shop").atLeast(3))
 *         .check("api", HealthChecks.http("http://127.0.0.1:8080/health").expectStatus(200))
 *         .timeout(Duration.ofSeconds(5))
 *         .build();
 * suite.waitUntilHealthy(Duration.ofMinutes(2)); // or suite.assertHealthy() in a test
 * }</pre>
 *
 * <p>Immutable and thread-safe. Each run starts one daemon thread per check and stops them when it
 * returns. A check that overruns its timeout is reported DOWN ("timed out after 5s") and its thread
 * is interrupted; a check that throws is reported DOWN with the exception. No run ever hangs or
 * throws because of a check.
 */
public final class HealthSuite {
  /** Extra time given to a check past its timeout, so its own timeout reason wins the race. */
  private static final Duration GRACE = Duration.ofMillis(200);

  private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Map<String, Entry> checks;
  private final Duration pollInterval;
  private final Duration maxPollInterval;

  private record Entry(String name, HealthCheck check, Duration timeout) {}

  private HealthSuite(Builder b) {
    this.checks = new LinkedHashMap<>();
    b.checks.forEach(
        (k, e) -> checks.put(k, e.timeout() == null ? new Entry(k, e.check(), b.timeout) : e));
    this.pollInterval = b.pollInterval;
    this.maxPollInterval = b.maxPollInterval;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A suite of one check with the default timeout. */
  public static HealthSuite of(String name, HealthCheck check) {
    return builder().check(name, check).build();
  }

  /** The check names, in registration order. */
  public List<String> names() {
    return List.copyOf(checks.keySet());
  }

  /**
   * Runs every check once, in parallel, and returns within the largest check timeout (plus a short
   * grace). When the calling thread is interrupted, unfinished checks are reported DOWN
   * ("interrupted") and the interrupt flag stays set.
   */
  public HealthReport run() {
    return run(null);
  }

  private HealthReport run(Duration cap) {
    Instant checkedAt = Instant.now();
    long start = System.nanoTime();
    List<Entry> entries = new ArrayList<>(checks.values());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, entries.size()),
            r -> {
              Thread t = new Thread(r, "cluster-monitor-health-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    List<CheckReport> rows = new ArrayList<>();
    try {
      List<Future<CheckReport>> futures = new ArrayList<>();
      List<Duration> timeouts = new ArrayList<>();
      for (Entry e : entries) {
        Duration timeout = cap == null || cap.compareTo(e.timeout()) >= 0 ? e.timeout() : cap;
        timeouts.add(timeout);
        futures.add(pool.submit(() -> runOne(e.name(), e.check(), timeout)));
      }
      boolean interrupted = false;
      for (int i = 0; i < futures.size(); i++) {
        Entry e = entries.get(i);
        Duration timeout = timeouts.get(i);
        Future<CheckReport> f = futures.get(i);
        long deadline = start + timeout.toNanos() + GRACE.toNanos();
        CheckReport row;
        if (interrupted) {
          f.cancel(true);
          row = failed(e.name(), "interrupted", start);
        } else {
          try {
            row = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          } catch (TimeoutException ex) {
            f.cancel(true);
            row =
                CheckReport.of(
                    e.name(),
                    CheckResult.down("timed out after " + HealthReport.formatDuration(timeout)),
                    timeout);
          } catch (ExecutionException ex) {
            row = failed(e.name(), describe(ex.getCause()), start);
          } catch (InterruptedException ex) {
            interrupted = true;
            f.cancel(true);
            row = failed(e.name(), "interrupted", start);
          }
        }
        rows.add(row);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    } finally {
      pool.shutdownNow();
    }
    return new HealthReport(checkedAt, Duration.ofNanos(System.nanoTime() - start), rows);
  }

  /**
   * Runs the checks until all are UP, sleeping between runs with exponential backoff (from the poll
   * interval up to the maximum poll interval). Returns within {@code timeout}: near the end, check
   * timeouts are shortened to the time that is left.
   *
   * @return the first report in which every check is UP
   * @throws HealthTimeoutException when {@code timeout} passes first; its message lists what still
   *     fails
   * @throws HealthFailedException (a {@link HealthTimeoutException}) at once when a check is DOWN
   *     for good ({@link CheckResult#terminal()}), e.g. the awaited container exited or was removed
   * @throws ClusterMonitorException when the thread is interrupted (the flag stays set)
   * @throws IllegalArgumentException when {@code timeout} is not positive
   */
  public HealthReport waitUntilHealthy(Duration timeout) {
    Builder.positive(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration sleep = pollInterval;
    int attempts = 0;
    while (true) {
      Duration left = Duration.ofNanos(deadline - System.nanoTime());
      HealthReport report = run(left.compareTo(MIN_TIMEOUT) < 0 ? MIN_TIMEOUT : left);
      attempts++;
      if (report.healthy()) {
        return report;
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new ClusterMonitorException(
            "Interrupted while waiting for health checks; last report:\n" + report.toTable());
      }
      if (report.checks().stream().anyMatch(CheckReport::terminal)) {
        throw new HealthFailedException(timeout, attempts, report);
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new HealthTimeoutException(timeout, attempts, report);
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(sleep.toNanos(), remaining));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClusterMonitorException(
            "Interrupted while waiting for health checks; last report:\n" + report.toTable(), e);
      }
      sleep =
          sleep.multipliedBy(2).compareTo(maxPollInterval) > 0
              ? maxPollInterval
              : sleep.multipliedBy(2);
    }
  }

  /**
   * Runs the checks once and throws when any is not UP.
   *
   * @return the report when all are UP
   * @throws AssertionError with the report as an aligned table (CHECK, STATUS, TIME, REASON)
   */
  public HealthReport assertHealthy() {
    HealthReport report = run();
    if (!report.healthy()) {
      throw new AssertionError(
          "Expected all health checks UP, but "
              + report.failing().size()
              + " of "
              + report.checks().size()
              + " are not:\n"
              + report.toTable());
    }
    return report;
  }

  private static CheckReport runOne(String name, HealthCheck check, Duration timeout) {
    long start = System.nanoTime();
    CheckResult result;
    try {
      result = check.check(timeout);
      if (result == null) {
        result = CheckResult.down("check returned no result");
      }
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) { // a check must never break the suite
      result = CheckResult.down(describe(e));
    }
    return CheckReport.of(name, result, Duration.ofNanos(System.nanoTime() - start));
  }

  private static CheckReport failed(String name, String reason, long start) {
    return CheckReport.of(
        name, CheckResult.down(reason), Duration.ofNanos(System.nanoTime() - start));
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return "check failed: " + e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /** Builder for {@link HealthSuite}; not thread-safe. */
  public static final class Builder {
    private final Map<String, Entry> checks = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(5);
    private Duration pollInterval = Duration.ofMillis(250);
    private Duration maxPollInterval = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * Adds a check with the suite's timeout (see {@link #timeout(Duration)}).
     *
     * @throws IllegalArgumentException when the name is blank or already used
     */
    public Builder check(String name, HealthCheck check) {
      return check(name, null, check);
    }

    /** Adds a check with its own timeout. */
    public Builder check(String name, Duration timeout, HealthCheck check) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("check name must not be blank");
      }
      String key = name.strip();
      if (checks.containsKey(key)) {
        throw new IllegalArgumentException("duplicate check name '" + key + "'");
      }
      Objects.requireNonNull(check, "check");
      checks.put(key, new Entry(key, check, timeout == null ? null : positive(timeout, "timeout")));
      return this;
    }

    /** Timeout of checks added without their own (default 5 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** First pause between runs of {@link HealthSuite#waitUntilHealthy} (default 250 ms). */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = positive(interval, "pollInterval");
      return this;
    }

    /** Longest pause between runs; the pause doubles up to it (default 5 s). */
    public Builder maxPollInterval(Duration interval) {
      this.maxPollInterval = positive(interval, "maxPollInterval");
      return this;
    }

    /**
     * Builds the suite.
     *
     * @throws IllegalArgumentException when no check was added or the poll interval exceeds the
     *     maximum
     */
    public HealthSuite build() {
      if (checks.isEmpty()) {
        throw new IllegalArgumentException("a health suite needs at least one check");
      }
      if (pollInterval.compareTo(maxPollInterval) > 0) {
        throw new IllegalArgumentException(
            "pollInterval " + pollInterval + " exceeds maxPollInterval " + maxPollInterval);
      }
      return new HealthSuite(this);
    }

    static Duration positive(Duration d, String what) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
