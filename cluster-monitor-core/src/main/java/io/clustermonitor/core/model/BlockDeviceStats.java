package io.clustermonitor.core.model;

/**
 * Cumulative block I/O of a container on one device.
 *
 * @param major device major number
 * @param minor device minor number
 * @param readBytes bytes read
 * @param writeBytes bytes written
 * @param reads read operations
 * @param writes write operations
 */
public record BlockDeviceStats(
    long major, long minor, long readBytes, long writeBytes, long reads, long writes) {

  /** {@code major:minor}. */
  public String device() {
    return major + ":" + minor;
  }
}
