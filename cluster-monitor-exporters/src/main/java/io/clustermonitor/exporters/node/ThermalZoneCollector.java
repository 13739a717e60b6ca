package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.nio.file.Path;
import java.util.List;

/** Thermal zones and cooling devices from /sys/class/thermal. */
final class ThermalZoneCollector implements SubCollector {
  private final HostPaths paths;

  ThermalZoneCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "thermal_zone";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Path dir = paths.sys("class/thermal");
    MetricFamily.Builder temp =
        MetricFamily.builder("node_thermal_zone_temp", MetricType.GAUGE)
            .help("Zone temperature in Celsius");
    for (Path zone : HostPaths.list(dir, "thermal_zone")) {
      String type = HostPaths.textOrNull(zone.resolve("type"));
      Double t = HostPaths.numberOrNull(zone.resolve("temp"));
      if (type == null || t == null) {
        continue; // node_exporter skips zones it cannot read
      }
      String n = zone.getFileName().toString().substring("thermal_zone".length());
      temp.sample(t / 1000.0, "type", type, "zone", n);
    }
    MetricFamily.Builder cur =
        MetricFamily.builder("node_cooling_device_cur_state", MetricType.GAUGE)
            .help("Current throttle state of the cooling device");
    MetricFamily.Builder max =
        MetricFamily.builder("node_cooling_device_max_state", MetricType.GAUGE)
            .help("Maximum throttle state of the cooling device");
    for (Path dev : HostPaths.list(dir, "cooling_device")) {
      String type = HostPaths.textOrNull(dev.resolve("type"));
      Double c = HostPaths.numberOrNull(dev.resolve("cur_state"));
      Double m = HostPaths.numberOrNull(dev.resolve("max_state"));
      if (type == null || c == null || m == null) {
        continue;
      }
      String n = dev.getFileName().toString().substring("cooling_device".length());
      cur.sample(c, "name", n, "type", type);
      max.sample(m, "name", n, "type", type);
    }
    for (MetricFamily.Builder b : List.of(temp, cur, max)) {
      if (!b.isEmpty()) {
        out.add(b.build());
      }
    }
  }
}
