package io.clustermonitor.core.stats;

/** Which {@link StatsSource} a {@link StatsEngine} uses. */
public enum StatsSourceChoice {
  /**
   * The cgroup reader when the engine is local and a running container's cgroup files are readable,
   * the Engine API otherwise.
   */
  AUTO,
  /** Always the cgroup reader. */
  CGROUP,
  /** Always the Engine API stats stream. */
  ENGINE_API
}
