package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code node_sockstat_*} gauges from /proc/net/sockstat and /proc/net/sockstat6. */
final class SockstatCollector implements SubCollector {
  private static final String[] FIELDS = {"inuse", "orphan", "tw", "alloc", "mem", "memory"};

  private final HostPaths paths;
  private final long pageSize;

  /**
   * @param pageSize the kernel page size, to turn {@code mem} pages into bytes
   */
  SockstatCollector(HostPaths paths, long pageSize) {
    this.paths = paths;
    this.pageSize = pageSize;
  }

  SockstatCollector(HostPaths paths) {
    this(paths, PageSize.get());
  }

  @Override
  public String name() {
    return "sockstat";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    List<MetricFamily> families = new ArrayList<>();
    read(paths.proc("net/sockstat"), false, families);
    read(paths.proc("net/sockstat6"), true, families);
    families.sort(java.util.Comparator.comparing(MetricFamily::name));
    out.addAll(families);
  }

  private void read(Path file, boolean ipv6, List<MetricFamily> out) throws IOException {
    List<String> lines;
    try {
      lines = HostPaths.lines(file);
    } catch (NoSuchFileException e) {
      return; // IPv4 or IPv6 disabled
    }
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 3 || !f[0].endsWith(":")) {
        if (line.isBlank()) {
          continue;
        }
        throw new IOException("malformed sockstat line: " + line);
      }
      String proto = f[0].substring(0, f[0].length() - 1);
      Map<String, Long> kv = new LinkedHashMap<>();
      for (int i = 1; i + 1 < f.length; i += 2) {
        kv.put(f[i], Long.parseLong(f[i + 1]));
      }
      if (proto.equals("sockets")) {
        if (!ipv6 && kv.containsKey("used")) {
          out.add(
              gauge(
                  "node_sockstat_sockets_used", "Number of IPv4 sockets in use.", kv.get("used")));
        }
        continue;
      }
      for (String field : FIELDS) {
        Long v = kv.get(field);
        if (v != null) {
          out.add(protoGauge(proto, field, v));
        }
      }
      Long mem = kv.get("mem");
      if (mem != null) {
        out.add(protoGauge(proto, "mem_bytes", mem * pageSize));
      }
    }
  }

  private static MetricFamily protoGauge(String proto, String field, double v) {
    return gauge(
        "node_sockstat_" + proto + "_" + field,
        "Number of " + proto + " sockets in state " + field + ".",
        v);
  }

  private static MetricFamily gauge(String name, String help, double v) {
    return MetricFamily.builder(name, MetricType.GAUGE).help(help).sample(v).build();
  }
}
