package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code node_netstat_<Proto>_<Field>} (untyped) from /proc/net/netstat, /proc/net/snmp and
 * /proc/net/snmp6, for the fields matching {@code --collector.netstat.fields}.
 */
final class NetstatCollector implements SubCollector {
  /** node_exporter's default {@code --collector.netstat.fields}. */
  static final String DEFAULT_FIELDS =
      "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)"
          + "|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)"
          + "|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)"
          + "|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$";

  private final HostPaths paths;
  private final Pattern fields;

  /** Match results by key: the kernel's field set is fixed, so each key is matched once. */
  private final Map<String, Boolean> selectedKeys = new ConcurrentHashMap<>();

  /**
   * @param fields {@code --collector.netstat.fields}
   */
  NetstatCollector(HostPaths paths, String fields) {
    this.paths = paths;
    this.fields = Pattern.compile(fields);
  }

  @Override
  public String name() {
    return "netstat";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    Map<String, Map<String, String>> stats = new TreeMap<>();
    stats.putAll(pairs(paths.proc("net/netstat")));
    stats.putAll(pairs(paths.proc("net/snmp")));
    try {
      stats.putAll(snmp6(paths.proc("net/snmp6")));
    } catch (NoSuchFileException e) {
      // IPv6 disabled: no snmp6, nothing to add
    }
    Map<String, Double> selected = new TreeMap<>();
    for (Map.Entry<String, Map<String, String>> p : stats.entrySet()) {
      for (Map.Entry<String, String> e : p.getValue().entrySet()) {
        String key = p.getKey() + "_" + e.getKey();
        if (selectedKeys.size() > 10_000) {
          selectedKeys.clear(); // bound: never reached with real kernel files
        }
        if (!selectedKeys.computeIfAbsent(key, k -> fields.matcher(k).find())) {
          continue;
        }
        try {
          selected.put(key, Double.parseDouble(e.getValue()));
        } catch (NumberFormatException ex) {
          throw new IOException("invalid value " + e.getValue() + " in netstats", ex);
        }
      }
    }
    for (Map.Entry<String, Double> e : selected.entrySet()) {
      String key = e.getKey();
      out.add(
          MetricFamily.builder("node_netstat_" + key, MetricType.UNTYPED)
              .help(
                  "Statistic "
                      + key.substring(0, key.indexOf('_'))
                      + key.substring(key.indexOf('_') + 1)
                      + ".")
              .sample(e.getValue())
              .build());
    }
  }

  /** A "Proto: names..." line followed by a "Proto: values..." line, as netstat and snmp. */
  static Map<String, Map<String, String>> pairs(Path file) throws IOException {
    List<String> lines = HostPaths.lines(file);
    Map<String, Map<String, String>> out = new TreeMap<>();
    for (int i = 0; i + 1 < lines.size(); i += 2) {
      String[] names = lines.get(i).split(" ");
      String[] values = lines.get(i + 1).split(" ");
      String proto = names[0].substring(0, names[0].length() - 1);
      if (names.length != values.length) {
        throw new IOException("mismatch field count mismatch in " + file + ": " + proto);
      }
      Map<String, String> m = new TreeMap<>();
      for (int j = 1; j < names.length; j++) {
        m.put(names[j], values[j]);
      }
      out.put(proto, m);
    }
    return out;
  }

  /** "Ip6InReceives 12" lines: the protocol is the name up to its first "6". */
  static Map<String, Map<String, String>> snmp6(Path file) throws IOException {
    Map<String, Map<String, String>> out = new TreeMap<>();
    for (String line : HostPaths.lines(file)) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 2) {
        continue;
      }
      int six = f[0].indexOf('6');
      if (six < 0) {
        continue;
      }
      out.computeIfAbsent(f[0].substring(0, six + 1), k -> new TreeMap<>())
          .put(f[0].substring(six + 1), f[1]);
    }
    return out;
  }
}
