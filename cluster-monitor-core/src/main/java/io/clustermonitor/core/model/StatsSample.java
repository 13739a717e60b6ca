package io.clustermonitor.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Raw cumulative counters of one container at one instant, as a {@link
 * io.clustermonitor.core.stats.StatsSource} reads them, grouped in parts so that a new counter does
 * not change this record's shape. Rates (CPU %) need two samples; see {@link ContainerStats#of}.
 * Build one with {@link #builder(Instant)}: counters not set are 0.
 *
 * <p>Memory follows {@code docker stats}; see {@link MemoryCounters} for the "no limit" rule.
 *
 * <p><b>Compatibility</b>: the flat accessors of 0.1 ({@code cpuTotalNanos()}, {@code
 * memoryLimitBytes()}, ...) remain for one release, deprecated, and delegate to {@link #cpu()} and
 * {@link #memory()}.
 *
 * @param timestamp when the counters were read
 * @param cpu CPU counters ({@link CpuCounters#NONE} when {@code null})
 * @param memory memory counters ({@link MemoryCounters#NONE} when {@code null})
 * @param networks per-interface counters
 * @param blockDevices per-device counters
 * @param pids processes and threads in the container
 * @param details counters beyond {@code docker stats} ({@link StatsDetails#NONE} when the source
 *     has none)
 */
public record StatsSample(
    Instant timestamp,
    CpuCounters cpu,
    MemoryCounters memory,
    List<NetworkInterfaceStats> networks,
    List<BlockDeviceStats> blockDevices,
    long pids,
    StatsDetails details) {

  /** Validates and copies the lists. */
  public StatsSample {
    Objects.requireNonNull(timestamp, "timestamp");
    cpu = cpu == null ? CpuCounters.NONE : cpu;
    memory = memory == null ? MemoryCounters.NONE : memory;
    networks = List.copyOf(networks == null ? List.of() : networks);
    blockDevices = List.copyOf(blockDevices == null ? List.of() : blockDevices);
    details = details == null ? StatsDetails.NONE : details;
  }

  /**
   * A builder for a sample taken at {@code timestamp}; every counter starts at 0, lists empty,
   * details {@link StatsDetails#NONE}.
   *
   * @param timestamp when the counters were read
   * @return a new builder
   */
  public static Builder builder(Instant timestamp) {
    return new Builder(timestamp);
  }

  /**
   * A builder holding this sample's values, to derive a changed copy.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(timestamp)
        .cpu(cpu)
        .memory(memory)
        .networks(networks)
        .blockDevices(blockDevices)
        .pids(pids)
        .details(details);
  }

  /**
   * Deprecated flat accessor: CPU time used by the container, all CPUs.
   *
   * @return {@code cpu().totalNanos()}
   * @deprecated use {@code cpu().totalNanos()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long cpuTotalNanos() {
    return cpu.totalNanos();
  }

  /**
   * Deprecated flat accessor: user-mode CPU time.
   *
   * @return {@code cpu().userNanos()}
   * @deprecated use {@code cpu().userNanos()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long cpuUserNanos() {
    return cpu.userNanos();
  }

  /**
   * Deprecated flat accessor: kernel-mode CPU time.
   *
   * @return {@code cpu().systemNanos()}
   * @deprecated use {@code cpu().systemNanos()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long cpuSystemNanos() {
    return cpu.systemNanos();
  }

  /**
   * Deprecated flat accessor: host CPU time over all CPUs.
   *
   * @return {@code cpu().hostSystemNanos()}
   * @deprecated use {@code cpu().hostSystemNanos()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long systemCpuNanos() {
    return cpu.hostSystemNanos();
  }

  /**
   * Deprecated flat accessor: CPUs visible to the container.
   *
   * @return {@code cpu().onlineCpus()}
   * @deprecated use {@code cpu().onlineCpus()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public int onlineCpus() {
    return cpu.onlineCpus();
  }

  /**
   * Deprecated flat accessor: CFS enforcement periods elapsed.
   *
   * @return {@code cpu().periods()}
   * @deprecated use {@code cpu().periods()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long cpuPeriods() {
    return cpu.periods();
  }

  /**
   * Deprecated flat accessor: periods in which the container was throttled.
   *
   * @return {@code cpu().throttledPeriods()}
   * @deprecated use {@code cpu().throttledPeriods()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long cpuThrottledPeriods() {
    return cpu.throttledPeriods();
  }

  /**
   * Deprecated flat accessor: total time throttled.
   *
   * @return {@code cpu().throttledNanos()}
   * @deprecated use {@code cpu().throttledNanos()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long cpuThrottledNanos() {
    return cpu.throttledNanos();
  }

  /**
   * Deprecated flat accessor: raw memory usage.
   *
   * @return {@code memory().usageBytes()}
   * @deprecated use {@code memory().usageBytes()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long memoryUsageBytes() {
    return memory.usageBytes();
  }

  /**
   * Deprecated flat accessor: usage minus inactive file pages.
   *
   * @return {@code memory().workingSetBytes()}
   * @deprecated use {@code memory().workingSetBytes()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long memoryWorkingSetBytes() {
    return memory.workingSetBytes();
  }

  /**
   * Deprecated flat accessor: effective memory limit (host memory when the container has none).
   *
   * @return {@code memory().limitBytes()}
   * @deprecated use {@code memory().limitBytes()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long memoryLimitBytes() {
    return memory.limitBytes();
  }

  /**
   * Deprecated flat accessor: whether the container has a memory limit of its own.
   *
   * @return {@code memory().limited()}
   * @deprecated use {@code memory().limited()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public boolean memoryLimited() {
    return memory.limited();
  }

  /**
   * Deprecated flat accessor: anonymous memory.
   *
   * @return {@code memory().rssBytes()}
   * @deprecated use {@code memory().rssBytes()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long memoryRssBytes() {
    return memory.rssBytes();
  }

  /**
   * Deprecated flat accessor: page cache.
   *
   * @return {@code memory().cacheBytes()}
   * @deprecated use {@code memory().cacheBytes()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long memoryCacheBytes() {
    return memory.cacheBytes();
  }

  /**
   * Deprecated flat accessor: swap used.
   *
   * @return {@code memory().swapBytes()}
   * @deprecated use {@code memory().swapBytes()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long memorySwapBytes() {
    return memory.swapBytes();
  }

  /**
   * Deprecated flat accessor: peak memory usage.
   *
   * @return {@code memory().maxUsageBytes()}
   * @deprecated use {@code memory().maxUsageBytes()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long memoryMaxUsageBytes() {
    return memory.maxUsageBytes();
  }

  /**
   * Deprecated flat accessor: times the memory limit was hit.
   *
   * @return {@code memory().failcnt()}
   * @deprecated use {@code memory().failcnt()}; removed after 0.2
   */
  @Deprecated(since = "0.2", forRemoval = true)
  public long memoryFailcnt() {
    return memory.failcnt();
  }

  /** Builds a {@link StatsSample}; counters not set are 0. Not thread-safe. */
  public static final class Builder {
    private Instant timestamp;
    private long cpuTotalNanos;
    private long cpuUserNanos;
    private long cpuSystemNanos;
    private long systemCpuNanos;
    private int onlineCpus;
    private long cpuPeriods;
    private long cpuThrottledPeriods;
    private long cpuThrottledNanos;
    private long memoryUsageBytes;
    private long memoryWorkingSetBytes;
    private long memoryLimitBytes;
    private boolean memoryLimited;
    private long memoryRssBytes;
    private long memoryCacheBytes;
    private long memorySwapBytes;
    private long memoryMaxUsageBytes;
    private long memoryFailcnt;
    private List<NetworkInterfaceStats> networks = List.of();
    private List<BlockDeviceStats> blockDevices = List.of();
    private long pids;
    private StatsDetails details = StatsDetails.NONE;

    private Builder(Instant timestamp) {
      this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    }

    /**
     * Sets when the counters were read.
     *
     * @param timestamp the instant
     * @return this builder
     */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
      return this;
    }

    /**
     * Sets every CPU counter.
     *
     * @param cpu the counters
     * @return this builder
     */
    public Builder cpu(CpuCounters cpu) {
      this.cpuTotalNanos = cpu.totalNanos();
      this.cpuUserNanos = cpu.userNanos();
      this.cpuSystemNanos = cpu.systemNanos();
      this.systemCpuNanos = cpu.hostSystemNanos();
      this.onlineCpus = cpu.onlineCpus();
      this.cpuPeriods = cpu.periods();
      this.cpuThrottledPeriods = cpu.throttledPeriods();
      this.cpuThrottledNanos = cpu.throttledNanos();
      return this;
    }

    /**
     * Sets every memory counter.
     *
     * @param memory the counters
     * @return this builder
     */
    public Builder memory(MemoryCounters memory) {
      this.memoryUsageBytes = memory.usageBytes();
      this.memoryWorkingSetBytes = memory.workingSetBytes();
      this.memoryLimitBytes = memory.limitBytes();
      this.memoryLimited = memory.limited();
      this.memoryRssBytes = memory.rssBytes();
      this.memoryCacheBytes = memory.cacheBytes();
      this.memorySwapBytes = memory.swapBytes();
      this.memoryMaxUsageBytes = memory.maxUsageBytes();
      this.memoryFailcnt = memory.failcnt();
      return this;
    }

    /**
     * Sets the CPU time used by the container, all CPUs.
     *
     * @param value the value
     * @return this builder
     */
    public Builder cpuTotalNanos(long value) {
      this.cpuTotalNanos = value;
      return this;
    }

    /**
     * Sets the user-mode CPU time.
     *
     * @param value the value
     * @return this builder
     */
    public Builder cpuUserNanos(long value) {
      this.cpuUserNanos = value;
      return this;
    }

    /**
     * Sets the kernel-mode CPU time.
     *
     * @param value the value
     * @return this builder
     */
    public Builder cpuSystemNanos(long value) {
      this.cpuSystemNanos = value;
      return this;
    }

    /**
     * Sets the host CPU time over all CPUs.
     *
     * @param value the value
     * @return this builder
     */
    public Builder systemCpuNanos(long value) {
      this.systemCpuNanos = value;
      return this;
    }

    /**
     * Sets the CPUs visible to the container.
     *
     * @param value the value
     * @return this builder
     */
    public Builder onlineCpus(int value) {
      this.onlineCpus = value;
      return this;
    }

    /**
     * Sets the CFS enforcement periods elapsed.
     *
     * @param value the value
     * @return this builder
     */
    public Builder cpuPeriods(long value) {
      this.cpuPeriods = value;
      return this;
    }

    /**
     * Sets the periods in which the container was throttled.
     *
     * @param value the value
     * @return this builder
     */
    public Builder cpuThrottledPeriods(long value) {
      this.cpuThrottledPeriods = value;
      return this;
    }

    /**
     * Sets the total time throttled.
     *
     * @param value the value
     * @return this builder
     */
    public Builder cpuThrottledNanos(long value) {
      this.cpuThrottledNanos = value;
      return this;
    }

    /**
     * Sets the raw memory usage.
     *
     * @param value the value
     * @return this builder
     */
    public Builder memoryUsageBytes(long value) {
      this.memoryUsageBytes = value;
      return this;
    }

    /**
     * Sets the usage minus inactive file pages.
     *
     * @param value the value
     * @return this builder
     */
    public Builder memoryWorkingSetBytes(long value) {
      this.memoryWorkingSetBytes = value;
      return this;
    }

    /**
     * Sets the effective memory limit (host memory when the container has none).
     *
     * @param value the value
     * @return this builder
     */
    public Builder memoryLimitBytes(long value) {
      this.memoryLimitBytes = value;
      return this;
    }

    /**
     * Sets the whether the container has a memory limit of its own.
     *
     * @param value the value
     * @return this builder
     */
    public Builder memoryLimited(boolean value) {
      this.memoryLimited = value;
      return this;
    }

    /**
     * Sets the anonymous memory.
     *
     * @param value the value
     * @return this builder
     */
    public Builder memoryRssBytes(long value) {
      this.memoryRssBytes = value;
      return this;
    }

    /**
     * Sets the page cache.
     *
     * @param value the value
     * @return this builder
     */
    public Builder memoryCacheBytes(long value) {
      this.memoryCacheBytes = value;
      return this;
    }

    /**
     * Sets the swap used.
     *
     * @param value the value
     * @return this builder
     */
    public Builder memorySwapBytes(long value) {
      this.memorySwapBytes = value;
      return this;
    }

    /**
     * Sets the peak memory usage.
     *
     * @param value the value
     * @return this builder
     */
    public Builder memoryMaxUsageBytes(long value) {
      this.memoryMaxUsageBytes = value;
      return this;
    }

    /**
     * Sets the times the memory limit was hit.
     *
     * @param value the value
     * @return this builder
     */
    public Builder memoryFailcnt(long value) {
      this.memoryFailcnt = value;
      return this;
    }

    /**
     * Sets the per-interface counters.
     *
     * @param networks the interfaces ({@code null} for none)
     * @return this builder
     */
    public Builder networks(List<NetworkInterfaceStats> networks) {
      this.networks = networks == null ? List.of() : networks;
      return this;
    }

    /**
     * Sets the per-device counters.
     *
     * @param blockDevices the devices ({@code null} for none)
     * @return this builder
     */
    public Builder blockDevices(List<BlockDeviceStats> blockDevices) {
      this.blockDevices = blockDevices == null ? List.of() : blockDevices;
      return this;
    }

    /**
     * Sets the number of processes and threads.
     *
     * @param pids the count
     * @return this builder
     */
    public Builder pids(long pids) {
      this.pids = pids;
      return this;
    }

    /**
     * Sets the counters beyond {@code docker stats}.
     *
     * @param details the details ({@code null} for {@link StatsDetails#NONE})
     * @return this builder
     */
    public Builder details(StatsDetails details) {
      this.details = details == null ? StatsDetails.NONE : details;
      return this;
    }

    /**
     * Builds the sample.
     *
     * @return a new sample
     */
    public StatsSample build() {
      return new StatsSample(
          timestamp,
          new CpuCounters(
              cpuTotalNanos,
              cpuUserNanos,
              cpuSystemNanos,
              systemCpuNanos,
              onlineCpus,
              cpuPeriods,
              cpuThrottledPeriods,
              cpuThrottledNanos),
          new MemoryCounters(
              memoryUsageBytes,
              memoryWorkingSetBytes,
              memoryLimitBytes,
              memoryLimited,
              memoryRssBytes,
              memoryCacheBytes,
              memorySwapBytes,
              memoryMaxUsageBytes,
              memoryFailcnt),
          networks,
          blockDevices,
          pids,
          details);
    }
  }
}
