package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** CPU frequencies (kHz in sysfs, Hz here) from /sys/devices/system/cpu/cpu*&#47;cpufreq. */
final class CpufreqCollector implements SubCollector {
  private final HostPaths paths;

  CpufreqCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "cpufreq";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    String[][] files = {
      {"cpuinfo_cur_freq", "node_cpu_frequency_hertz", "Current CPU thread frequency in hertz."},
      {
        "cpuinfo_max_freq", "node_cpu_frequency_max_hertz", "Maximum CPU thread frequency in hertz."
      },
      {
        "cpuinfo_min_freq", "node_cpu_frequency_min_hertz", "Minimum CPU thread frequency in hertz."
      },
      {
        "scaling_cur_freq",
        "node_cpu_scaling_frequency_hertz",
        "Current scaled CPU thread frequency in hertz."
      },
      {
        "scaling_max_freq",
        "node_cpu_scaling_frequency_max_hertz",
        "Maximum scaled CPU thread frequency in hertz."
      },
      {
        "scaling_min_freq",
        "node_cpu_scaling_frequency_min_hertz",
        "Minimum scaled CPU thread frequency in hertz."
      },
    };
    List<MetricFamily.Builder> builders = new ArrayList<>();
    for (String[] f : files) {
      builders.add(MetricFamily.builder(f[1], MetricType.GAUGE).help(f[2]));
    }
    MetricFamily.Builder governor =
        MetricFamily.builder("node_cpu_scaling_governor", MetricType.GAUGE)
            .help("Current enabled CPU frequency governor.");
    for (Path cpu : HostPaths.list(paths.sys("devices/system/cpu"), "cpu")) {
      String name = cpu.getFileName().toString().substring(3);
      if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
        continue;
      }
      Path freq = cpu.resolve("cpufreq");
      for (int i = 0; i < files.length; i++) {
        Double khz = HostPaths.numberOrNull(freq.resolve(files[i][0]));
        if (khz != null) {
          builders.get(i).sample(khz * 1000.0, "cpu", name);
        }
      }
      String current = HostPaths.textOrNull(freq.resolve("scaling_governor"));
      String available = HostPaths.textOrNull(freq.resolve("scaling_available_governors"));
      if (current != null && available != null) {
        for (String g : available.split("\\s+")) {
          if (!g.isEmpty()) {
            governor.sample(g.equals(current) ? 1 : 0, "cpu", name, "governor", g);
          }
        }
      }
    }
    builders.add(governor);
    for (MetricFamily.Builder b : builders) {
      if (!b.isEmpty()) {
        out.add(b.build());
      }
    }
  }
}
