package io.clustermonitor.core.stats;

import java.util.Objects;

/**
 * A running container as a {@link StatsSource} needs it.
 *
 * @param id full container id
 * @param pid its init process id on the engine host (0 when unknown)
 */
public record StatsTarget(String id, long pid) {
  /** Validates. */
  public StatsTarget {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("container id must not be blank");
    }
    if (pid < 0) {
      throw new IllegalArgumentException("pid must not be negative, got " + pid);
    }
  }
}
