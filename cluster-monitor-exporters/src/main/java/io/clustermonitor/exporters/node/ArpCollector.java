package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code node_arp_entries{device}} from /proc/net/arp. node_exporter 1.7 asks the kernel over
 * netlink by default ({@code --collector.arp.netlink}); the JDK has no netlink sockets, so this
 * reads the /proc file 1.7 uses with {@code --no-collector.arp.netlink}. Both skip NOARP entries.
 */
final class ArpCollector implements SubCollector {
  private final HostPaths paths;
  private final NetFamilies.DeviceFilter filter;

  /**
   * @param deviceExclude {@code --collector.arp.device-exclude} (empty: none)
   * @param deviceInclude {@code --collector.arp.device-include} (empty: all)
   */
  ArpCollector(HostPaths paths, String deviceExclude, String deviceInclude) {
    this.paths = paths;
    this.filter = NetFamilies.DeviceFilter.of(deviceExclude, deviceInclude);
  }

  @Override
  public String name() {
    return "arp";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    Map<String, Integer> entries = new TreeMap<>();
    for (String line : HostPaths.lines(paths.proc("net/arp"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 9 || line.isBlank()) {
        continue; // the header "IP address HW type Flags HW address Mask Device"
      }
      if (f.length != 6) {
        throw new IOException(f.length + " columns found in /proc/net/arp, but expected 6");
      }
      entries.merge(f[5], 1, Integer::sum);
    }
    MetricFamily.Builder b =
        MetricFamily.builder("node_arp_entries", MetricType.GAUGE).help("ARP entries by device");
    entries.forEach(
        (device, n) -> {
          if (!filter.ignored(device)) {
            b.sample(n, "device", device);
          }
        });
    if (!b.isEmpty()) {
      out.add(b.build());
    }
  }
}
