package io.clustermonitor.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Raw cumulative counters of one container at one instant, as a {@link
 * io.clustermonitor.core.stats.StatsSource} reads them. Rates (CPU %) need two samples; see {@link
 * ContainerStats#of}.
 *
 * <p>Memory follows {@code docker stats}: {@code memoryWorkingSetBytes} is usage minus inactive
 * file pages ({@code total_inactive_file} on cgroup v1, {@code inactive_file} on v2), never
 * negative.
 *
 * @param timestamp when the counters were read
 * @param cpuTotalNanos CPU time used by the container, all CPUs
 * @param cpuUserNanos user-mode part (0 when unknown)
 * @param cpuSystemNanos kernel-mode part (0 when unknown)
 * @param systemCpuNanos host CPU time over all CPUs at the same instant (0 when unknown: rates then
 *     use wall-clock time)
 * @param onlineCpus CPUs visible to the container
 * @param cpuPeriods CFS enforcement periods elapsed
 * @param cpuThrottledPeriods periods in which the container was throttled
 * @param cpuThrottledNanos total time throttled
 * @param memoryUsageBytes raw cgroup memory usage, page cache included
 * @param memoryWorkingSetBytes usage minus inactive file pages
 * @param memoryLimitBytes effective limit (host memory when the container has none)
 * @param memoryRssBytes anonymous memory
 * @param memoryCacheBytes page cache
 * @param memorySwapBytes swap used
 * @param memoryMaxUsageBytes peak usage (0 when the kernel does not track it)
 * @param memoryFailcnt times the limit was hit
 * @param networks per-interface counters
 * @param blockDevices per-device counters
 * @param pids processes and threads in the container
 * @param details counters beyond {@code docker stats} ({@link StatsDetails#NONE} when the source
 *     has none)
 */
public record StatsSample(
    Instant timestamp,
    long cpuTotalNanos,
    long cpuUserNanos,
    long cpuSystemNanos,
    long systemCpuNanos,
    int onlineCpus,
    long cpuPeriods,
    long cpuThrottledPeriods,
    long cpuThrottledNanos,
    long memoryUsageBytes,
    long memoryWorkingSetBytes,
    long memoryLimitBytes,
    long memoryRssBytes,
    long memoryCacheBytes,
    long memorySwapBytes,
    long memoryMaxUsageBytes,
    long memoryFailcnt,
    List<NetworkInterfaceStats> networks,
    List<BlockDeviceStats> blockDevices,
    long pids,
    StatsDetails details) {

  /** Copies the lists. */
  public StatsSample {
    Objects.requireNonNull(timestamp, "timestamp");
    networks = List.copyOf(networks == null ? List.of() : networks);
    blockDevices = List.copyOf(blockDevices == null ? List.of() : blockDevices);
    details = details == null ? StatsDetails.NONE : details;
  }

  /** A sample without details ({@link StatsDetails#NONE}). */
  public StatsSample(
      Instant timestamp,
      long cpuTotalNanos,
      long cpuUserNanos,
      long cpuSystemNanos,
      long systemCpuNanos,
      int onlineCpus,
      long cpuPeriods,
      long cpuThrottledPeriods,
      long cpuThrottledNanos,
      long memoryUsageBytes,
      long memoryWorkingSetBytes,
      long memoryLimitBytes,
      long memoryRssBytes,
      long memoryCacheBytes,
      long memorySwapBytes,
      long memoryMaxUsageBytes,
      long memoryFailcnt,
      List<NetworkInterfaceStats> networks,
      List<BlockDeviceStats> blockDevices,
      long pids) {
    this(
        timestamp,
        cpuTotalNanos,
        cpuUserNanos,
        cpuSystemNanos,
        systemCpuNanos,
        onlineCpus,
        cpuPeriods,
        cpuThrottledPeriods,
        cpuThrottledNanos,
        memoryUsageBytes,
        memoryWorkingSetBytes,
        memoryLimitBytes,
        memoryRssBytes,
        memoryCacheBytes,
        memorySwapBytes,
        memoryMaxUsageBytes,
        memoryFailcnt,
        networks,
        blockDevices,
        pids,
        StatsDetails.NONE);
  }
}
