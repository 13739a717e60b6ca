package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.List;

/** {@code node_memory_<Field>[_bytes]} from /proc/meminfo, as node_exporter names them. */
final class MeminfoCollector implements SubCollector {
  private final HostPaths paths;

  MeminfoCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "meminfo";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    int before = out.size();
    for (String line : HostPaths.lines(paths.proc("meminfo"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 2 || !f[0].endsWith(":")) {
        continue;
      }
      String key = f[0].substring(0, f[0].length() - 1).replace("(anon)", "_anon");
      key = key.replace("(file)", "_file");
      double value = Double.parseDouble(f[1]);
      if (f.length == 3 && f[2].equals("kB")) {
        value *= 1024;
        key += "_bytes";
      }
      out.add(
          MetricFamily.builder("node_memory_" + key, MetricType.GAUGE)
              .help("Memory information field " + key + ".")
              .sample(value)
              .build());
    }
    if (out.size() == before) {
      throw new IOException("no fields in " + paths.proc("meminfo"));
    }
  }
}
