package io.clustermonitor.core.model;

import java.util.List;

/**
 * The counters of a {@link StatsSample} beyond what {@code docker stats} shows, read where the
 * source has them (the cgroup reader fills every field; the Engine API source leaves them empty).
 *
 * @param perCpuNanos CPU time per CPU (cgroup v1 {@code cpuacct.usage_percpu}); empty on cgroup v2,
 *     which has no per-CPU accounting
 * @param memoryMappedFileBytes memory-mapped files ({@code total_mapped_file} / {@code
 *     file_mapped})
 * @param pgfault page faults of the container's own cgroup
 * @param pgmajfault major page faults of the container's own cgroup
 * @param hierarchyPgfault page faults including child cgroups
 * @param hierarchyPgmajfault major page faults including child cgroups
 * @param memoryReservationBytes the soft limit ({@code memory.soft_limit_in_bytes} on v1, {@code
 *     memory.high} on v2, as cAdvisor 0.47 reads them); 0 when unset or unlimited
 * @param blockIo per-device detailed block I/O
 * @param filesystem writable-layer disk use, or {@code null} when not measured (yet)
 */
public record StatsDetails(
    List<Long> perCpuNanos,
    long memoryMappedFileBytes,
    long pgfault,
    long pgmajfault,
    long hierarchyPgfault,
    long hierarchyPgmajfault,
    long memoryReservationBytes,
    List<BlockIoStats> blockIo,
    FilesystemUsage filesystem) {

  /** No details: what a source without them reports. */
  public static final StatsDetails NONE =
      new StatsDetails(List.of(), 0, 0, 0, 0, 0, 0, List.of(), null);

  /** Copies the lists. */
  public StatsDetails {
    perCpuNanos = List.copyOf(perCpuNanos == null ? List.of() : perCpuNanos);
    blockIo = List.copyOf(blockIo == null ? List.of() : blockIo);
  }
}
