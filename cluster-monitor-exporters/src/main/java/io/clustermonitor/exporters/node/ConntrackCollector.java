package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code node_nf_conntrack_*} from /proc/sys/net/netfilter and the per-CPU counters of
 * /proc/net/stat/nf_conntrack (summed over CPUs, as node_exporter does).
 */
final class ConntrackCollector implements SubCollector {
  /** Column of each reported counter in /proc/net/stat/nf_conntrack (procfs' positions). */
  private static final Object[][] STATS = {
    {"found", 2, "Number of searched entries which were successful."},
    {"invalid", 4, "Number of packets seen which can not be tracked."},
    {"ignore", 5, "Number of packets seen which are already connected to a conntrack entry."},
    {"insert", 8, "Number of entries inserted into the list."},
    {"insert_failed", 9, "Number of entries for which list insertion was attempted but failed."},
    {"drop", 10, "Number of packets dropped due to conntrack failure."},
    {
      "early_drop",
      11,
      "Number of dropped conntrack entries to make room for new ones, if maximum table size was"
          + " reached."
    },
    {
      "search_restart",
      16,
      "Number of conntrack table lookups which had to be restarted due to hashtable resizes."
    },
  };

  private final HostPaths paths;

  ConntrackCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "conntrack";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException, NoDataException {
    double count = readNumber(paths.proc("sys/net/netfilter/nf_conntrack_count"));
    double max = readNumber(paths.proc("sys/net/netfilter/nf_conntrack_max"));
    out.add(
        gauge(
            "node_nf_conntrack_entries",
            "Number of currently allocated flow entries for connection tracking.",
            count));
    out.add(
        gauge(
            "node_nf_conntrack_entries_limit", "Maximum size of connection tracking table.", max));
    double[] sums = new double[STATS.length];
    List<String> lines;
    try {
      lines = HostPaths.lines(paths.proc("net/stat/nf_conntrack"));
    } catch (NoSuchFileException e) {
      throw new NoDataException("conntrack statistics not available: " + e.getMessage());
    }
    for (int l = 1; l < lines.size(); l++) {
      String line = lines.get(l).trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f.length < 16 || f.length > 17) {
        throw new IOException("invalid conntrackstat entry, invalid number of fields: " + f.length);
      }
      for (int i = 0; i < STATS.length; i++) {
        int col = (Integer) STATS[i][1];
        if (col < f.length) {
          sums[i] += Long.parseUnsignedLong(f[col], 16);
        }
      }
    }
    for (int i = 0; i < STATS.length; i++) {
      out.add(gauge("node_nf_conntrack_stat_" + STATS[i][0], (String) STATS[i][2], sums[i]));
    }
  }

  private static double readNumber(Path file) throws IOException, NoDataException {
    try {
      return Long.parseLong(HostPaths.text(file));
    } catch (NoSuchFileException e) {
      throw new NoDataException("conntrack probably not loaded: " + file);
    }
  }

  private static MetricFamily gauge(String name, String help, double value) {
    return MetricFamily.builder(name, MetricType.GAUGE).help(help).sample(value).build();
  }
}
