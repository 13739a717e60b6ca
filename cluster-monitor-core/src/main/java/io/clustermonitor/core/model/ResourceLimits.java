package io.clustermonitor.core.model;

/**
 * Resource limits set on a container (its {@code HostConfig}); 0 means "no limit" for every field.
 *
 * @param memoryLimitBytes {@code --memory}
 * @param memorySwapLimitBytes {@code --memory-swap} (memory plus swap)
 * @param cpuQuotaMicros CFS quota per period ({@code --cpus} sets quota = cpus x period)
 * @param cpuPeriodMicros CFS period (0 means the kernel default of 100000)
 * @param cpuShares relative weight ({@code --cpu-shares})
 * @param nanoCpus {@code --cpus} in billionths of a CPU
 * @param pidsLimit {@code --pids-limit}
 */
public record ResourceLimits(
    long memoryLimitBytes,
    long memorySwapLimitBytes,
    long cpuQuotaMicros,
    long cpuPeriodMicros,
    long cpuShares,
    long nanoCpus,
    long pidsLimit) {

  /** No limits at all. */
  public static final ResourceLimits NONE = new ResourceLimits(0, 0, 0, 0, 0, 0, 0);

  /** The CPU limit in cores (from {@code --cpus} or quota/period), 0 when unlimited. */
  public double cpuLimitCores() {
    if (nanoCpus > 0) {
      return nanoCpus / 1e9;
    }
    if (cpuQuotaMicros > 0) {
      return (double) cpuQuotaMicros / (cpuPeriodMicros > 0 ? cpuPeriodMicros : 100_000);
    }
    return 0;
  }
}
