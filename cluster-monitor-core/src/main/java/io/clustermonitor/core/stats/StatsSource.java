package io.clustermonitor.core.stats;

import io.clustermonitor.core.model.StatsSample;
import java.util.Optional;

/**
 * Where the live stats engine gets raw counters of running containers: the cgroup files of the host
 * ({@link CgroupStatsSource}) or the Engine API stats stream ({@link EngineApiStatsSource}).
 *
 * <p>The engine calls {@link #track} once when a container starts running, {@link #sample} once per
 * sampling interval and {@link #untrack} when it stops. Implementations must be thread-safe.
 */
public interface StatsSource extends AutoCloseable {

  /** A short name shown in system info and logs: {@code cgroup} or {@code engine-api}. */
  String name();

  /** Whether this source can read the container now (e.g. its cgroup files are readable). */
  boolean canRead(StatsTarget target);

  /** Starts following a running container (a stream source opens its stream here). */
  default void track(StatsTarget target) {}

  /** Stops following a container. */
  default void untrack(String containerId) {}

  /**
   * The newest sample of the container, or empty when none is available yet. Never blocks on the
   * network; a file source reads its files here.
   */
  Optional<StatsSample> sample(StatsTarget target);

  /** Releases threads and connections. Idempotent. */
  @Override
  void close();
}
