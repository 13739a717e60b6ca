package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.List;

/** {@code node_cpu_seconds_total} and {@code node_cpu_guest_seconds_total} from /proc/stat. */
final class CpuCollector implements SubCollector {
  /** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture node_exporter supports. */
  static final double USER_HZ = 100.0;

  private static final String[] MODES = {
    "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"
  };

  private final HostPaths paths;

  CpuCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    MetricFamily.Builder seconds =
        MetricFamily.builder("node_cpu_seconds_total", MetricType.COUNTER)
            .help("Seconds the CPUs spent in each mode.");
    MetricFamily.Builder guest =
        MetricFamily.builder("node_cpu_guest_seconds_total", MetricType.COUNTER)
            .help("Seconds the CPUs spent in guests (VMs) for each mode.");
    for (String line : HostPaths.lines(paths.proc("stat"))) {
      if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      String cpu = f[0].substring(3);
      for (int i = 0; i < MODES.length && i + 1 < f.length; i++) {
        seconds.sample(Long.parseLong(f[i + 1]) / USER_HZ, "cpu", cpu, "mode", MODES[i]);
      }
      if (f.length > 10) {
        guest.sample(Long.parseLong(f[9]) / USER_HZ, "cpu", cpu, "mode", "user");
        guest.sample(Long.parseLong(f[10]) / USER_HZ, "cpu", cpu, "mode", "nice");
      }
    }
    if (seconds.isEmpty()) {
      throw new IOException("no cpu lines in " + paths.proc("stat"));
    }
    out.add(seconds.build());
    if (!guest.isEmpty()) {
      out.add(guest.build());
    }
  }
}
