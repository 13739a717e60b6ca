package io.clustermonitor.core.model;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Resource limits set on a container (its {@code HostConfig}), as the engine reports them.
 *
 * <p><b>"No limit"</b>: the components keep the engine's numbers, with 0 for "none" (the engine's
 * -1 for unlimited swap or pids is reported as 0); read them through the explicit accessors {@link
 * #memoryLimit()}, {@link #memorySwapLimit()}, {@link #pidsLimitValue()} and {@link #cpuLimit()},
 * which are empty when there is no limit. The configured limit may differ from {@link
 * ContainerStats#memoryLimit()} (the limit in force): a limit at or above the host's memory is no
 * limit there.
 *
 * @param memoryLimitBytes {@code --memory}; 0 when none
 * @param memorySwapLimitBytes {@code --memory-swap} (memory plus swap); 0 when unset or unlimited
 * @param cpuQuotaMicros CFS quota per period ({@code --cpus} sets quota = cpus x period); 0 when
 *     none
 * @param cpuPeriodMicros CFS period (0 means the kernel default of 100000)
 * @param cpuShares relative weight ({@code --cpu-shares}); 0 when unset
 * @param nanoCpus {@code --cpus} in billionths of a CPU; 0 when none
 * @param pidsLimit {@code --pids-limit}; 0 when none
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

  /**
   * Whether a memory limit is configured.
   *
   * @return true when {@code --memory} was set
   */
  public boolean memoryLimited() {
    return memoryLimitBytes > 0;
  }

  /**
   * The configured memory limit.
   *
   * @return bytes, or empty when none is set
   */
  public OptionalLong memoryLimit() {
    return memoryLimitBytes > 0 ? OptionalLong.of(memoryLimitBytes) : OptionalLong.empty();
  }

  /**
   * The configured memory-plus-swap limit.
   *
   * @return bytes, or empty when unset or unlimited
   */
  public OptionalLong memorySwapLimit() {
    return memorySwapLimitBytes > 0 ? OptionalLong.of(memorySwapLimitBytes) : OptionalLong.empty();
  }

  /**
   * The configured process/thread limit.
   *
   * @return the limit, or empty when none is set
   */
  public OptionalLong pidsLimitValue() {
    return pidsLimit > 0 ? OptionalLong.of(pidsLimit) : OptionalLong.empty();
  }

  /**
   * The CPU limit in cores (from {@code --cpus} or quota/period).
   *
   * @return cores, or empty when unlimited
   */
  public OptionalDouble cpuLimit() {
    double cores = cpuLimitCores();
    return cores > 0 ? OptionalDouble.of(cores) : OptionalDouble.empty();
  }

  /**
   * The CPU limit in cores (from {@code --cpus} or quota/period), 0 when unlimited.
   *
   * @return cores; prefer {@link #cpuLimit()}, which is empty when unlimited
   */
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
