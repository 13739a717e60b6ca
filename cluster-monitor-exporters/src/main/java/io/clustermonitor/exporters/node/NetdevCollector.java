package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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

  /**
   * node_exporter 1.7's netlink statistic names (with {@code enable-detailed-metrics}) and the
   * /sys/class/net/&lt;dev&gt;/statistics file each one is read from.
   */
  private static final String[][] DETAILED = {
    {"receive_packets", "rx_packets"},
    {"transmit_packets", "tx_packets"},
    {"receive_bytes", "rx_bytes"},
    {"transmit_bytes", "tx_bytes"},
    {"receive_errors", "rx_errors"},
    {"transmit_errors", "tx_errors"},
    {"receive_dropped", "rx_dropped"},
    {"transmit_dropped", "tx_dropped"},
    {"multicast", "multicast"},
    {"collisions", "collisions"},
    {"receive_length_errors", "rx_length_errors"},
    {"receive_over_errors", "rx_over_errors"},
    {"receive_crc_errors", "rx_crc_errors"},
    {"receive_frame_errors", "rx_frame_errors"},
    {"receive_fifo_errors", "rx_fifo_errors"},
    {"receive_missed_errors", "rx_missed_errors"},
    {"transmit_aborted_errors", "tx_aborted_errors"},
    {"transmit_carrier_errors", "tx_carrier_errors"},
    {"transmit_fifo_errors", "tx_fifo_errors"},
    {"transmit_heartbeat_errors", "tx_heartbeat_errors"},
    {"transmit_window_errors", "tx_window_errors"},
    {"receive_compressed", "rx_compressed"},
    {"transmit_compressed", "tx_compressed"},
    {"receive_nohandler", "rx_nohandler"},
  };

  private final HostPaths paths;
  private final NetFamilies.DeviceFilter filter;
  private final boolean addressInfo;
  private final boolean detailed;

  NetdevCollector(HostPaths paths) {
    this(paths, "", "");
  }

  NetdevCollector(HostPaths paths, String deviceExclude, String deviceInclude) {
    this(paths, deviceExclude, deviceInclude, false, false);
  }

  /**
   * @param deviceExclude {@code --collector.netdev.device-exclude} (default empty: none)
   * @param deviceInclude {@code --collector.netdev.device-include} (default empty: all)
   * @param addressInfo {@code --collector.netdev.address-info} (default false): {@code
   *     node_network_address_info} for the addresses of this process's network namespace
   * @param detailed {@code --collector.netdev.enable-detailed-metrics} (default false): 1.7's
   *     netlink statistic names, read from sysfs
   */
  NetdevCollector(
      HostPaths paths,
      String deviceExclude,
      String deviceInclude,
      boolean addressInfo,
      boolean detailed) {
    this.paths = paths;
    this.filter = NetFamilies.DeviceFilter.of(deviceExclude, deviceInclude);
    this.addressInfo = addressInfo;
    this.detailed = detailed;
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
      if (detailed) {
        addDetailed(families, device);
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
    if (addressInfo) {
      out.add(addressInfo());
    }
  }

  private void addDetailed(Map<String, MetricFamily.Builder> families, String device)
      throws IOException {
    Path stats = paths.sys("class/net/" + device + "/statistics");
    for (String[] d : DETAILED) {
      String text = FibrechannelCollector.optional(stats.resolve(d[1]));
      if (!text.isEmpty()) {
        add(families, d[0], device, NetFamilies.unsigned(Long.parseUnsignedLong(text)));
      }
    }
  }

  /**
   * {@code node_network_address_info}: every address of every interface, as Go's net.Interfaces.
   */
  static MetricFamily addressInfo() throws IOException {
    MetricFamily.Builder b =
        MetricFamily.builder("node_network_address_info", MetricType.GAUGE)
            .help("node network address by device");
    List<NetworkInterface> interfaces =
        NetworkInterface.networkInterfaces()
            .sorted(Comparator.comparingInt(NetworkInterface::getIndex))
            .toList();
    for (NetworkInterface nif : interfaces) {
      for (InterfaceAddress a : nif.getInterfaceAddresses()) {
        InetAddress ip = a.getAddress();
        b.sample(
            1,
            "device",
            nif.getName(),
            "address",
            format(ip),
            "netmask",
            Integer.toString(a.getNetworkPrefixLength()),
            "scope",
            scope(ip));
      }
    }
    return b.build();
  }

  /** The address as Go prints a net.IP (IPv6 compressed, no zone). */
  static String format(InetAddress ip) throws IOException {
    byte[] raw = ip.getAddress();
    if (raw.length == 4) {
      return ip.getHostAddress();
    }
    StringBuilder full = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        full.append(':');
      }
      full.append(String.format("%04x", ((raw[i] & 0xff) << 8) | (raw[i + 1] & 0xff)));
    }
    return IpvsCollector.ipv6(full.toString());
  }

  /** node_exporter's scope(): link-local, interface-local, global or "". */
  static String scope(InetAddress ip) {
    byte[] raw = ip.getAddress();
    boolean interfaceLocalMulticast =
        raw.length == 16 && (raw[0] & 0xff) == 0xff && (raw[1] & 0x0f) == 0x01;
    if (ip.isLoopbackAddress() || ip.isLinkLocalAddress() || ip.isMCLinkLocal()) {
      return "link-local";
    }
    if (interfaceLocalMulticast) {
      return "interface-local";
    }
    if (!ip.isAnyLocalAddress() && !ip.isMulticastAddress()) {
      return "global";
    }
    return "";
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
