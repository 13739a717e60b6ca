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
 *   <li>Memory % = working set / limit × 100 (0 without a limit).
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
   * @param previous the sample before {@code current}, or {@code null} for a first sample (no CPU
   *     value yet)
   */
  public static ContainerStats of(
      String id, String name, String host, StatsSample previous, StatsSample current) {
    return new ContainerStats(
        id, name, host, current.timestamp(), cpuPercent(previous, current), current);
  }

  /**
   * The {@code docker stats} CPU % formula; 0 unless both deltas are positive, {@link Double#NaN}
   * (no value yet) without a previous sample.
   */
  public static double cpuPercent(StatsSample previous, StatsSample current) {
    if (previous == null) {
      return Double.NaN;
    }
    double cpuDelta = (double) current.cpuTotalNanos() - previous.cpuTotalNanos();
    if (current.systemCpuNanos() > 0 && previous.systemCpuNanos() > 0) {
      double systemDelta = (double) current.systemCpuNanos() - previous.systemCpuNanos();
      int cpus = Math.max(1, current.onlineCpus());
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
    return current.cpuTotalNanos() / 1e9;
  }

  /** Raw memory usage (page cache included). */
  public long memoryUsageBytes() {
    return current.memoryUsageBytes();
  }

  /** Memory as {@code docker stats} shows it: usage minus inactive file pages. */
  public long memoryWorkingSetBytes() {
    return current.memoryWorkingSetBytes();
  }

  /** Effective memory limit. */
  public long memoryLimitBytes() {
    return current.memoryLimitBytes();
  }

  /** Working set against the limit, in percent; 0 without a limit. */
  public double memoryPercent() {
    long limit = current.memoryLimitBytes();
    return limit > 0 ? current.memoryWorkingSetBytes() * 100.0 / limit : 0;
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
