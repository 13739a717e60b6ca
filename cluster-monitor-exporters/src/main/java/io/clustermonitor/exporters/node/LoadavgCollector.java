package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import java.io.IOException;
import java.util.List;

/** {@code node_load1}, {@code node_load5}, {@code node_load15} from /proc/loadavg. */
final class LoadavgCollector implements SubCollector {
  private final HostPaths paths;

  LoadavgCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "loadavg";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    String[] f = HostPaths.text(paths.proc("loadavg")).split("\\s+");
    if (f.length < 3) {
      throw new IOException("unexpected content in " + paths.proc("loadavg"));
    }
    out.add(StatCollector.gauge("node_load1", "1m load average.", Double.parseDouble(f[0])));
    out.add(StatCollector.gauge("node_load5", "5m load average.", Double.parseDouble(f[1])));
    out.add(StatCollector.gauge("node_load15", "15m load average.", Double.parseDouble(f[2])));
  }
}
