package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code node_ipvs_*} from /proc/net/ip_vs_stats and the backends of /proc/net/ip_vs. */
final class IpvsCollector implements SubCollector {
  /** Every backend label, in node_exporter's output order. */
  static final List<String> ALL_LABELS =
      List.of(
          "local_address", "local_port", "remote_address", "remote_port", "proto", "local_mark");

  /** node_exporter's default {@code --collector.ipvs.backend-labels}. */
  static final String DEFAULT_BACKEND_LABELS = String.join(",", ALL_LABELS);

  private final HostPaths paths;
  private final List<String> labels;

  /**
   * @param backendLabels {@code --collector.ipvs.backend-labels}, comma-separated
   */
  IpvsCollector(HostPaths paths, String backendLabels) {
    this.paths = paths;
    this.labels = parseLabels(backendLabels);
  }

  static List<String> parseLabels(String csv) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String l : csv.split(",")) {
      if (!l.isEmpty()) {
        wanted.add(l);
      }
    }
    List<String> result = new ArrayList<>();
    for (String l : ALL_LABELS) {
      if (wanted.remove(l)) {
        result.add(l);
      }
    }
    if (!wanted.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown IPVS backend labels: \"" + String.join(", ", new TreeSet<>(wanted)) + "\"");
    }
    return List.copyOf(result);
  }

  @Override
  public String name() {
    return "ipvs";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException, NoDataException {
    List<String> stats;
    try {
      stats = HostPaths.lines(paths.proc("net/ip_vs_stats"));
    } catch (NoSuchFileException e) {
      throw new NoDataException("ipvs collector metrics are not available for this system");
    }
    if (stats.size() < 3) {
      throw new IOException("ip_vs_stats corrupt: too few lines");
    }
    String[] t = stats.get(2).trim().split("\\s+");
    if (t.length != 5) {
      throw new IOException("ip_vs_stats corrupt: wrong number of fields in " + stats.get(2));
    }
    String[][] totals = {
      {"connections_total", "The total number of connections made."},
      {"incoming_packets_total", "The total number of incoming packets."},
      {"outgoing_packets_total", "The total number of outgoing packets."},
      {"incoming_bytes_total", "The total amount of incoming data."},
      {"outgoing_bytes_total", "The total amount of outgoing data."},
    };
    for (int i = 0; i < 5; i++) {
      out.add(
          MetricFamily.builder("node_ipvs_" + totals[i][0], MetricType.COUNTER)
              .help(totals[i][1])
              .sample(NetFamilies.unsigned(Long.parseUnsignedLong(t[i], 16)))
              .build());
    }

    Map<List<String>, double[]> sums = new LinkedHashMap<>();
    String proto = "";
    String localMark = "";
    String localAddress = "";
    String localPort = "0";
    for (String line : HostPaths.lines(paths.proc("net/ip_vs"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 0 || f[0].isEmpty()) {
        continue;
      }
      if (f[0].equals("IP")
          || f[0].equals("Prot")
          || (f.length > 1 && f[1].equals("RemoteAddress:Port"))) {
        continue;
      }
      switch (f[0]) {
        case "TCP", "UDP" -> {
          if (f.length < 2) {
            continue;
          }
          proto = f[0];
          localMark = "";
          String[] ipPort = ipPort(f[1]);
          localAddress = ipPort[0];
          localPort = ipPort[1];
        }
        case "FWM" -> {
          if (f.length < 2) {
            continue;
          }
          proto = f[0];
          localMark = f[1];
          localAddress = "";
          localPort = "0";
        }
        case "->" -> {
          if (f.length < 6) {
            continue;
          }
          String[] remote = ipPort(f[1]);
          Map<String, String> all = new LinkedHashMap<>();
          all.put("local_address", localAddress);
          all.put("local_port", localPort);
          all.put("remote_address", remote[0]);
          all.put("remote_port", remote[1]);
          all.put("proto", proto);
          all.put("local_mark", localMark);
          List<String> key = new ArrayList<>();
          for (String l : labels) {
            key.add(all.get(l));
          }
          double[] s = sums.computeIfAbsent(key, k -> new double[3]);
          s[0] += Long.parseLong(f[4]);
          s[1] += Long.parseLong(f[5]);
          s[2] += Long.parseLong(f[3]);
        }
        default -> {}
      }
    }
    MetricFamily.Builder active =
        MetricFamily.builder("node_ipvs_backend_connections_active", MetricType.GAUGE)
            .help("The current active connections by local and remote address.");
    MetricFamily.Builder inactive =
        MetricFamily.builder("node_ipvs_backend_connections_inactive", MetricType.GAUGE)
            .help("The current inactive connections by local and remote address.");
    MetricFamily.Builder weight =
        MetricFamily.builder("node_ipvs_backend_weight", MetricType.GAUGE)
            .help("The current backend weight by local and remote address.");
    for (Map.Entry<List<String>, double[]> e : sums.entrySet()) {
      Map<String, String> l = new LinkedHashMap<>();
      for (int i = 0; i < labels.size(); i++) {
        l.put(labels.get(i), e.getKey().get(i));
      }
      active.sample(e.getValue()[0], l);
      inactive.sample(e.getValue()[1], l);
      weight.sample(e.getValue()[2], l);
    }
    if (!active.isEmpty()) {
      out.add(active.build());
      out.add(inactive.build());
      out.add(weight.build());
    }
  }

  /** "C0A80016:0CEA" or "[2620:0000:...:0001]:0050" as {address, port}, as procfs parses it. */
  static String[] ipPort(String s) throws IOException {
    String ip;
    if (s.length() == 13) {
      long v = Long.parseLong(s.substring(0, 8), 16);
      ip =
          ((v >> 24) & 0xff)
              + "."
              + ((v >> 16) & 0xff)
              + "."
              + ((v >> 8) & 0xff)
              + "."
              + (v & 0xff);
    } else if (s.length() == 46) {
      ip = ipv6(s.substring(1, 40));
    } else {
      throw new IOException("Unexpected IP:Port " + s);
    }
    return new String[] {ip, Integer.toString(Integer.parseInt(s.substring(s.length() - 4), 16))};
  }

  /** An IPv6 address in the RFC 5952 form Go's net.IP prints (longest zero run as ::). */
  static String ipv6(String full) throws IOException {
    String[] groups = full.split(":");
    if (groups.length != 8) {
      throw new IOException("Invalid IPv6 addr " + full);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = Integer.parseInt(groups[i], 16);
    }
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
      return (g[6] >> 8) + "." + (g[6] & 0xff) + "." + (g[7] >> 8) + "." + (g[7] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
