package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/** {@code node_vmstat_<field>} (untyped) for the /proc/vmstat fields matching a pattern. */
final class VmstatCollector implements SubCollector {
  private final HostPaths paths;
  private final Pattern fields;

  VmstatCollector(HostPaths paths, Pattern fields) {
    this.paths = paths;
    this.fields = fields;
  }

  @Override
  public String name() {
    return "vmstat";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    for (String line : HostPaths.lines(paths.proc("vmstat"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length != 2 || !fields.matcher(f[0]).find()) {
        continue;
      }
      out.add(
          MetricFamily.builder("node_vmstat_" + f[0], MetricType.UNTYPED)
              .help("/proc/vmstat information field " + f[0] + ".")
              .sample(Double.parseDouble(f[1]))
              .build());
    }
  }
}
