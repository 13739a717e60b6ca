package io.clustermonitor.core.model;

import java.util.OptionalLong;

/**
 * The memory counters of a {@link StatsSample}, following {@code docker stats}.
 *
 * <p><b>"No limit"</b>: {@code limitBytes} is always the <em>effective</em> limit that {@code
 * docker stats} divides by, which is the host's memory when the container has no limit of its own
 * (or a limit at or above the host's memory). {@code limited} tells the two cases apart: it is true
 * only when the container's own limit is below the host's memory. {@link #limit()} gives the
 * container's own limit, empty when it has none. The same rule holds for both stats sources.
 *
 * @param usageBytes raw cgroup memory usage, page cache included
 * @param workingSetBytes usage minus inactive file pages ({@code total_inactive_file} on cgroup v1,
 *     {@code inactive_file} on v2), never negative
 * @param limitBytes effective limit: the container's limit, or the host's memory when it has none
 *     (0 when neither is known, e.g. on Windows)
 * @param limited whether the container has a memory limit of its own below the host's memory
 * @param rssBytes anonymous memory
 * @param cacheBytes page cache
 * @param swapBytes swap used
 * @param maxUsageBytes peak usage (0 when the kernel does not track it)
 * @param failcnt times the limit was hit
 */
public record MemoryCounters(
    long usageBytes,
    long workingSetBytes,
    long limitBytes,
    boolean limited,
    long rssBytes,
    long cacheBytes,
    long swapBytes,
    long maxUsageBytes,
    long failcnt) {

  /** All counters 0, no limit (nothing read). */
  public static final MemoryCounters NONE = new MemoryCounters(0, 0, 0, false, 0, 0, 0, 0, 0);

  /** Keeps {@code limited} false when there is no limit value. */
  public MemoryCounters {
    limited = limited && limitBytes > 0;
  }

  /** The container's own memory limit, or empty when it has none (it may use all host memory). */
  public OptionalLong limit() {
    return limited ? OptionalLong.of(limitBytes) : OptionalLong.empty();
  }
}
