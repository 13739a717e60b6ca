package io.clustermonitor.core.model;

import java.time.Instant;
import java.util.Collection;

/**
 * Sums over a set of running containers.
 *
 * @param at when the aggregate was computed
 * @param containers containers counted
 * @param cpuPercent sum of CPU % (percent of one CPU)
 * @param memoryWorkingSetBytes sum of working sets
 * @param memoryLimitBytes sum of effective limits
 * @param networkReceiveBytes sum of bytes received
 * @param networkTransmitBytes sum of bytes sent
 * @param blockReadBytes sum of bytes read
 * @param blockWriteBytes sum of bytes written
 * @param pids sum of pids
 */
public record AggregateStats(
    Instant at,
    int containers,
    double cpuPercent,
    long memoryWorkingSetBytes,
    long memoryLimitBytes,
    long networkReceiveBytes,
    long networkTransmitBytes,
    long blockReadBytes,
    long blockWriteBytes,
    long pids) {

  /** Sums the given stats. */
  public static AggregateStats of(Collection<ContainerStats> stats, Instant at) {
    double cpu = 0;
    long mem = 0, limit = 0, rx = 0, tx = 0, rd = 0, wr = 0, pids = 0;
    for (ContainerStats s : stats) {
      cpu += s.cpuPercent();
      mem += s.memoryWorkingSetBytes();
      limit += s.memoryLimitBytes();
      rx += s.networkReceiveBytes();
      tx += s.networkTransmitBytes();
      rd += s.blockReadBytes();
      wr += s.blockWriteBytes();
      pids += s.pids();
    }
    return new AggregateStats(at, stats.size(), cpu, mem, limit, rx, tx, rd, wr, pids);
  }
}
