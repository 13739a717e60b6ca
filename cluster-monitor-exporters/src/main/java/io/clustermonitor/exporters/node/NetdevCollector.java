package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code node_network_{receive,transmit}_*_total{device}} from /proc/net/dev and sysfs.
 * node_exporter 1.7 reads the same counters over netlink by default and folds them into these
 * legacy names exactly as /proc/net/dev does; {@code rx_nohandler} comes from sysfs here. Like 1.7
 * (and unlike Debian's 1.5 package, which excludes {@code ^lo$}), no device is excluded by default.
 */
final class NetdevCollector implements SubCollector {
  private static final String[] RECEIVE = {
    "bytes", "packets", "errs", "drop", "fifo", "frame", "compressed", "multicast"
  };
  private static final String[] TRANSMIT = {
    "bytes", "packets", "errs", "drop", "fifo", "colls", "carrier", "compressed"
  };

  private final HostPaths paths;
  private final NetFamilies.DeviceFilter filter;

  NetdevCollector(HostPaths paths) {
    this(paths, "", "");
  }

  /**
   * @param deviceExclude {@code --collector.netdev.device-exclude} (default empty: none)
   * @param deviceInclude {@code --collector.netdev.device-include} (default empty: all)
   */
  NetdevCollector(HostPaths paths, String deviceExclude, String deviceInclude) {
    this.paths = paths;
    this.filter = NetFamilies.DeviceFilter.of(deviceExclude, deviceInclude);
  }

  @Override
  public String name() {
    return "netdev";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    Map<String, MetricFamily.Builder> families = new LinkedHashMap<>();
    for (String line : HostPaths.lines(paths.proc("net/dev"))) {
      int colon = line.indexOf(':');
      if (colon < 0 || line.contains("|")) {
        continue;
      }
      String device = line.substring(0, colon).trim();
      if (filter.ignored(device)) {
        continue;
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length < 16) {
        continue;
      }
      for (int i = 0; i < 8; i++) {
        add(families, "receive_" + RECEIVE[i], device, Double.parseDouble(f[i]));
        add(families, "transmit_" + TRANSMIT[i], device, Double.parseDouble(f[i + 8]));
      }
      Path nohandler = paths.sys("class/net/" + device + "/statistics/rx_nohandler");
      if (Files.isReadable(nohandler)) {
        add(families, "receive_nohandler", device, Double.parseDouble(HostPaths.text(nohandler)));
      }
    }
    for (MetricFamily.Builder b : families.values()) {
      out.add(b.build());
    }
  }

  private static void add(
      Map<String, MetricFamily.Builder> families, String stat, String device, double value) {
    families
        .computeIfAbsent(
            stat,
            s ->
                MetricFamily.builder("node_network_" + s + "_total", MetricType.COUNTER)
                    .help("Network device statistic " + s + "."))
        .sample(value, "device", device);
  }
}
