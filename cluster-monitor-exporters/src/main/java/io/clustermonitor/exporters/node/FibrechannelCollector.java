package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@code node_fibrechannel_*{fc_host}} from /sys/class/fc_host/&lt;host&gt;. */
final class FibrechannelCollector implements SubCollector {
  private static final String[] INFO = {
    "speed",
    "port_state",
    "port_type",
    "port_id",
    "port_name",
    "fabric_name",
    "symbolic_name",
    "supported_classes",
    "supported_speeds",
    "dev_loss_tmo"
  };

  /** statistics/ file, family suffix, help. */
  private static final String[][] COUNTERS = {
    {"dumped_frames", "dumped_frames_total", "Number of dumped frames"},
    {"error_frames", "error_frames_total", "Number of errors in frames"},
    {"invalid_crc_count", "invalid_crc_total", "Invalid Cyclic Redundancy Check count"},
    {"rx_frames", "rx_frames_total", "Number of frames received"},
    {"rx_words", "rx_words_total", "Number of words received by host port"},
    {"tx_frames", "tx_frames_total", "Number of frames transmitted by host port"},
    {"tx_words", "tx_words_total", "Number of words transmitted by host port"},
    {
      "seconds_since_last_reset",
      "seconds_since_last_reset_total",
      "Number of seconds since last host port reset"
    },
    {
      "invalid_tx_word_count",
      "invalid_tx_words_total",
      "Number of invalid words transmitted by host port"
    },
    {"link_failure_count", "link_failure_total", "Number of times the host port link has failed"},
    {
      "loss_of_sync_count",
      "loss_of_sync_total",
      "Number of failures on either bit or transmission word boundaries"
    },
    {"loss_of_signal_count", "loss_of_signal_total", "Number of times signal has been lost"},
    {"nos_count", "nos_total", "Number Not_Operational Primitive Sequence received by host port"},
    {"fcp_packet_aborts", "fcp_packet_aborts_total", "Number of aborted packets"},
  };

  private final HostPaths paths;

  FibrechannelCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "fibrechannel";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException, NoDataException {
    Path root = paths.sys("class/fc_host");
    List<Path> hosts = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.sorted().forEach(hosts::add);
    } catch (NoSuchFileException e) {
      throw new NoDataException("fibrechannel statistics not found: " + root);
    }
    NetFamilies f = new NetFamilies();
    for (Path host : hosts) {
      String name = host.getFileName().toString();
      List<String> labels = new ArrayList<>(List.of("fc_host", name));
      for (String attr : INFO) {
        labels.add(attr);
        labels.add(optional(host.resolve(attr)));
      }
      f.add(
          "node_fibrechannel_info",
          MetricType.GAUGE,
          "Non-numeric data from /sys/class/fc_host/<host>, value is always 1.",
          1,
          labels.toArray(new String[0]));
      for (String[] c : COUNTERS) {
        String text = optional(host.resolve("statistics").resolve(c[0]));
        if (text.isEmpty()) {
          continue;
        }
        long v = parseUnsigned(text);
        if (v == -1L) {
          continue; // 0xffffffffffffffff: not implemented by the HBA firmware
        }
        f.add(
            "node_fibrechannel_" + c[1],
            MetricType.COUNTER,
            c[2],
            NetFamilies.unsigned(v),
            "fc_host",
            name);
      }
    }
    f.drainTo(out);
  }

  /** A sysfs value, or "" when the attribute is missing. */
  static String optional(Path file) throws IOException {
    try {
      return HostPaths.text(file);
    } catch (IOException e) {
      if (NetFamilies.ignorableSysfsError(e)) {
        return "";
      }
      throw e;
    }
  }

  /** Parses decimal or 0x-prefixed hex as an unsigned 64-bit value. */
  static long parseUnsigned(String text) {
    String t = text.trim();
    if (t.startsWith("0x") || t.startsWith("0X")) {
      return Long.parseUnsignedLong(t.substring(2), 16);
    }
    return Long.parseUnsignedLong(t);
  }
}
