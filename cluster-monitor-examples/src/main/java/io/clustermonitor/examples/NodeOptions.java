package io.clustermonitor.examples;

import io.clustermonitor.exporters.node.NodeCollector;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * node_exporter's flags for the host collector; a picocli mixin shared by {@code node-exporter} and
 * {@code serve}.
 */
final class NodeOptions {
  @Option(
      names = "--path.procfs",
      paramLabel = "DIR",
      defaultValue = "${env:CM_PATH_PROCFS:-/proc}",
      description = "procfs mount point (env: CM_PATH_PROCFS; default ${DEFAULT-VALUE}).")
  Path procfs;

  @Option(
      names = "--path.sysfs",
      paramLabel = "DIR",
      defaultValue = "${env:CM_PATH_SYSFS:-/sys}",
      description = "sysfs mount point (env: CM_PATH_SYSFS; default ${DEFAULT-VALUE}).")
  Path sysfs;

  @Option(
      names = "--path.rootfs",
      paramLabel = "DIR",
      defaultValue = "${env:CM_PATH_ROOTFS:-/}",
      description =
          "Root filesystem mount point, stripped from mount points (env: CM_PATH_ROOTFS;"
              + " default ${DEFAULT-VALUE}).")
  Path rootfs;

  @Option(
      names = "--path.udev.data",
      paramLabel = "DIR",
      defaultValue = "${env:CM_PATH_UDEV_DATA:-/run/udev/data}",
      description = "udev database (env: CM_PATH_UDEV_DATA; default ${DEFAULT-VALUE}).")
  Path udevData;

  @Option(
      names = "--collector.filesystem.mount-points-exclude",
      paramLabel = "REGEX",
      defaultValue = NodeCollector.DEFAULT_MOUNT_POINTS_EXCLUDE,
      description = "Mount points to skip (default node_exporter's).")
  String mountPointsExclude;

  @Option(
      names = "--collector.filesystem.fs-types-exclude",
      paramLabel = "REGEX",
      defaultValue = NodeCollector.DEFAULT_FS_TYPES_EXCLUDE,
      description = "Filesystem types to skip (default node_exporter's).")
  String fsTypesExclude;

  @Option(
      names = "--collector.filesystem.mount-timeout",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description = "Seconds one mount may take before device_error 1 (default ${DEFAULT-VALUE}).")
  double mountTimeoutSeconds;

  @Option(
      names = "--collector.diskstats.device-exclude",
      paramLabel = "REGEX",
      defaultValue = NodeCollector.DEFAULT_DISK_DEVICE_EXCLUDE,
      description = "Block devices to skip (default node_exporter's: partitions, loop, ram).")
  String diskDeviceExclude;

  @Option(
      names = "--collector.vmstat.fields",
      paramLabel = "REGEX",
      defaultValue = NodeCollector.DEFAULT_VMSTAT_FIELDS,
      description = "/proc/vmstat fields to report (default ${DEFAULT-VALUE}).")
  String vmstatFields;

  /**
   * Builds the host collector.
   *
   * @throws IllegalArgumentException on a bad regular expression or timeout
   */
  NodeCollector collector() {
    if (!(mountTimeoutSeconds > 0)) {
      throw new IllegalArgumentException(
          "--collector.filesystem.mount-timeout must be positive, got " + mountTimeoutSeconds);
    }
    return NodeCollector.builder()
        .procfs(procfs)
        .sysfs(sysfs)
        .rootfs(rootfs)
        .udevData(udevData)
        .mountPointsExclude(mountPointsExclude)
        .fsTypesExclude(fsTypesExclude)
        .diskDeviceExclude(diskDeviceExclude)
        .vmstatFields(vmstatFields)
        .statfsTimeout(Duration.ofMillis((long) (mountTimeoutSeconds * 1000)))
        .build();
  }
}
