package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * ZFS kstats from /proc/spl/kstat/zfs (OpenZFS on Linux): {@code node_zfs_<subsystem>_<name>}
 * (untyped) for the misc kstats, and per pool {@code node_zfs_zpool_*} from {@code <pool>/io},
 * {@code <pool>/objset-*} and {@code <pool>/state}.
 */
final class ZfsCollector implements SubCollector {
  /** kstat file, metric subsystem. */
  private static final String[][] KSTATS = {
    {"abdstats", "abd"},
    {"arcstats", "arc"},
    {"dbufstats", "dbuf"},
    {"dmu_tx", "dmu_tx"},
    {"dnodestats", "dnode"},
    {"fm", "fm"},
    {"vdev_cache_stats", "vdev_cache"},
    {"vdev_mirror_stats", "vdev_mirror"},
    {"xuio_stats", "xuio"},
    {"zfetchstats", "zfetch"},
    {"zil", "zil"},
  };

  private static final String[] POOL_STATES = {
    "degraded", "faulted", "offline", "online", "removed", "suspended", "unavail"
  };

  private final HostPaths paths;

  ZfsCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "zfs";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Path root = paths.proc("spl/kstat/zfs");
    if (!Files.isDirectory(root)) {
      throw new NoDataException("ZFS / ZFS statistics are not available: " + root);
    }
    Map<String, MetricFamily.Builder> families = new TreeMap<>();
    for (String[] k : KSTATS) {
      Path file = root.resolve(k[0]);
      if (!Files.isReadable(file)) {
        continue;
      }
      for (Map.Entry<String, String> e : namedKstat(HostPaths.lines(file)).entrySet()) {
        Double v = number(e.getValue());
        if (v == null) {
          continue;
        }
        String metric = "node_zfs_" + k[1] + "_" + e.getKey().replaceAll("[^a-zA-Z0-9_]", "_");
        family(families, metric, MetricType.UNTYPED, "kstat.zfs.misc." + k[0] + "." + e.getKey())
            .sample(v);
      }
    }
    for (Path pool : HostPaths.list(root, "")) {
      if (!Files.isDirectory(pool)) {
        continue;
      }
      String zpool = pool.getFileName().toString();
      Path io = pool.resolve("io");
      if (Files.isReadable(io)) {
        List<String> lines = HostPaths.lines(io);
        if (lines.size() >= 3) {
          String[] names = lines.get(1).trim().split("\\s+");
          String[] values = lines.get(2).trim().split("\\s+");
          for (int i = 0; i < names.length && i < values.length; i++) {
            Double v = number(values[i]);
            if (v != null) {
              family(
                      families,
                      "node_zfs_zpool_" + names[i],
                      MetricType.UNTYPED,
                      "kstat.zfs.misc.io." + names[i])
                  .sample(v, "zpool", zpool);
            }
          }
        }
      }
      for (Path objset : HostPaths.list(pool, "objset-")) {
        Map<String, String> kv = namedKstat(HostPaths.lines(objset));
        String dataset = kv.get("dataset_name");
        if (dataset == null) {
          continue;
        }
        for (Map.Entry<String, String> e : kv.entrySet()) {
          Double v = number(e.getValue());
          if (e.getKey().equals("dataset_name") || v == null) {
            continue;
          }
          family(
                  families,
                  "node_zfs_zpool_dataset_" + e.getKey(),
                  MetricType.UNTYPED,
                  "kstat.zfs.misc.objset." + e.getKey())
              .sample(v, "dataset", dataset, "zpool", zpool);
        }
      }
      String state = HostPaths.textOrNull(pool.resolve("state"));
      if (state != null) {
        MetricFamily.Builder b =
            family(families, "node_zfs_zpool_state", MetricType.GAUGE, "kstat.zfs.misc.state");
        for (String s : POOL_STATES) {
          b.sample(s.equals(state.toLowerCase(Locale.ROOT)) ? 1 : 0, "state", s, "zpool", zpool);
        }
      }
    }
    for (MetricFamily.Builder b : families.values()) {
      out.add(b.build());
    }
  }

  /** A "named" kstat: a header line, a {@code name type data} line, then one line per value. */
  static Map<String, String> namedKstat(List<String> lines) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (int i = 2; i < lines.size(); i++) {
      String[] f = lines.get(i).trim().split("\\s+", 3);
      if (f.length == 3) {
        out.put(f[0], f[2].strip());
      }
    }
    return out;
  }

  private static Double number(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static MetricFamily.Builder family(
      Map<String, MetricFamily.Builder> families, String name, MetricType type, String help) {
    return families.computeIfAbsent(name, n -> MetricFamily.builder(n, type).help(help));
  }
}
