package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * btrfs allocation statistics from /sys/fs/btrfs/&lt;uuid&gt; (Documentation/ABI/testing/
 * sysfs-fs-btrfs). The ioctl-based device statistics of node_exporter are not read (they need
 * native calls).
 */
final class BtrfsCollector implements SubCollector {
  private static final String[] BLOCK_GROUPS = {"data", "metadata", "system"};

  private final HostPaths paths;

  BtrfsCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "btrfs";
  }

  /** The allocation ratio of a RAID profile, as node_exporter's procfs library computes it. */
  static double ratio(String mode) {
    return switch (mode) {
      case "single", "raid0" -> 1;
      case "dup", "raid1", "raid10" -> 2;
      case "raid1c3" -> 3;
      case "raid1c4" -> 4;
      default -> 0;
    };
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Map<String, MetricFamily.Builder> families = new TreeMap<>();
    for (Path fs : HostPaths.list(paths.sys("fs/btrfs"), "")) {
      if (!Files.isDirectory(fs.resolve("allocation"))) {
        continue; // "features" and other non-filesystem entries
      }
      String uuid = fs.getFileName().toString();
      String label = HostPaths.textOrNull(fs.resolve("label"));
      gauge(
          families,
          "node_btrfs_info",
          "Filesystem information",
          1,
          "label",
          label == null ? "" : label,
          "uuid",
          uuid);
      Double rsv = HostPaths.numberOrNull(fs.resolve("allocation/global_rsv_size"));
      if (rsv != null) {
        gauge(
            families,
            "node_btrfs_global_rsv_size_bytes",
            "Size of global reserve.",
            rsv,
            "uuid",
            uuid);
      }
      for (Path dev : HostPaths.list(fs.resolve("devices"), "")) {
        Double sectors = HostPaths.numberOrNull(dev.resolve("size"));
        if (sectors != null) {
          gauge(
              families,
              "node_btrfs_device_size_bytes",
              "Size of a device that is part of the" + " filesystem.",
              sectors * 512,
              "device",
              dev.getFileName().toString(),
              "uuid",
              uuid);
        }
      }
      for (String type : BLOCK_GROUPS) {
        Path group = fs.resolve("allocation").resolve(type);
        if (!Files.isDirectory(group)) {
          continue;
        }
        Double reserved = HostPaths.numberOrNull(group.resolve("bytes_reserved"));
        if (reserved != null) {
          gauge(
              families,
              "node_btrfs_reserved_bytes",
              "Amount of space reserved for a data type",
              reserved,
              "block_group_type",
              type,
              "uuid",
              uuid);
        }
        for (Path layout : HostPaths.list(group, "")) {
          if (!Files.isDirectory(layout)) {
            continue;
          }
          String mode = layout.getFileName().toString();
          Double total = HostPaths.numberOrNull(layout.resolve("total_bytes"));
          Double used = HostPaths.numberOrNull(layout.resolve("used_bytes"));
          if (total == null || used == null) {
            continue;
          }
          gauge(
              families,
              "node_btrfs_size_bytes",
              "Amount of space allocated for a layout/data" + " type",
              total,
              "block_group_type",
              type,
              "mode",
              mode,
              "uuid",
              uuid);
          gauge(
              families,
              "node_btrfs_used_bytes",
              "Amount of used space by a layout/data type",
              used,
              "block_group_type",
              type,
              "mode",
              mode,
              "uuid",
              uuid);
          gauge(
              families,
              "node_btrfs_allocation_ratio",
              "Data allocation ratio for a layout/data" + " type",
              ratio(mode),
              "block_group_type",
              type,
              "mode",
              mode,
              "uuid",
              uuid);
        }
      }
    }
    for (MetricFamily.Builder b : families.values()) {
      out.add(b.build());
    }
  }

  private static void gauge(
      Map<String, MetricFamily.Builder> families,
      String name,
      String help,
      double value,
      String... labels) {
    families
        .computeIfAbsent(name, n -> MetricFamily.builder(n, MetricType.GAUGE).help(help))
        .sample(value, labels);
  }
}
