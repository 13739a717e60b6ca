package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hardware sensors from /sys/class/hwmon (Documentation/hwmon/sysfs-interface): {@code
 * node_hwmon_<type>[_<property>]_<unit>{chip,sensor}} with the kernel's milli/micro units scaled to
 * volts, amps, celsius, watts and joules; {@code node_hwmon_chip_names} and {@code
 * node_hwmon_sensor_label}.
 */
final class HwmonCollector implements SubCollector {
  private static final Pattern SENSOR_FILE = Pattern.compile("^([a-z_]+?)([0-9]*)(?:_(.+))?$");
  private static final Set<String> TYPES =
      Set.of(
          "vrm",
          "beep_enable",
          "update_interval",
          "in",
          "cpu",
          "fan",
          "pwm",
          "temp",
          "curr",
          "power",
          "energy",
          "humidity",
          "intrusion");

  /** Whole-file sensors whose names contain an underscore. */
  private static final Set<String> WHOLE = Set.of("beep_enable", "update_interval", "vrm");

  private static final Pattern INVALID = Pattern.compile("[^a-z0-9:_]");

  private final HostPaths paths;
  private final Pattern chipInclude;
  private final Pattern chipExclude;

  HwmonCollector(HostPaths paths, Pattern chipInclude, Pattern chipExclude) {
    this.paths = paths;
    this.chipInclude = chipInclude;
    this.chipExclude = chipExclude;
  }

  @Override
  public String name() {
    return "hwmon";
  }

  static String clean(String s) {
    return INVALID.matcher(s.toLowerCase(Locale.ROOT)).replaceAll("_");
  }

  /** The chip label: {@code <device class>_<device>} from the device link, else the name file. */
  static String chipName(Path dir) {
    Path device = dir.resolve("device");
    try {
      if (Files.exists(device)) {
        Path real = device.toRealPath();
        Path parent = real.getParent();
        String devName = clean(real.getFileName().toString());
        String devType = parent == null ? "" : clean(parent.getFileName().toString());
        if (!devName.isEmpty() && !devType.isEmpty()) {
          return devType + "_" + devName;
        }
      }
    } catch (IOException e) {
      // fall through to the name file
    }
    String name = HostPaths.textOrNull(dir.resolve("name"));
    if (name != null && !name.isEmpty()) {
      return clean(name);
    }
    return dir.getFileName().toString();
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Path root = paths.sys("class/hwmon");
    if (!Files.isDirectory(root)) {
      throw new NoDataException("hwmon class does not exist: " + root);
    }
    Map<String, MetricFamily.Builder> families = new TreeMap<>();
    for (Path dir : HostPaths.list(root, "")) {
      String chip = chipName(dir);
      if (chipInclude != null && !chipInclude.matcher(chip).find()
          || chipExclude != null && chipExclude.matcher(chip).find()) {
        continue;
      }
      String human = HostPaths.textOrNull(dir.resolve("name"));
      if (human != null) {
        family(families, "node_hwmon_chip_names", "Annotation metric for human-readable chip names")
            .sample(1, "chip", chip, "chip_name", human);
      }
      // sensor -> property -> raw value, from the hwmon directory and (older drivers) device/
      Map<String, Map<String, String>> sensors = new TreeMap<>();
      for (Path base : List.of(dir, dir.resolve("device"))) {
        for (Path file : HostPaths.list(base, "")) {
          if (Files.isDirectory(file)) {
            continue;
          }
          String fileName = file.getFileName().toString();
          String type;
          String num;
          String property;
          if (WHOLE.contains(fileName)) {
            type = fileName;
            num = "";
            property = "";
          } else {
            Matcher m = SENSOR_FILE.matcher(fileName);
            if (!m.matches() || !TYPES.contains(m.group(1))) {
              continue;
            }
            type = m.group(1);
            num = m.group(2);
            property = m.group(3) == null ? "" : m.group(3);
          }
          String value = HostPaths.textOrNull(file);
          if (value == null) {
            continue;
          }
          sensors
              .computeIfAbsent(type + "\u0000" + num, k -> new TreeMap<>())
              .putIfAbsent(property, value);
        }
      }
      for (Map.Entry<String, Map<String, String>> e : sensors.entrySet()) {
        String type = e.getKey().substring(0, e.getKey().indexOf('\u0000'));
        String sensor = e.getKey().replace("\u0000", "");
        Map<String, String> data = e.getValue();
        String[] labels = {"chip", chip, "sensor", sensor};
        if (data.containsKey("label")) {
          family(families, "node_hwmon_sensor_label", "Label for given chip and sensor")
              .sample(1, "chip", chip, "label", data.get("label"), "sensor", sensor);
        }
        if (type.equals("beep_enable")) {
          gauge(
              families,
              "node_hwmon_beep_enabled",
              "Hardware beep enabled",
              data.get(""),
              1,
              labels);
          continue;
        }
        if (type.equals("vrm")) {
          gauge(
              families,
              "node_hwmon_voltage_regulator_version",
              "Hardware voltage regulator",
              data.get(""),
              1,
              labels);
          continue;
        }
        if (type.equals("update_interval")) {
          gauge(
              families,
              "node_hwmon_update_interval_seconds",
              "Hardware monitor update interval",
              data.get(""),
              0.001,
              labels);
          continue;
        }
        for (Map.Entry<String, String> p : data.entrySet()) {
          String element = p.getKey();
          if (element.equals("label")) {
            continue;
          }
          String name = "node_hwmon_" + type;
          if (element.equals("input")) {
            if (data.containsKey("")) {
              name += "_input";
            }
          } else if (!element.isEmpty()) {
            name += "_" + element;
          }
          name = name.replaceAll("[^a-zA-Z0-9_:]", "_");
          if (element.equals("fault") || element.equals("alarm")) {
            gauge(
                families,
                name,
                "Hardware sensor " + element + " status (" + type + ")",
                p.getValue(),
                1,
                labels);
            continue;
          }
          if (element.equals("beep")) {
            gauge(
                families,
                name + "_enabled",
                "Hardware monitor sensor has beeping enabled",
                p.getValue(),
                1,
                labels);
            continue;
          }
          String help = "Hardware monitor for " + type + " (" + element + ")";
          double scale = 1;
          String unit = "";
          switch (type) {
            case "in", "cpu" -> {
              unit = "_volts";
              scale = 0.001;
            }
            case "temp" -> {
              if (!element.equals("type")) {
                unit = "_celsius";
                scale = 0.001;
              }
            }
            case "curr" -> {
              unit = "_amps";
              scale = 0.001;
            }
            case "power" -> {
              if (!element.contains("interval")) {
                unit = "_watt";
                scale = 1e-6;
              }
            }
            case "energy" -> {
              unit = "_joule_total";
              scale = 1e-6;
            }
            case "fan" -> {
              if (Set.of("input", "min", "max", "target", "div").contains(element)) {
                unit = element.equals("div") ? "" : "_rpm";
              }
            }
            default -> {}
          }
          gauge(families, name + unit, help, p.getValue(), scale, labels);
        }
      }
    }
    for (MetricFamily.Builder b : families.values()) {
      out.add(b.build());
    }
  }

  private static MetricFamily.Builder family(
      Map<String, MetricFamily.Builder> families, String name, String help) {
    return families.computeIfAbsent(
        name, n -> MetricFamily.builder(n, MetricType.GAUGE).help(help));
  }

  private static void gauge(
      Map<String, MetricFamily.Builder> families,
      String name,
      String help,
      String raw,
      double scale,
      String... labels) {
    if (raw == null) {
      return;
    }
    double v;
    try {
      v = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      return; // node_exporter skips values it cannot parse
    }
    family(families, name, help).sample(v * scale, labels);
  }
}
