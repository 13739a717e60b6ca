package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** {@code node_udp_queues{queue,ip}}: bytes queued in UDP sockets, from /proc/net/udp{,6}. */
final class UdpQueuesCollector implements SubCollector {
  private final HostPaths paths;

  UdpQueuesCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "udp_queues";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException, NoDataException {
    MetricFamily.Builder b =
        MetricFamily.builder("node_udp_queues", MetricType.GAUGE)
            .help("Number of allocated memory in the kernel for UDP datagrams in bytes.");
    boolean v4 = add(b, paths.proc("net/udp"), "v4");
    boolean v6 = add(b, paths.proc("net/udp6"), "v6");
    if (!v4 && !v6) {
      throw new NoDataException("no /proc/net/udp and no /proc/net/udp6");
    }
    out.add(b.build());
  }

  /** Sums the tx_queue:rx_queue column; false when the file does not exist. */
  private static boolean add(MetricFamily.Builder b, Path file, String ip) throws IOException {
    List<String> lines;
    try {
      lines = HostPaths.lines(file);
    } catch (NoSuchFileException e) {
      return false;
    }
    long tx = 0;
    long rx = 0;
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).trim().split("\\s+");
      if (f.length < 5) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        throw new IOException("cannot parse line of " + file + ": " + lines.get(i));
      }
      String[] q = f[4].split(":");
      if (q.length != 2) {
        throw new IOException("cannot parse tx_queue:rx_queue " + f[4] + " in " + file);
      }
      tx += Long.parseLong(q[0], 16);
      rx += Long.parseLong(q[1], 16);
    }
    b.sample(tx, "queue", "tx", "ip", ip);
    b.sample(rx, "queue", "rx", "ip", ip);
    return true;
  }
}
