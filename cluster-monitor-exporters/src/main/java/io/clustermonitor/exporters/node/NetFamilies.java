package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Families built sample by sample, in first-use order, plus small helpers shared by the network
 * collectors (device filters, sysfs error classes).
 */
final class NetFamilies {
  private final Map<String, MetricFamily.Builder> builders = new LinkedHashMap<>();

  MetricFamily.Builder family(String name, MetricType type, String help) {
    return builders.computeIfAbsent(name, n -> MetricFamily.builder(n, type).help(help));
  }

  void add(String name, MetricType type, String help, double value, String... labels) {
    family(name, type, help).sample(value, labels);
  }

  void drainTo(List<MetricFamily> out) {
    for (MetricFamily.Builder b : builders.values()) {
      if (!b.isEmpty()) {
        out.add(b.build());
      }
    }
  }

  /** An unsigned 64-bit value as a double. */
  static double unsigned(long v) {
    return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
  }

  /** Whether a read error means "attribute not there", as procfs' sysfs readers skip it. */
  static boolean ignorableSysfsError(IOException e) {
    if (e instanceof NoSuchFileException || e instanceof AccessDeniedException) {
      return true;
    }
    String m = String.valueOf(e.getMessage());
    return m.contains("Invalid argument")
        || m.contains("Operation not supported")
        || m.contains("No such device")
        || m.contains("Not supported");
  }

  /** node_exporter's deviceFilter: exclude wins when set, else include when set, else all. */
  record DeviceFilter(Pattern exclude, Pattern include) {
    static final DeviceFilter ALL = new DeviceFilter(null, null);

    static DeviceFilter of(String exclude, String include) {
      boolean ex = exclude != null && !exclude.isEmpty();
      boolean in = include != null && !include.isEmpty();
      if (ex && in) {
        throw new IllegalArgumentException(
            "device-exclude & device-include are mutually exclusive");
      }
      return new DeviceFilter(
          ex ? Pattern.compile(exclude) : null, in ? Pattern.compile(include) : null);
    }

    boolean ignored(String device) {
      return (exclude != null && exclude.matcher(device).find())
          || (include != null && !include.matcher(device).find());
    }
  }
}
