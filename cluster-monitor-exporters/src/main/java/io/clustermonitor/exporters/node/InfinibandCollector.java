package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** {@code node_infiniband_*{device,port}} from /sys/class/infiniband. */
final class InfinibandCollector implements SubCollector {
  /** Counter file (under the port), multiplier, family suffix, help. */
  private static final Object[][] COUNTERS = {
    {
      "counters_ext/port_multicast_rcv_packets",
      1,
      "legacy_multicast_packets_received_total",
      "Number of multicast packets received"
    },
    {
      "counters_ext/port_multicast_xmit_packets",
      1,
      "legacy_multicast_packets_transmitted_total",
      "Number of multicast packets transmitted"
    },
    {
      "counters_ext/port_rcv_data_64",
      4,
      "legacy_data_received_bytes_total",
      "Number of data octets received on all links"
    },
    {
      "counters_ext/port_rcv_packets_64",
      1,
      "legacy_packets_received_total",
      "Number of data packets received on all links"
    },
    {
      "counters_ext/port_unicast_rcv_packets",
      1,
      "legacy_unicast_packets_received_total",
      "Number of unicast packets received"
    },
    {
      "counters_ext/port_unicast_xmit_packets",
      1,
      "legacy_unicast_packets_transmitted_total",
      "Number of unicast packets transmitted"
    },
    {
      "counters_ext/port_xmit_data_64",
      4,
      "legacy_data_transmitted_bytes_total",
      "Number of data octets transmitted on all links"
    },
    {
      "counters_ext/port_xmit_packets_64",
      1,
      "legacy_packets_transmitted_total",
      "Number of data packets received on all links"
    },
    {
      "counters/link_downed",
      1,
      "link_downed_total",
      "Number of times the link failed to recover from an error state and went down"
    },
    {
      "counters/link_error_recovery",
      1,
      "link_error_recovery_total",
      "Number of times the link successfully recovered from an error state"
    },
    {
      "counters/multicast_rcv_packets",
      1,
      "multicast_packets_received_total",
      "Number of multicast packets received (including errors)"
    },
    {
      "counters/multicast_xmit_packets",
      1,
      "multicast_packets_transmitted_total",
      "Number of multicast packets transmitted (including errors)"
    },
    {
      "counters/port_rcv_constraint_errors",
      1,
      "port_constraint_errors_received_total",
      "Number of packets received on the switch physical port that are discarded"
    },
    {
      "counters/port_xmit_constraint_errors",
      1,
      "port_constraint_errors_transmitted_total",
      "Number of packets not transmitted from the switch physical port"
    },
    {
      "counters/port_rcv_data",
      4,
      "port_data_received_bytes_total",
      "Number of data octets received on all links"
    },
    {
      "counters/port_xmit_data",
      4,
      "port_data_transmitted_bytes_total",
      "Number of data octets transmitted on all links"
    },
    {
      "counters/port_rcv_discards",
      1,
      "port_discards_received_total",
      "Number of inbound packets discarded by the port because the port is down or congested"
    },
    {
      "counters/port_xmit_discards",
      1,
      "port_discards_transmitted_total",
      "Number of outbound packets discarded by the port because the port is down or congested"
    },
    {
      "counters/port_rcv_errors",
      1,
      "port_errors_received_total",
      "Number of packets containing an error that were received on this port"
    },
    {
      "counters/port_rcv_packets",
      1,
      "port_packets_received_total",
      "Number of packets received on all VLs by this port (including errors)"
    },
    {
      "counters/port_xmit_packets",
      1,
      "port_packets_transmitted_total",
      "Number of packets transmitted on all VLs from this port (including errors)"
    },
    {
      "counters/port_xmit_wait",
      1,
      "port_transmit_wait_total",
      "Number of ticks during which the port had data to transmit but no data was sent during the"
          + " entire tick"
    },
    {
      "counters/unicast_rcv_packets",
      1,
      "unicast_packets_received_total",
      "Number of unicast packets received (including errors)"
    },
    {
      "counters/unicast_xmit_packets",
      1,
      "unicast_packets_transmitted_total",
      "Number of unicast packets transmitted (including errors)"
    },
  };

  private final HostPaths paths;

  InfinibandCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "infiniband";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException, NoDataException {
    Path root = paths.sys("class/infiniband");
    List<Path> devices = list(root);
    if (devices == null) {
      throw new NoDataException("infiniband statistics not found: " + root);
    }
    NetFamilies f = new NetFamilies();
    for (Path dev : devices) {
      String device = dev.getFileName().toString();
      f.add(
          "node_infiniband_info",
          MetricType.GAUGE,
          "Non-numeric data from /sys/class/infiniband/<device>, value is always 1.",
          1,
          "device",
          device,
          "board_id",
          FibrechannelCollector.optional(dev.resolve("board_id")),
          "firmware_version",
          FibrechannelCollector.optional(dev.resolve("fw_ver")),
          "hca_type",
          FibrechannelCollector.optional(dev.resolve("hca_type")));
      List<Path> ports = list(dev.resolve("ports"));
      if (ports == null) {
        continue;
      }
      ports.sort(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString())));
      for (Path port : ports) {
        String p = port.getFileName().toString();
        f.add(
            "node_infiniband_state_id",
            MetricType.GAUGE,
            "State of the InfiniBand port (0: no change, 1: down, 2: init, 3: armed, 4: active, 5:"
                + " act defer)",
            stateId(HostPaths.text(port.resolve("state"))),
            "device",
            device,
            "port",
            p);
        f.add(
            "node_infiniband_physical_state_id",
            MetricType.GAUGE,
            "Physical state of the InfiniBand port (0: no change, 1: sleep, 2: polling, 3: disable,"
                + " 4: shift, 5: link up, 6: link error recover, 7: phytest)",
            stateId(HostPaths.text(port.resolve("phys_state"))),
            "device",
            device,
            "port",
            p);
        f.add(
            "node_infiniband_rate_bytes_per_second",
            MetricType.GAUGE,
            "Maximum signal transfer rate",
            rate(HostPaths.text(port.resolve("rate"))),
            "device",
            device,
            "port",
            p);
        for (Object[] c : COUNTERS) {
          String text = FibrechannelCollector.optional(port.resolve((String) c[0]));
          if (text.isEmpty() || text.startsWith("N/A")) {
            continue;
          }
          double v = NetFamilies.unsigned(Long.parseUnsignedLong(text)) * (Integer) c[1];
          f.add(
              "node_infiniband_" + c[2],
              MetricType.COUNTER,
              (String) c[3],
              v,
              "device",
              device,
              "port",
              p);
        }
      }
    }
    f.drainTo(out);
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(s.sorted().toList());
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** "4: ACTIVE" gives 4. */
  static double stateId(String text) throws IOException {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IOException("failed to split '" + text + "' into 'ID: NAME'");
    }
    return Long.parseLong(text.substring(0, colon).trim());
  }

  /** "100 Gb/sec (4X EDR)" in bytes per second. */
  static double rate(String text) throws IOException {
    String[] f = text.trim().split("\\s+");
    if (f.length < 2) {
      throw new IOException("unexpected InfiniBand rate: " + text);
    }
    return (double) (long) (Double.parseDouble(f[0]) * 125_000_000);
  }
}
