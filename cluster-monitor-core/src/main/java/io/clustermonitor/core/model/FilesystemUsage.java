package io.clustermonitor.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Disk use of a container's writable layer, measured in the background (cAdvisor's {@code du}): the
 * layer's upper directory plus the engine's per-container directory (logs, hostname), on the
 * filesystem that holds them.
 *
 * @param device the filesystem's device, e.g. {@code /dev/vda1}
 * @param usageBytes writable layer plus the per-container directory
 * @param baseUsageBytes writable layer only
 * @param inodesUsed inodes in the writable layer (cAdvisor's {@code container_fs_inodes_total})
 * @param limitBytes the filesystem's capacity (the engine sets no per-container limit)
 * @param measuredAt when the walk that produced these figures ended
 * @param complete false when the walk stopped at its file or time bound (the figures are then a
 *     lower bound)
 */
public record FilesystemUsage(
    String device,
    long usageBytes,
    long baseUsageBytes,
    long inodesUsed,
    long limitBytes,
    Instant measuredAt,
    boolean complete) {

  /** Validates. */
  public FilesystemUsage {
    Objects.requireNonNull(measuredAt, "measuredAt");
    device = device == null ? "" : device;
  }

  /** How old the figures are at {@code now}. */
  public Duration age(Instant now) {
    Duration d = Duration.between(measuredAt, now);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
