package io.clustermonitor.core.stats;

import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable view of one engine at one instant, read from the live stats engine's memory.
 *
 * @param host the engine's name
 * @param at when the snapshot was taken
 * @param engineUp whether the engine answered its last event-stream or resync call
 * @param engineError why the engine is down ("" when up)
 * @param statsSource name of the stats source in use ({@code cgroup} or {@code engine-api})
 * @param containers every known container, all states
 * @param stats latest stats of running containers by full id (a container may lack stats for the
 *     first sampling interval after its start)
 * @param oomEvents OOM events seen per container id since the engine started following it
 */
public record StatsSnapshot(
    String host,
    Instant at,
    boolean engineUp,
    String engineError,
    String statsSource,
    List<ContainerSummary> containers,
    Map<String, ContainerStats> stats,
    Map<String, Long> oomEvents) {

  /** Copies the collections. */
  public StatsSnapshot {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(at, "at");
    engineError = engineError == null ? "" : engineError;
    statsSource = statsSource == null ? "none" : statsSource;
    containers = List.copyOf(containers);
    stats = Map.copyOf(stats);
    oomEvents = Map.copyOf(oomEvents);
  }

  /** Running containers only. */
  public List<ContainerSummary> running() {
    return containers.stream().filter(ContainerSummary::running).toList();
  }
}
