package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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

  /** A selected field: its protocol, key ({@code Proto_Field}), family name and help. */
  private record Field(String proto, String key, String name, String help) {}

  /**
   * The parse plan of each netstat/snmp header line seen ("Proto: names..."): the kernel's field
   * set is fixed, so each header is split and matched against {@code fields} once.
   */
  private record Header(String proto, int columns, int[] selected, Field[] fields) {}

  private final Map<String, Header> headers = new ConcurrentHashMap<>();

  /** The selected field (or {@link #NONE}) of each snmp6 name, such as {@code Ip6InReceives}. */
  private final Map<String, Object> snmp6Names = new ConcurrentHashMap<>();

  private static final Object NONE = new Object();

  /** Bound of both caches: never reached with real kernel files. */
  private static final int MAX_CACHED = 10_000;

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
    // proto -> its selected fields and their values; a later file's proto replaces an earlier one
    Map<String, List<Object[]>> stats = new HashMap<>();
    pairs(paths.proc("net/netstat"), stats);
    pairs(paths.proc("net/snmp"), stats);
    try {
      snmp6(paths.proc("net/snmp6"), stats);
    } catch (NoSuchFileException e) {
      // IPv6 disabled: no snmp6, nothing to add
    }
    Map<String, Object[]> selected = new TreeMap<>();
    for (List<Object[]> values : stats.values()) {
      for (Object[] v : values) {
        selected.put(((Field) v[0]).key(), v);
      }
    }
    for (Object[] v : selected.values()) {
      Field f = (Field) v[0];
      double value;
      try {
        value = Double.parseDouble((String) v[1]);
      } catch (NumberFormatException ex) {
        throw new IOException("invalid value " + v[1] + " in netstats", ex);
      }
      out.add(
          MetricFamily.builder(f.name(), MetricType.UNTYPED).help(f.help()).sample(value).build());
    }
  }

  private Field field(String proto, String name) {
    String key = proto + "_" + name;
    if (!fields.matcher(key).find()) {
      return null;
    }
    return new Field(
        proto,
        key,
        "node_netstat_" + key,
        "Statistic "
            + key.substring(0, key.indexOf('_'))
            + key.substring(key.indexOf('_') + 1)
            + ".");
  }

  private Header header(String line) {
    String[] names = line.split(" ");
    String proto = names[0].substring(0, names[0].length() - 1);
    int[] columns = new int[names.length];
    Field[] selected = new Field[names.length];
    int n = 0;
    for (int j = 1; j < names.length; j++) {
      Field f = field(proto, names[j]);
      if (f != null) {
        columns[n] = j;
        selected[n++] = f;
      }
    }
    return new Header(proto, names.length, Arrays.copyOf(columns, n), Arrays.copyOf(selected, n));
  }

  /**
   * A "Proto: names..." line followed by a "Proto: values..." line, as netstat and snmp: the
   * selected fields of each proto into {@code stats}.
   */
  private void pairs(Path file, Map<String, List<Object[]>> stats) throws IOException {
    List<String> lines = HostPaths.lines(file);
    for (int i = 0; i + 1 < lines.size(); i += 2) {
      String line = lines.get(i);
      if (headers.size() > MAX_CACHED) {
        headers.clear();
      }
      Header h = headers.computeIfAbsent(line, this::header);
      String[] values = lines.get(i + 1).split(" ");
      if (h.columns() != values.length) {
        throw new IOException("mismatch field count mismatch in " + file + ": " + h.proto());
      }
      List<Object[]> list = new ArrayList<>(h.selected().length);
      for (int j = 0; j < h.selected().length; j++) {
        list.add(new Object[] {h.fields()[j], values[h.selected()[j]]});
      }
      stats.put(h.proto(), list);
    }
  }

  /**
   * "Ip6InReceives 12" lines: the protocol is the name up to its first "6"; the selected fields
   * into {@code stats}, merged per protocol.
   */
  private void snmp6(Path file, Map<String, List<Object[]>> stats) throws IOException {
    Map<String, List<Object[]>> protos = new HashMap<>();
    for (String line : HostPaths.lines(file)) {
      String t = line.trim();
      // t.split("\\s+"): the first two fields; t has no leading or trailing whitespace
      int end = 0;
      while (end < t.length() && !space(t.charAt(end))) {
        end++;
      }
      if (end == t.length()) {
        continue; // fewer than two fields
      }
      int from = end;
      while (space(t.charAt(from))) {
        from++;
      }
      int to = from;
      while (to < t.length() && !space(t.charAt(to))) {
        to++;
      }
      String name = t.substring(0, end);
      if (snmp6Names.size() > MAX_CACHED) {
        snmp6Names.clear();
      }
      Object f = snmp6Names.computeIfAbsent(name, NetstatCollector.this::snmp6Field);
      if (f == NONE) {
        continue;
      }
      Field field = (Field) f;
      protos
          .computeIfAbsent(field.proto(), k -> new ArrayList<>())
          .add(new Object[] {field, t.substring(from, to)});
    }
    stats.putAll(protos);
  }

  private Object snmp6Field(String name) {
    int six = name.indexOf('6');
    if (six < 0) {
      return NONE;
    }
    Field f = field(name.substring(0, six + 1), name.substring(six + 1));
    return f == null ? NONE : f;
  }

  /** {@code \\s} of java.util.regex. */
  private static boolean space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }
}
