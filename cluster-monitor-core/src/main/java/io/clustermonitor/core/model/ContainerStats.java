package io.clustermonitor.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Resource use of one container, computed like {@code docker stats} from two raw samples.
 *
 * <ul>
 *   <li>CPU % = Δcontainer CPU / Δsystem CPU × online CPUs × 100, or Δcontainer CPU / Δwall time ×
 *       100 when the source has no system CPU counter; 0 unless both deltas are positive (idle,
 *       counter reset), never negative. <b>No value yet</b> when there is only one sample (a
 *       container just started or just seen): {@link #hasCpuPercent()} is false, {@link
 *       #knownCpuPercent()} empty, and {@link #cpuPercent()} returns 0 only for callers that want a
 *       number; show it as absent ({@code null}, {@code -}), not as 0.
 *   <li>Memory % = working set / effective limit × 100. "No limit" follows {@link MemoryCounters}:
 *       {@link #memoryLimitBytes()} is the effective limit (host memory for an unlimited
 *       container), {@link #memoryLimited()} and {@link #memoryLimit()} say whether the container
 *       has a limit of its own.
 *   <li>Network and block I/O are sums over interfaces and devices.
 * </ul>
 *
 * @param id full container id
 * @param name container name
 * @param host the engine's name
 * @param read when the newest sample was taken
 * @param cpuPercent CPU use in percent of one CPU (a busy 2-CPU container shows 200); {@link
 *     Double#NaN} when there is no value yet (one sample only)
 * @param current the newest raw sample
 */
public record ContainerStats(
    String id, String name, String host, Instant read, double cpuPercent, StatsSample current) {

  /** Validates. */
  public ContainerStats {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(current, "current");
    name = name == null ? "" : name;
    host = host == null ? "local" : host;
    read = read == null ? current.timestamp() : read;
    if (Double.isInfinite(cpuPercent) || cpuPercent < 0) {
      cpuPercent = 0;
    }
  }

  /**
   * Computes stats from the previous and the current sample.
   *
   * @param id full container id
   * @param name container name
   * @param host the engine's name
   * @param previous the sample before {@code current}, or {@code null} for a first sample (no CPU
   *     value yet)
   * @param current the newest sample
   * @return the stats
   */
  public static ContainerStats of(
      String id, String name, String host, StatsSample previous, StatsSample current) {
    return new ContainerStats(
        id, name, host, current.timestamp(), cpuPercent(previous, current), current);
  }

  /**
   * The {@code docker stats} CPU % formula; 0 unless both deltas are positive, {@link Double#NaN}
   * (no value yet) without a previous sample.
   *
   * @param previous the earlier sample, or {@code null}
   * @param current the later sample
   * @return percent of one CPU, or {@link Double#NaN}
   */
  public static double cpuPercent(StatsSample previous, StatsSample current) {
    if (previous == null) {
      return Double.NaN;
    }
    double cpuDelta = (double) current.cpu().totalNanos() - previous.cpu().totalNanos();
    if (current.cpu().hostSystemNanos() > 0 && previous.cpu().hostSystemNanos() > 0) {
      double systemDelta =
          (double) current.cpu().hostSystemNanos() - previous.cpu().hostSystemNanos();
      int cpus = Math.max(1, current.cpu().onlineCpus());
      if (cpuDelta > 0 && systemDelta > 0) {
        return cpuDelta / systemDelta * cpus * 100.0;
      }
      return 0;
    }
    double wallDelta =
        (double) java.time.Duration.between(previous.timestamp(), current.timestamp()).toNanos();
    return cpuDelta > 0 && wallDelta > 0 ? cpuDelta / wallDelta * 100.0 : 0;
  }

  /**
   * CPU use in percent of one CPU, or 0 when there is no value yet (check {@link #hasCpuPercent()}
   * or use {@link #knownCpuPercent()} to tell the two apart).
   */
  @Override
  public double cpuPercent() {
    return Double.isNaN(cpuPercent) ? 0 : cpuPercent;
  }

  /** Whether a CPU % was computed (two samples); false for a first sample. */
  public boolean hasCpuPercent() {
    return !Double.isNaN(cpuPercent);
  }

  /** The CPU %, or empty when there is no value yet (one sample only). */
  public java.util.OptionalDouble knownCpuPercent() {
    return hasCpuPercent()
        ? java.util.OptionalDouble.of(cpuPercent)
        : java.util.OptionalDouble.empty();
  }

  /** Total CPU time used, in seconds. */
  public double cpuSeconds() {
    return current.cpu().totalNanos() / 1e9;
  }

  /** Raw memory usage (page cache included). */
  public long memoryUsageBytes() {
    return current.memory().usageBytes();
  }

  /** Memory as {@code docker stats} shows it: usage minus inactive file pages. */
  public long memoryWorkingSetBytes() {
    return current.memory().workingSetBytes();
  }

  /**
   * The effective memory limit {@code docker stats} shows: the container's limit, or the host's
   * memory when it has none (see {@link MemoryCounters} for the rule).
   *
   * @return bytes; 0 when neither is known
   */
  public long memoryLimitBytes() {
    return current.memory().limitBytes();
  }

  /**
   * Whether the container has a memory limit of its own (below the host's memory).
   *
   * @return false for a container that may use all host memory
   */
  public boolean memoryLimited() {
    return current.memory().limited();
  }

  /**
   * The container's own memory limit.
   *
   * @return the limit in bytes, or empty when the container has none
   */
  public java.util.OptionalLong memoryLimit() {
    return current.memory().limit();
  }

  /**
   * Working set against the effective limit, in percent, as {@code docker stats} shows it (against
   * the host's memory for a container without a limit); 0 when no limit is known.
   */
  public double memoryPercent() {
    long limit = current.memory().limitBytes();
    return limit > 0 ? current.memory().workingSetBytes() * 100.0 / limit : 0;
  }

  /** Bytes received over all interfaces. */
  public long networkReceiveBytes() {
    return current.networks().stream().mapToLong(NetworkInterfaceStats::receiveBytes).sum();
  }

  /** Bytes sent over all interfaces. */
  public long networkTransmitBytes() {
    return current.networks().stream().mapToLong(NetworkInterfaceStats::transmitBytes).sum();
  }

  /** Bytes read from all block devices. */
  public long blockReadBytes() {
    return current.blockDevices().stream().mapToLong(BlockDeviceStats::readBytes).sum();
  }

  /** Bytes written to all block devices. */
  public long blockWriteBytes() {
    return current.blockDevices().stream().mapToLong(BlockDeviceStats::writeBytes).sum();
  }

  /** Processes and threads. */
  public long pids() {
    return current.pids();
  }

  /** Per-interface counters. */
  public List<NetworkInterfaceStats> networks() {
    return current.networks();
  }
}
