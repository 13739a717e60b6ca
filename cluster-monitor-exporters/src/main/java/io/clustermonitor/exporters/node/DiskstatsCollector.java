package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code node_disk_*} from /proc/diskstats, partitions excluded by default. */
final class DiskstatsCollector implements SubCollector {
  /** Linux counts /proc/diskstats sectors in 512-byte units whatever the device's block size. */
  static final double SECTOR_BYTES = 512;

  /** Field index (after major, minor, name), name, help, type, scale. */
  private record Field(int index, String name, String help, MetricType type, double scale) {}

  private static final List<Field> FIELDS =
      List.of(
          new Field(
              0,
              "node_disk_reads_completed_total",
              "The total number of reads completed successfully.",
              MetricType.COUNTER,
              1),
          new Field(
              1,
              "node_disk_reads_merged_total",
              "The total number of reads merged.",
              MetricType.COUNTER,
              1),
          new Field(
              2,
              "node_disk_read_bytes_total",
              "The total number of bytes read successfully.",
              MetricType.COUNTER,
              SECTOR_BYTES),
          new Field(
              3,
              "node_disk_read_time_seconds_total",
              "The total number of seconds spent by all reads.",
              MetricType.COUNTER,
              0.001),
          new Field(
              4,
              "node_disk_writes_completed_total",
              "The total number of writes completed successfully.",
              MetricType.COUNTER,
              1),
          new Field(
              5,
              "node_disk_writes_merged_total",
              "The number of writes merged.",
              MetricType.COUNTER,
              1),
          new Field(
              6,
              "node_disk_written_bytes_total",
              "The total number of bytes written successfully.",
              MetricType.COUNTER,
              SECTOR_BYTES),
          new Field(
              7,
              "node_disk_write_time_seconds_total",
              "This is the total number of seconds spent by all writes.",
              MetricType.COUNTER,
              0.001),
          new Field(
              8,
              "node_disk_io_now",
              "The number of I/Os currently in progress.",
              MetricType.GAUGE,
              1),
          new Field(
              9,
              "node_disk_io_time_seconds_total",
              "Total seconds spent doing I/Os.",
              MetricType.COUNTER,
              0.001),
          new Field(
              10,
              "node_disk_io_time_weighted_seconds_total",
              "The weighted # of seconds spent doing I/Os.",
              MetricType.COUNTER,
              0.001),
          new Field(
              11,
              "node_disk_discards_completed_total",
              "The total number of discards completed successfully.",
              MetricType.COUNTER,
              1),
          new Field(
              12,
              "node_disk_discards_merged_total",
              "The total number of discards merged.",
              MetricType.COUNTER,
              1),
          new Field(
              13,
              "node_disk_discarded_sectors_total",
              "The total number of sectors discarded successfully.",
              MetricType.COUNTER,
              1),
          new Field(
              14,
              "node_disk_discard_time_seconds_total",
              "This is the total number of seconds spent by all discards.",
              MetricType.COUNTER,
              0.001),
          new Field(
              15,
              "node_disk_flush_requests_total",
              "The total number of flush requests completed successfully",
              MetricType.COUNTER,
              1),
          new Field(
              16,
              "node_disk_flush_requests_time_seconds_total",
              "This is the total number of seconds spent by all flush requests.",
              MetricType.COUNTER,
              0.001));

  private final HostPaths paths;
  private final Pattern exclude;
  private final Pattern include;
  private final Path udevData;

  DiskstatsCollector(HostPaths paths, Pattern exclude, Path udevData) {
    this(paths, exclude, null, udevData);
  }

  /** With {@code include} set ({@code --collector.diskstats.device-include}), only it counts. */
  DiskstatsCollector(HostPaths paths, Pattern exclude, Pattern include, Path udevData) {
    this.include = include;
    this.paths = paths;
    this.exclude = exclude;
    this.udevData = udevData;
  }

  @Override
  public String name() {
    return "diskstats";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    MetricFamily.Builder info =
        MetricFamily.builder("node_disk_info", MetricType.GAUGE)
            .help("Info of /sys/block/<block_device>.");
    Map<Field, MetricFamily.Builder> builders = new LinkedHashMap<>();
    for (Field field : FIELDS) {
      builders.put(field, MetricFamily.builder(field.name(), field.type()).help(field.help()));
    }
    for (String line : HostPaths.lines(paths.proc("diskstats"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 14) {
        continue;
      }
      String device = f[2];
      if (include != null ? !include.matcher(device).find() : exclude.matcher(device).find()) {
        continue;
      }
      Map<String, String> udev = udev(f[0], f[1]);
      info.sample(
          1,
          "device",
          device,
          "major",
          f[0],
          "minor",
          f[1],
          "path",
          udev.getOrDefault("ID_PATH", ""),
          "wwn",
          udev.getOrDefault("ID_WWN", ""),
          "model",
          udev.getOrDefault("ID_MODEL", ""),
          "serial",
          udev.getOrDefault("ID_SERIAL_SHORT", ""),
          "revision",
          udev.getOrDefault("ID_REVISION", ""));
      for (Field field : FIELDS) {
        int idx = field.index() + 3;
        if (idx < f.length) {
          builders.get(field).sample(Double.parseDouble(f[idx]) * field.scale(), "device", device);
        }
      }
    }
    out.add(info.build());
    for (MetricFamily.Builder b : builders.values()) {
      if (!b.isEmpty()) {
        out.add(b.build());
      }
    }
  }

  /** The udev properties of a block device ({@code E:KEY=value} lines of {@code b<maj>:<min>}). */
  private Map<String, String> udev(String major, String minor) {
    Map<String, String> props = new LinkedHashMap<>();
    Path file = udevData.resolve("b" + major + ":" + minor);
    if (!Files.isReadable(file)) {
      return props;
    }
    try {
      for (String line : HostPaths.lines(file)) {
        int eq = line.indexOf('=');
        if (line.startsWith("E:") && eq > 2) {
          props.put(line.substring(2, eq), line.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      return props;
    }
    return props;
  }
}
