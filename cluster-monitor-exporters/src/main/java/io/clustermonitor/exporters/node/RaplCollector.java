package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RAPL energy counters from /sys/class/powercap/intel-rapl*: {@code node_rapl_<zone>_joules_total}
 * or, with {@code --collector.rapl.enable-zone-label}, {@code node_rapl_joules_total{rapl_zone}}.
 */
final class RaplCollector implements SubCollector {
  private final HostPaths paths;
  private final boolean zoneLabel;

  RaplCollector(HostPaths paths, boolean zoneLabel) {
    this.paths = paths;
    this.zoneLabel = zoneLabel;
  }

  @Override
  public String name() {
    return "rapl";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Path dir = paths.sys("class/powercap");
    if (!Files.isDirectory(dir)) {
      throw new NoDataException("powercap class does not exist: " + dir);
    }
    Map<String, MetricFamily.Builder> families = new LinkedHashMap<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (Path zone : HostPaths.list(dir, "intel-rapl")) {
      String dirName = zone.getFileName().toString();
      String name = HostPaths.textOrNull(zone.resolve("name"));
      if (name == null || !dirName.contains(":")) {
        continue; // the bare "intel-rapl" control type directory
      }
      double microJoules = Double.parseDouble(HostPaths.text(zone.resolve("energy_uj")));
      // zone "package-0" is named "package" with index 0; others count their own occurrences
      String zoneName = name;
      int index;
      int dash = name.lastIndexOf('-');
      if (dash > 0 && name.substring(dash + 1).chars().allMatch(Character::isDigit)) {
        zoneName = name.substring(0, dash);
        index = Integer.parseInt(name.substring(dash + 1));
      } else {
        index = seen.merge(name, 1, Integer::sum) - 1;
      }
      String path = zone.toString();
      if (zoneLabel) {
        families
            .computeIfAbsent(
                "node_rapl_joules_total",
                n ->
                    MetricFamily.builder(n, MetricType.COUNTER)
                        .help("Current RAPL value in joules"))
            .sample(
                microJoules / 1e6, "index", String.valueOf(index), "path", path, "rapl_zone", name);
      } else {
        String base = zoneName;
        String metric = "node_rapl_" + base.replaceAll("[^a-zA-Z0-9_]", "_") + "_joules_total";
        families
            .computeIfAbsent(
                metric,
                n ->
                    MetricFamily.builder(n, MetricType.COUNTER)
                        .help("Current RAPL " + base + " value in joules"))
            .sample(microJoules / 1e6, "index", String.valueOf(index), "path", path);
      }
    }
    for (MetricFamily.Builder b : families.values()) {
      out.add(b.build());
    }
  }
}
