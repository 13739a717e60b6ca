package io.clustermonitor.core.model;

/**
 * The cumulative CPU counters of a {@link StatsSample}.
 *
 * @param totalNanos CPU time used by the container, all CPUs
 * @param userNanos user-mode part (0 when unknown)
 * @param systemNanos kernel-mode part (0 when unknown)
 * @param hostSystemNanos host CPU time over all CPUs at the same instant (0 when unknown: rates
 *     then use wall-clock time)
 * @param onlineCpus CPUs visible to the container
 * @param periods CFS enforcement periods elapsed
 * @param throttledPeriods periods in which the container was throttled
 * @param throttledNanos total time throttled
 */
public record CpuCounters(
    long totalNanos,
    long userNanos,
    long systemNanos,
    long hostSystemNanos,
    int onlineCpus,
    long periods,
    long throttledPeriods,
    long throttledNanos) {

  /** All counters 0 (nothing read). */
  public static final CpuCounters NONE = new CpuCounters(0, 0, 0, 0, 0, 0, 0, 0);
}
