package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * bcache statistics from /sys/fs/bcache/&lt;set uuid&gt; (Documentation/admin-guide/bcache.rst):
 * the cache set, its backing devices ({@code bdev<N>}) and cache devices ({@code cache<N>}). Sizes
 * written by the kernel in human-readable form ({@code 1.2M}) are turned back into numbers with
 * powers of 1024, as the kernel's {@code bch_hprint} writes them.
 */
final class BcacheCollector implements SubCollector {
  private final HostPaths paths;
  private final boolean priorityStats;

  BcacheCollector(HostPaths paths, boolean priorityStats) {
    this.paths = paths;
    this.priorityStats = priorityStats;
  }

  @Override
  public String name() {
    return "bcache";
  }

  /** Parses a {@code bch_hprint} value such as {@code 512}, {@code 1.2M} or {@code 3.5G}. */
  static double dehumanize(String raw) {
    String s = raw.strip();
    if (s.endsWith("/sec")) {
      s = s.substring(0, s.length() - 4);
    }
    if (s.isEmpty()) {
      throw new NumberFormatException("empty value");
    }
    String units = "kMGTPEZY";
    int u = units.indexOf(s.charAt(s.length() - 1));
    if (u < 0) {
      return Double.parseDouble(s);
    }
    return Double.parseDouble(s.substring(0, s.length() - 1)) * Math.pow(1024, u + 1);
  }

  private static Double read(Path file) {
    String s = HostPaths.textOrNull(file);
    if (s == null) {
      return null;
    }
    try {
      return dehumanize(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Map<String, MetricFamily.Builder> families = new TreeMap<>();
    for (Path set : HostPaths.list(paths.sys("fs/bcache"), "")) {
      if (!Files.isDirectory(set) || !Files.exists(set.resolve("cache_available_percent"))) {
        continue; // register, register_quiet, pendings_cleanup, ...
      }
      String uuid = set.getFileName().toString();
      String[][] setValues = {
        {
          "average_key_size",
          "node_bcache_average_key_size_sectors",
          "1",
          "gauge",
          "Average data per key in the btree (sectors)."
        },
        {
          "btree_cache_size",
          "node_bcache_btree_cache_size_bytes",
          "1",
          "gauge",
          "Amount of memory currently used by the btree cache."
        },
        {
          "cache_available_percent",
          "node_bcache_cache_available_percent",
          "1",
          "gauge",
          "Percentage of cache device without dirty data, usable for writeback (may contain"
              + " clean cached data)."
        },
        {"congested", "node_bcache_congested", "1", "gauge", "Congestion."},
        {
          "root_usage_percent",
          "node_bcache_root_usage_percent",
          "1",
          "gauge",
          "Percentage of the root btree node in use (tree depth increases if too high)."
        },
        {"tree_depth", "node_bcache_tree_depth", "1", "gauge", "Depth of the btree."},
        {
          "internal/active_journal_entries",
          "node_bcache_active_journal_entries",
          "1",
          "gauge",
          "Number of journal entries that are newer than the index."
        },
        {"internal/btree_nodes", "node_bcache_btree_nodes", "1", "gauge", "Depth of the btree."},
        {
          "internal/btree_read_average_duration_us",
          "node_bcache_btree_read_average_duration_seconds",
          "1e6",
          "gauge",
          "Average btree read duration."
        },
        {
          "internal/cache_read_races",
          "node_bcache_cache_read_races_total",
          "1",
          "counter",
          "Counts instances where while data was being read from the cache, the bucket was"
              + " reused and invalidated - i.e. where the pointer was stale after the read"
              + " completed."
        },
      };
      for (String[] v : setValues) {
        Double value = read(set.resolve(v[0]));
        if (value != null) {
          add(families, v, value / Double.parseDouble(v[2]), "uuid", uuid);
        }
      }
      for (Path bdev : HostPaths.list(set, "bdev")) {
        String dev = bdev.getFileName().toString();
        String[][] stats = {
          {
            "dirty_data",
            "node_bcache_dirty_data_bytes",
            "1",
            "gauge",
            "Amount of dirty data for this backing device in the cache."
          },
          {
            "stats_total/bypassed",
            "node_bcache_bypassed_bytes_total",
            "1",
            "counter",
            "Amount of IO (both reads and writes) that has bypassed the cache."
          },
          {
            "stats_total/cache_bypass_hits",
            "node_bcache_cache_bypass_hits_total",
            "1",
            "counter",
            "Hits for IO intended to skip the cache."
          },
          {
            "stats_total/cache_bypass_misses",
            "node_bcache_cache_bypass_misses_total",
            "1",
            "counter",
            "Misses for IO intended to skip the cache."
          },
          {
            "stats_total/cache_hits",
            "node_bcache_cache_hits_total",
            "1",
            "counter",
            "Hits counted per individual IO as bcache sees them."
          },
          {
            "stats_total/cache_miss_collisions",
            "node_bcache_cache_miss_collisions_total",
            "1",
            "counter",
            "Instances where data insertion from cache miss raced with write"
                + " (data already present)."
          },
          {
            "stats_total/cache_misses",
            "node_bcache_cache_misses_total",
            "1",
            "counter",
            "Misses counted per individual IO as bcache sees them."
          },
          {
            "stats_total/cache_readaheads",
            "node_bcache_cache_readaheads_total",
            "1",
            "counter",
            "Count of times readahead occurred."
          },
        };
        for (String[] v : stats) {
          Double value = read(bdev.resolve(v[0]));
          if (value != null) {
            add(families, v, value, "backing_device", dev, "uuid", uuid);
          }
        }
        String debug = HostPaths.textOrNull(bdev.resolve("writeback_rate_debug"));
        if (debug != null) {
          Map<String, String> kv = new TreeMap<>();
          for (String line : debug.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
              kv.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
          }
          String[][] rates = {
            {
              "target",
              "node_bcache_dirty_target_bytes",
              "gauge",
              "Current dirty data target threshold for this backing device in bytes."
            },
            {
              "rate",
              "node_bcache_writeback_rate",
              "gauge",
              "Current writeback rate for this backing device in bytes."
            },
            {
              "proportional",
              "node_bcache_writeback_rate_proportional_term",
              "gauge",
              "Current result of proportional controller, part of writeback rate"
            },
            {
              "integral",
              "node_bcache_writeback_rate_integral_term",
              "gauge",
              "Current result of integral controller, part of writeback rate"
            },
            {
              "change",
              "node_bcache_writeback_change",
              "gauge",
              "Last writeback rate change step for this backing device."
            },
          };
          for (String[] r : rates) {
            String s = kv.get(r[0]);
            if (s == null) {
              continue;
            }
            try {
              add(
                  families,
                  new String[] {r[0], r[1], "1", r[2], r[3]},
                  dehumanize(s),
                  "backing_device",
                  dev,
                  "uuid",
                  uuid);
            } catch (NumberFormatException e) {
              // a line the kernel formats differently: skipped, as node_exporter does
            }
          }
        }
      }
      for (Path cache : HostPaths.list(set, "cache")) {
        String dev = cache.getFileName().toString();
        if (!dev.matches("cache[0-9]+")) {
          continue; // cache_available_percent and friends are files of the set itself
        }
        String[][] stats = {
          {
            "io_errors",
            "node_bcache_io_errors",
            "1",
            "gauge",
            "Number of errors that have" + " occurred, decayed by io_error_halflife."
          },
          {
            "metadata_written",
            "node_bcache_metadata_written_bytes_total",
            "1",
            "counter",
            "Sum of all non data writes (btree writes and all other metadata)."
          },
          {
            "written",
            "node_bcache_written_bytes_total",
            "1",
            "counter",
            "Sum of all data that has been written to the cache."
          },
        };
        for (String[] v : stats) {
          Double value = read(cache.resolve(v[0]));
          if (value != null) {
            add(families, v, value, "cache_device", dev, "uuid", uuid);
          }
        }
        if (priorityStats) {
          String prio = HostPaths.textOrNull(cache.resolve("priority_stats"));
          if (prio != null) {
            for (String line : prio.split("\n")) {
              String[] f = line.split(":");
              if (f.length != 2) {
                continue;
              }
              String key = f[0].strip();
              String pct = f[1].strip().replace("%", "");
              String metric =
                  key.equals("Unused")
                      ? "node_bcache_priority_stats_unused_percent"
                      : key.equals("Metadata")
                          ? "node_bcache_priority_stats_metadata_percent"
                          : null;
              if (metric != null) {
                add(
                    families,
                    new String[] {
                      key,
                      metric,
                      "1",
                      "gauge",
                      "The percentage of the cache that is "
                          + key.toLowerCase(java.util.Locale.ROOT)
                          + "."
                    },
                    Double.parseDouble(pct),
                    "cache_device",
                    dev,
                    "uuid",
                    uuid);
              }
            }
          }
        }
      }
    }
    for (MetricFamily.Builder b : families.values()) {
      out.add(b.build());
    }
  }

  private static void add(
      Map<String, MetricFamily.Builder> families, String[] spec, double value, String... labels) {
    families
        .computeIfAbsent(
            spec[1],
            n ->
                MetricFamily.builder(
                        n, spec[3].equals("counter") ? MetricType.COUNTER : MetricType.GAUGE)
                    .help(spec[4]))
        .sample(value, labels);
  }
}
