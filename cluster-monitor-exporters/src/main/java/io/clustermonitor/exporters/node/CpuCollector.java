package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code node_cpu_seconds_total} and {@code node_cpu_guest_seconds_total} from /proc/stat, thermal
 * throttle counts and isolated CPUs from sysfs, and (with {@code --collector.cpu.info}) {@code
 * node_cpu_info}, {@code node_cpu_flag_info} and {@code node_cpu_bug_info} from /proc/cpuinfo.
 */
final class CpuCollector implements SubCollector {
  /** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture node_exporter supports. */
  static final double USER_HZ = 100.0;

  private static final String[] MODES = {
    "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"
  };

  private final HostPaths paths;
  private final boolean guest;
  private final boolean info;
  private final Pattern flagsInclude;
  private final Pattern bugsInclude;

  CpuCollector(HostPaths paths) {
    this(paths, true, false, null, null);
  }

  CpuCollector(
      HostPaths paths, boolean guest, boolean info, Pattern flagsInclude, Pattern bugsInclude) {
    this.paths = paths;
    this.guest = guest;
    this.info = info;
    this.flagsInclude = flagsInclude;
    this.bugsInclude = bugsInclude;
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    if (info) {
      cpuinfo(out);
    }
    throttles(out);
    isolated(out);
    MetricFamily.Builder seconds =
        MetricFamily.builder("node_cpu_seconds_total", MetricType.COUNTER)
            .help("Seconds the CPUs spent in each mode.");
    MetricFamily.Builder guestSeconds =
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
      if (guest && f.length > 10) {
        guestSeconds.sample(Long.parseLong(f[9]) / USER_HZ, "cpu", cpu, "mode", "user");
        guestSeconds.sample(Long.parseLong(f[10]) / USER_HZ, "cpu", cpu, "mode", "nice");
      }
    }
    if (seconds.isEmpty()) {
      throw new IOException("no cpu lines in " + paths.proc("stat"));
    }
    out.add(seconds.build());
    if (!guestSeconds.isEmpty()) {
      out.add(guestSeconds.build());
    }
  }

  private void cpuinfo(List<MetricFamily> out) throws IOException {
    MetricFamily.Builder infoFamily =
        MetricFamily.builder("node_cpu_info", MetricType.GAUGE)
            .help("CPU information from /proc/cpuinfo.");
    List<Map<String, String>> cpus = new ArrayList<>();
    Map<String, String> current = new LinkedHashMap<>();
    for (String line : HostPaths.lines(paths.proc("cpuinfo"))) {
      int colon = line.indexOf(':');
      if (line.isBlank()) {
        if (!current.isEmpty()) {
          cpus.add(current);
          current = new LinkedHashMap<>();
        }
      } else if (colon > 0) {
        current.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      }
    }
    if (!current.isEmpty()) {
      cpus.add(current);
    }
    for (Map<String, String> c : cpus) {
      if (!c.containsKey("processor")) {
        continue;
      }
      double mhz;
      try {
        mhz = Double.parseDouble(c.getOrDefault("cpu MHz", "0"));
      } catch (NumberFormatException e) {
        mhz = 0;
      }
      infoFamily.sample(
          mhz,
          "package",
          c.getOrDefault("physical id", ""),
          "core",
          c.getOrDefault("core id", ""),
          "cpu",
          c.get("processor"),
          "vendor",
          c.getOrDefault("vendor_id", ""),
          "family",
          c.getOrDefault("cpu family", ""),
          "model",
          c.getOrDefault("model", ""),
          "model_name",
          c.getOrDefault("model name", ""),
          "microcode",
          c.getOrDefault("microcode", ""),
          "stepping",
          c.getOrDefault("stepping", ""),
          "cachesize",
          c.getOrDefault("cache size", ""));
    }
    if (!infoFamily.isEmpty()) {
      out.add(infoFamily.build());
    }
    if (cpus.isEmpty()) {
      return;
    }
    Map<String, String> first = cpus.get(0);
    infoList(
        out,
        "node_cpu_flag_info",
        "The `flags` field of CPU information from /proc/cpuinfo taken from the first core.",
        "flag",
        first.get("flags"),
        flagsInclude);
    infoList(
        out,
        "node_cpu_bug_info",
        "The `bugs` field of CPU information from /proc/cpuinfo taken from the first core.",
        "bug",
        first.get("bugs"),
        bugsInclude);
  }

  private static void infoList(
      List<MetricFamily> out,
      String name,
      String help,
      String label,
      String value,
      Pattern include) {
    if (include == null || value == null) {
      return;
    }
    MetricFamily.Builder b = MetricFamily.builder(name, MetricType.GAUGE).help(help);
    Set<String> seen = new LinkedHashSet<>();
    for (String v : value.split("\\s+")) {
      if (!v.isEmpty() && include.matcher(v).find() && seen.add(v)) {
        b.sample(1, label, v);
      }
    }
    if (!b.isEmpty()) {
      out.add(b.build());
    }
  }

  private void throttles(List<MetricFamily> out) throws IOException {
    MetricFamily.Builder core =
        MetricFamily.builder("node_cpu_core_throttles_total", MetricType.COUNTER)
            .help("Number of times this CPU core has been throttled.");
    MetricFamily.Builder pkg =
        MetricFamily.builder("node_cpu_package_throttles_total", MetricType.COUNTER)
            .help("Number of times this CPU package has been throttled.");
    Set<String> cores = new LinkedHashSet<>();
    Set<String> packages = new LinkedHashSet<>();
    for (Path cpu : HostPaths.list(paths.sys("devices/system/cpu"), "cpu")) {
      String n = cpu.getFileName().toString().substring(3);
      if (n.isEmpty() || !n.chars().allMatch(Character::isDigit)) {
        continue;
      }
      String packageId = HostPaths.textOrNull(cpu.resolve("topology/physical_package_id"));
      String coreId = HostPaths.textOrNull(cpu.resolve("topology/core_id"));
      if (packageId == null || coreId == null) {
        continue;
      }
      Double coreCount =
          HostPaths.numberOrNull(cpu.resolve("thermal_throttle/core_throttle_count"));
      if (coreCount != null && cores.add(packageId + "/" + coreId)) {
        core.sample(coreCount, "core", coreId, "package", packageId);
      }
      Double pkgCount =
          HostPaths.numberOrNull(cpu.resolve("thermal_throttle/package_throttle_count"));
      if (pkgCount != null && packages.add(packageId)) {
        pkg.sample(pkgCount, "package", packageId);
      }
    }
    if (!core.isEmpty()) {
      out.add(core.build());
    }
    if (!pkg.isEmpty()) {
      out.add(pkg.build());
    }
  }

  private void isolated(List<MetricFamily> out) {
    String list = HostPaths.textOrNull(paths.sys("devices/system/cpu/isolated"));
    if (list == null || list.isEmpty()) {
      return;
    }
    MetricFamily.Builder b =
        MetricFamily.builder("node_cpu_isolated", MetricType.GAUGE)
            .help(
                "Whether each core is isolated, information from /sys/devices/system/cpu/isolated.");
    for (String part : list.split(",")) {
      String[] range = part.strip().split("-");
      try {
        int from = Integer.parseInt(range[0]);
        int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
        for (int c = from; c <= to; c++) {
          b.sample(1, "cpu", String.valueOf(c));
        }
      } catch (NumberFormatException e) {
        return; // node_exporter logs and skips an unparsable list
      }
    }
    out.add(b.build());
  }
}
