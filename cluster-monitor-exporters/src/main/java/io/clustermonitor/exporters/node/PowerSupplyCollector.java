package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code node_power_supply_*} from /sys/class/power_supply (Documentation/ABI/testing/
 * sysfs-class-power): plain values, micro-units (µA, µV, µWh, µW, µAh) ÷ 10⁶, temperatures in
 * tenths of a degree ÷ 10, and {@code node_power_supply_info} with the text attributes.
 */
final class PowerSupplyCollector implements SubCollector {
  /** metric suffix, sysfs file, divisor. */
  private static final String[][] VALUES = {
    {"authentic", "authentic", "1"},
    {"calibrate", "calibrate", "1"},
    {"capacity", "capacity", "1"},
    {"capacity_alert_max", "capacity_alert_max", "1"},
    {"capacity_alert_min", "capacity_alert_min", "1"},
    {"cyclecount", "cycle_count", "1"},
    {"online", "online", "1"},
    {"present", "present", "1"},
    {"time_to_empty_seconds", "time_to_empty_now", "1"},
    {"time_to_full_seconds", "time_to_full_now", "1"},
    {"current_boot", "current_boot", "1e6"},
    {"current_max", "current_max", "1e6"},
    {"current_ampere", "current_now", "1e6"},
    {"energy_empty", "energy_empty", "1e6"},
    {"energy_empty_design", "energy_empty_design", "1e6"},
    {"energy_full", "energy_full", "1e6"},
    {"energy_full_design", "energy_full_design", "1e6"},
    {"energy_watthour", "energy_now", "1e6"},
    {"voltage_boot", "voltage_boot", "1e6"},
    {"voltage_max", "voltage_max", "1e6"},
    {"voltage_max_design", "voltage_max_design", "1e6"},
    {"voltage_min", "voltage_min", "1e6"},
    {"voltage_min_design", "voltage_min_design", "1e6"},
    {"voltage_volt", "voltage_now", "1e6"},
    {"voltage_ocv", "voltage_ocv", "1e6"},
    {"charge_control_limit", "charge_control_limit", "1e6"},
    {"charge_control_limit_max", "charge_control_limit_max", "1e6"},
    {"charge_counter", "charge_counter", "1e6"},
    {"charge_empty", "charge_empty", "1e6"},
    {"charge_empty_design", "charge_empty_design", "1e6"},
    {"charge_full", "charge_full", "1e6"},
    {"charge_full_design", "charge_full_design", "1e6"},
    {"charge_ampere", "charge_now", "1e6"},
    {"charge_term_current", "charge_term_current", "1e6"},
    {"constant_charge_current", "constant_charge_current", "1e6"},
    {"constant_charge_current_max", "constant_charge_current_max", "1e6"},
    {"constant_charge_voltage", "constant_charge_voltage", "1e6"},
    {"constant_charge_voltage_max", "constant_charge_voltage_max", "1e6"},
    {"precharge_current", "precharge_current", "1e6"},
    {"input_current_limit", "input_current_limit", "1e6"},
    {"power_watt", "power_now", "1e6"},
    {"temp_celsius", "temp", "10"},
    {"temp_alert_max_celsius", "temp_alert_max", "10"},
    {"temp_alert_min_celsius", "temp_alert_min", "10"},
    {"temp_ambient_celsius", "temp_ambient", "10"},
    {"temp_ambient_max_celsius", "temp_ambient_max", "10"},
    {"temp_ambient_min_celsius", "temp_ambient_min", "10"},
    {"temp_max_celsius", "temp_max", "10"},
    {"temp_min_celsius", "temp_min", "10"},
  };

  private static final String[] INFO = {
    "capacity_level",
    "charge_type",
    "health",
    "manufacturer",
    "model_name",
    "scope",
    "serial_number",
    "status",
    "technology",
    "type",
    "usb_type"
  };

  private final HostPaths paths;
  private final Pattern ignored;

  PowerSupplyCollector(HostPaths paths, Pattern ignored) {
    this.paths = paths;
    this.ignored = ignored == null ? Pattern.compile("^$") : ignored;
  }

  @Override
  public String name() {
    return "powersupplyclass";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Map<String, MetricFamily.Builder> families = new TreeMap<>();
    for (Path supply : HostPaths.list(paths.sys("class/power_supply"), "")) {
      String name = supply.getFileName().toString();
      if (ignored.matcher(name).find()) {
        continue;
      }
      for (String[] v : VALUES) {
        Double raw = HostPaths.numberOrNull(supply.resolve(v[1]));
        if (raw == null) {
          continue;
        }
        String metric = "node_power_supply_" + v[0];
        families
            .computeIfAbsent(
                metric,
                n ->
                    MetricFamily.builder(n, MetricType.GAUGE)
                        .help(v[0] + " value of /sys/class/power_supply/<power_supply>."))
            .sample(raw / Double.parseDouble(v[2]), "power_supply", name);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("power_supply", name);
      for (String key : INFO) {
        String s = HostPaths.textOrNull(supply.resolve(key));
        if (s != null && !s.isEmpty()) {
          labels.put(key, s);
        }
      }
      families
          .computeIfAbsent(
              "node_power_supply_info",
              n ->
                  MetricFamily.builder(n, MetricType.GAUGE)
                      .help("info of /sys/class/power_supply/<power_supply>."))
          .sample(1, labels);
    }
    for (MetricFamily.Builder b : families.values()) {
      out.add(b.build());
    }
  }
}
