package io.clustermonitor.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * Detailed block I/O counters of a container on one device, as the kernel's blkio (cgroup v1) or
 * {@code io.stat} (cgroup v2) files report them. Each map goes from the kernel's operation name
 * ({@code Read}, {@code Write}, {@code Sync}, {@code Async}, {@code Discard}, {@code Total}) to a
 * cumulative value; a map is empty when the kernel does not report that file.
 *
 * @param major device major number
 * @param minor device minor number
 * @param device the whole disk's name, e.g. {@code /dev/sda}, or "" when it is not a whole disk
 * @param serviceBytes bytes transferred
 * @param serviced I/O operations
 * @param merged operations merged
 * @param serviceTimeNanos time between dispatch and completion
 * @param waitTimeNanos time spent waiting in the scheduler queues
 * @param queued operations queued now
 * @param ioTime the kernel's {@code blkio.time_recursive} value (milliseconds in the kernel docs)
 */
public record BlockIoStats(
    long major,
    long minor,
    String device,
    Map<String, Long> serviceBytes,
    Map<String, Long> serviced,
    Map<String, Long> merged,
    Map<String, Long> serviceTimeNanos,
    Map<String, Long> waitTimeNanos,
    Map<String, Long> queued,
    long ioTime) {

  /** Copies the maps. */
  public BlockIoStats {
    device = device == null ? "" : device;
    serviceBytes = copy(serviceBytes);
    serviced = copy(serviced);
    merged = copy(merged);
    serviceTimeNanos = copy(serviceTimeNanos);
    waitTimeNanos = copy(waitTimeNanos);
    queued = copy(queued);
  }

  private static Map<String, Long> copy(Map<String, Long> m) {
    return m == null ? Map.of() : Map.copyOf(m);
  }

  /** The value of {@code op} in {@code values}, 0 when absent. */
  public static long of(Map<String, Long> values, String op) {
    Objects.requireNonNull(values, "values");
    return values.getOrDefault(op, 0L);
  }
}
