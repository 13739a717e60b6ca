package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code node_network_*{device}} device properties from /sys/class/net/&lt;iface&gt; (the sysfs
 * mode of node_exporter 1.7, its default; {@code --collector.netclass.netlink} is not available).
 */
final class NetclassCollector implements SubCollector {
  /** node_exporter's default {@code --collector.netclass.ignored-devices}. */
  static final String DEFAULT_IGNORED_DEVICES = "^$";

  /** sysfs attribute, family suffix, type; in node_exporter's order. */
  private static final String[][] NUMERIC = {
    {"addr_assign_type", "address_assign_type", "gauge"},
    {"carrier", "carrier", "gauge"},
    {"carrier_changes", "carrier_changes_total", "counter"},
    {"carrier_up_count", "carrier_up_changes_total", "counter"},
    {"carrier_down_count", "carrier_down_changes_total", "counter"},
    {"dev_id", "device_id", "gauge"},
    {"dormant", "dormant", "gauge"},
    {"flags", "flags", "gauge"},
    {"ifindex", "iface_id", "gauge"},
    {"iflink", "iface_link", "gauge"},
    {"link_mode", "iface_link_mode", "gauge"},
    {"mtu", "mtu_bytes", "gauge"},
    {"name_assign_type", "name_assign_type", "gauge"},
    {"netdev_group", "net_dev_group", "gauge"},
  };

  private final HostPaths paths;
  private final Pattern ignored;
  private final boolean ignoreInvalidSpeed;

  /**
   * @param ignoredDevices {@code --collector.netclass.ignored-devices} (default {@code ^$})
   * @param ignoreInvalidSpeed {@code --collector.netclass.ignore-invalid-speed} (default false)
   */
  NetclassCollector(HostPaths paths, String ignoredDevices, boolean ignoreInvalidSpeed) {
    this.paths = paths;
    this.ignored = Pattern.compile(ignoredDevices);
    this.ignoreInvalidSpeed = ignoreInvalidSpeed;
  }

  @Override
  public String name() {
    return "netclass";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException, NoDataException {
    Path root = paths.sys("class/net");
    List<Path> devices = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.filter(p -> !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .forEach(devices::add);
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw new NoDataException("could not read netclass directory: " + root);
    }
    NetFamilies f = new NetFamilies();
    for (Path dir : devices) {
      String device = dir.getFileName().toString();
      if (ignored.matcher(device).find()) {
        continue;
      }
      Map<String, String> attrs = readAttributes(dir);
      String operstate = attrs.getOrDefault("operstate", "");
      f.add(
          "node_network_up",
          MetricType.GAUGE,
          "Value is 1 if operstate is 'up', 0 otherwise.",
          operstate.equals("up") ? 1 : 0,
          "device",
          device);
      Long flags = integer(attrs.get("flags"));
      f.add(
          "node_network_info",
          MetricType.GAUGE,
          "Non-numeric data from /sys/class/net/<iface>, value is always 1.",
          1,
          "device",
          device,
          "address",
          attrs.getOrDefault("address", ""),
          "broadcast",
          attrs.getOrDefault("broadcast", ""),
          "duplex",
          attrs.getOrDefault("duplex", ""),
          "operstate",
          operstate,
          "adminstate",
          flags == null ? "unknown" : (flags & 1) == 1 ? "up" : "down",
          "ifalias",
          attrs.getOrDefault("ifalias", ""));
      for (String[] n : NUMERIC) {
        push(f, n[1], n[2], integer(attrs.get(n[0])), device);
      }
      Long speed = integer(attrs.get("speed"));
      if (speed != null && (speed >= 0 || !ignoreInvalidSpeed)) {
        push(f, "speed_bytes", "gauge", speed * 1000 * 1000 / 8, device);
      }
      push(f, "transmit_queue_length", "gauge", integer(attrs.get("tx_queue_len")), device);
      push(f, "protocol_type", "gauge", integer(attrs.get("type")), device);
    }
    f.drainTo(out);
  }

  private static void push(NetFamilies f, String name, String type, Long value, String device) {
    if (value == null) {
      return;
    }
    f.add(
        "node_network_" + name,
        type.equals("counter") ? MetricType.COUNTER : MetricType.GAUGE,
        "Network device property: " + name,
        value,
        "device",
        device);
  }

  /**
   * The attributes node_exporter reports, trimmed; missing or unreadable ones (EINVAL on a down
   * link, EOPNOTSUPP, permission) are skipped as procfs does.
   */
  private static Map<String, String> readAttributes(Path dir) throws IOException {
    Map<String, String> attrs = new HashMap<>();
    for (String name : WANTED) {
      Path file = dir.resolve(name);
      try {
        attrs.put(name, HostPaths.text(file));
      } catch (IOException e) {
        if (!NetFamilies.ignorableSysfsError(e) && !Files.isDirectory(file)) {
          throw new IOException("failed to read file " + file + ": " + e.getMessage(), e);
        }
      }
    }
    return attrs;
  }

  private static final java.util.Set<String> WANTED =
      java.util.Set.of(
          "addr_assign_type",
          "address",
          "broadcast",
          "carrier",
          "carrier_changes",
          "carrier_up_count",
          "carrier_down_count",
          "dev_id",
          "dormant",
          "duplex",
          "flags",
          "ifalias",
          "ifindex",
          "iflink",
          "link_mode",
          "mtu",
          "name_assign_type",
          "netdev_group",
          "operstate",
          "speed",
          "tx_queue_len",
          "type");

  /** Go's strconv.ParseInt(s, 0, 64): decimal, 0x hex or 0 octal; null when unparsable. */
  static Long integer(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      String t = text;
      boolean neg = t.startsWith("-");
      if (neg || t.startsWith("+")) {
        t = t.substring(1);
      }
      long v;
      if (t.startsWith("0x") || t.startsWith("0X")) {
        v = Long.parseLong(t.substring(2), 16);
      } else if (t.length() > 1 && t.startsWith("0")) {
        v = Long.parseLong(t.substring(1), 8);
      } else {
        v = Long.parseLong(t);
      }
      return neg ? -v : v;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
