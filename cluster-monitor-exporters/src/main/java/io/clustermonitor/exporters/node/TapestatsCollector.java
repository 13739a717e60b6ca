package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** SCSI tape statistics from /sys/class/scsi_tape/st*&#47;stats (Documentation/scsi/st.rst). */
final class TapestatsCollector implements SubCollector {
  /** metric, file, divisor, type, help. */
  private static final String[][] STATS = {
    {
      "node_tape_io_now",
      "in_flight",
      "1",
      "gauge",
      "The number of I/Os currently outstanding to this device."
    },
    {
      "node_tape_io_time_seconds_total",
      "io_ns",
      "1e9",
      "counter",
      "The amount of time spent waiting for all I/O to complete (including read and write). This includes tape movement commands such as seeking between file or set marks and implicit tape movement such as when rewind on close tape devices are used."
    },
    {
      "node_tape_io_others_total",
      "other_cnt",
      "1",
      "counter",
      "The number of I/Os issued to the tape drive other than read or write commands. The time taken to complete these commands uses the following calculation io_time_seconds_total-read_time_seconds_total-write_time_seconds_total"
    },
    {
      "node_tape_read_bytes_total",
      "read_byte_cnt",
      "1",
      "counter",
      "The number of bytes read from the tape drive."
    },
    {
      "node_tape_reads_completed_total",
      "read_cnt",
      "1",
      "counter",
      "The number of read requests issued to the tape drive."
    },
    {
      "node_tape_read_time_seconds_total",
      "read_ns",
      "1e9",
      "counter",
      "The amount of time spent waiting for read requests to complete."
    },
    {
      "node_tape_residual_total",
      "resid_cnt",
      "1",
      "counter",
      "The number of times during a read or write we found the residual amount to be non-zero. This should mean that a program is issuing a read larger thean the block size on tape. For write not all data made it to tape."
    },
    {
      "node_tape_written_bytes_total",
      "write_byte_cnt",
      "1",
      "counter",
      "The number of bytes written to the tape drive."
    },
    {
      "node_tape_writes_completed_total",
      "write_cnt",
      "1",
      "counter",
      "The number of write requests issued to the tape drive."
    },
    {
      "node_tape_write_time_seconds_total",
      "write_ns",
      "1e9",
      "counter",
      "The amount of time spent waiting for write requests to complete."
    },
  };

  private final HostPaths paths;
  private final Pattern ignored;

  TapestatsCollector(HostPaths paths, Pattern ignored) {
    this.paths = paths;
    this.ignored = ignored == null ? Pattern.compile("^$") : ignored;
  }

  @Override
  public String name() {
    return "tapestats";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Path dir = paths.sys("class/scsi_tape");
    if (!Files.isDirectory(dir)) {
      throw new NoDataException("scsi_tape class does not exist: " + dir);
    }
    List<MetricFamily.Builder> builders = new ArrayList<>();
    for (String[] s : STATS) {
      builders.add(
          MetricFamily.builder(s[0], s[3].equals("gauge") ? MetricType.GAUGE : MetricType.COUNTER)
              .help(s[4]));
    }
    for (Path dev : HostPaths.list(dir, "st")) {
      String device = dev.getFileName().toString();
      // st0, not its mode variants st0a, st0l, st0m or the no-rewind nst0
      if (!device.matches("st[0-9]+") || ignored.matcher(device).find()) {
        continue;
      }
      for (int i = 0; i < STATS.length; i++) {
        Double v = HostPaths.numberOrNull(dev.resolve("stats").resolve(STATS[i][1]));
        if (v != null) {
          builders.get(i).sample(v / Double.parseDouble(STATS[i][2]), "device", device);
        }
      }
    }
    for (MetricFamily.Builder b : builders) {
      if (!b.isEmpty()) {
        out.add(b.build());
      }
    }
  }
}
