package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-filesystem XFS statistics from /sys/fs/xfs/&lt;device&gt;/stats/stats (the lines of
 * fs/xfs/xfs_stats.c), as node_exporter's {@code node_xfs_*_total{device}} counters.
 */
final class XfsCollector implements SubCollector {
  /** stats line key, then the metric names of its values in order ("" = not exported). */
  private static final String[][] LINES = {
    {
      "extent_alloc",
      "extent_allocation_extents_allocated",
      "extent_allocation_blocks_allocated",
      "extent_allocation_extents_freed",
      "extent_allocation_blocks_freed"
    },
    {
      "abt",
      "allocation_btree_lookups",
      "allocation_btree_compares",
      "allocation_btree_records_inserted",
      "allocation_btree_records_deleted"
    },
    {
      "blk_map",
      "block_mapping_reads",
      "block_mapping_writes",
      "block_mapping_unmaps",
      "block_mapping_extent_list_insertions",
      "block_mapping_extent_list_deletions",
      "block_mapping_extent_list_lookups",
      "block_mapping_extent_list_compares"
    },
    {
      "bmbt",
      "block_map_btree_lookups",
      "block_map_btree_compares",
      "block_map_btree_records_inserted",
      "block_map_btree_records_deleted"
    },
    {
      "dir",
      "directory_operation_lookup",
      "directory_operation_create",
      "directory_operation_remove",
      "directory_operation_getdents"
    },
    {
      "ig",
      "inode_operation_attempts",
      "inode_operation_found",
      "inode_operation_recycled",
      "inode_operation_missed",
      "inode_operation_duplicates",
      "inode_operation_reclaims",
      "inode_operation_attribute_changes"
    },
    {"rw", "write_calls", "read_calls"},
    {
      "vnodes",
      "vnode_active",
      "vnode_allocate",
      "vnode_get",
      "vnode_hold",
      "vnode_release",
      "vnode_reclaim",
      "vnode_remove"
    },
  };

  private final HostPaths paths;

  XfsCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "xfs";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Map<String, MetricFamily.Builder> families = new TreeMap<>();
    for (Path dev : HostPaths.list(paths.sys("fs/xfs"), "")) {
      Path stats = dev.resolve("stats/stats");
      if (!Files.isReadable(stats)) {
        continue; // the global /sys/fs/xfs/stats directory, or no statistics
      }
      String device = dev.getFileName().toString();
      for (String line : HostPaths.lines(stats)) {
        String[] f = line.trim().split("\\s+");
        for (String[] spec : LINES) {
          if (!spec[0].equals(f[0])) {
            continue;
          }
          for (int i = 1; i < spec.length && i < f.length; i++) {
            String metric = "node_xfs_" + spec[i] + "_total";
            String help = "Number of " + spec[i].replace('_', ' ') + " for a filesystem.";
            families
                .computeIfAbsent(
                    metric, n -> MetricFamily.builder(n, MetricType.COUNTER).help(help))
                .sample(Double.parseDouble(f[i]), "device", device);
          }
        }
      }
    }
    for (MetricFamily.Builder b : families.values()) {
      out.add(b.build());
    }
  }
}
