package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import java.io.IOException;
import java.util.List;

/** {@code node_entropy_*} from /proc/sys/kernel/random. */
final class EntropyCollector implements SubCollector {
  private final HostPaths paths;

  EntropyCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "entropy";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    double avail =
        Double.parseDouble(HostPaths.text(paths.proc("sys/kernel/random/entropy_avail")));
    double pool = Double.parseDouble(HostPaths.text(paths.proc("sys/kernel/random/poolsize")));
    out.add(
        StatCollector.gauge("node_entropy_available_bits", "Bits of available entropy.", avail));
    out.add(StatCollector.gauge("node_entropy_pool_size_bits", "Bits of entropy pool.", pool));
  }
}
