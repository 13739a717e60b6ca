package io.clustermonitor.exporters.selfmetrics;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code process_*} families Go's client library (client_golang's process collector, through
 * prometheus/procfs) emits in every Go exporter, read the same way from {@code /proc/self}: not
 * from JMX.
 *
 * <ul>
 *   <li>{@code process_cpu_seconds_total}: (utime + stime) of {@code stat} / 100 (procfs' USER_HZ);
 *   <li>{@code process_virtual_memory_bytes}: {@code stat} vsize;
 *   <li>{@code process_resident_memory_bytes}: {@code stat} rss × the page size;
 *   <li>{@code process_start_time_seconds}: {@code btime} of {@code /proc/stat} + starttime / 100;
 *   <li>{@code process_open_fds}: entries of {@code fd/};
 *   <li>{@code process_max_fds} and {@code process_virtual_memory_max_bytes}: the soft limits "Max
 *       open files" and "Max address space" of {@code limits} ("unlimited" is 2<sup>64</sup>-1, as
 *       procfs reads it).
 * </ul>
 *
 * A file that cannot be read leaves its families out, as client_golang does. Linux only: on other
 * systems {@link #collect()} returns nothing. Thread-safe.
 */
public final class ProcessCollector implements MetricsCollector {
  /** procfs' USER_HZ: client_golang divides the tick counts by 100. */
  static final double USER_HZ = 100;

  private static final double UNLIMITED = 18446744073709551615.0;

  private final Path proc;
  private final Path self;
  private final long pageSize;

  /** Reads {@code /proc/self}. */
  public ProcessCollector() {
    this(Path.of("/proc"), "self");
  }

  /** Reads {@code <proc>/<pid>} (tests, or another process). */
  ProcessCollector(Path proc, String pid) {
    this.proc = Objects.requireNonNull(proc, "proc");
    this.self = proc.resolve(pid);
    this.pageSize = pageSize(self);
  }

  @Override
  public String name() {
    return "process";
  }

  @Override
  public List<MetricFamily> collect() {
    List<MetricFamily> out = new ArrayList<>();
    String[] stat = stat();
    if (stat != null) {
      // fields after the command: index 0 is field 3 (state) of proc(5)
      double utime = Double.parseDouble(stat[11]);
      double stime = Double.parseDouble(stat[12]);
      double start = Double.parseDouble(stat[19]);
      double vsize = Double.parseDouble(stat[20]);
      double rss = Double.parseDouble(stat[21]);
      out.add(
          family(
              "process_cpu_seconds_total",
              MetricType.COUNTER,
              "Total user and system CPU time spent in seconds.",
              (utime + stime) / USER_HZ));
      out.add(
          family(
              "process_virtual_memory_bytes",
              MetricType.GAUGE,
              "Virtual memory size in bytes.",
              vsize));
      out.add(
          family(
              "process_resident_memory_bytes",
              MetricType.GAUGE,
              "Resident memory size in bytes.",
              rss * pageSize));
      double boot = bootTime();
      if (!Double.isNaN(boot)) {
        out.add(
            family(
                "process_start_time_seconds",
                MetricType.GAUGE,
                "Start time of the process since unix epoch in seconds.",
                boot + start / USER_HZ));
      }
    }
    int fds = openFds();
    if (fds >= 0) {
      out.add(
          family("process_open_fds", MetricType.GAUGE, "Number of open file descriptors.", fds));
    }
    double[] limits = limits();
    if (limits != null) {
      out.add(
          family(
              "process_max_fds",
              MetricType.GAUGE,
              "Maximum number of open file descriptors.",
              limits[0]));
      out.add(
          family(
              "process_virtual_memory_max_bytes",
              MetricType.GAUGE,
              "Maximum amount of virtual memory available in bytes.",
              limits[1]));
    }
    return out;
  }

  private static MetricFamily family(String name, MetricType type, String help, double value) {
    return MetricFamily.builder(name, type).help(help).sample(value).build();
  }

  /** The fields of {@code stat} after {@code (comm)}, or null. */
  private String[] stat() {
    String text;
    try {
      text = Files.readString(self.resolve("stat"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return null;
    }
    int close = text.lastIndexOf(')');
    if (close < 0) {
      return null;
    }
    String[] f = text.substring(close + 1).trim().split("\\s+");
    return f.length > 21 ? f : null;
  }

  private double bootTime() {
    try {
      for (String line : Files.readAllLines(proc.resolve("stat"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("btime ")) {
          return Double.parseDouble(line.substring(6).trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  private int openFds() {
    int n = 0;
    try (DirectoryStream<Path> d = Files.newDirectoryStream(self.resolve("fd"))) {
      for (Path ignored : d) {
        n++;
      }
    } catch (IOException e) {
      return -1;
    }
    return n;
  }

  /** Soft limits: open files, address space; or null. */
  private double[] limits() {
    double files = Double.NaN;
    double address = Double.NaN;
    try {
      for (String line : Files.readAllLines(self.resolve("limits"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("Max open files")) {
          files = limit(line.substring("Max open files".length()));
        } else if (line.startsWith("Max address space")) {
          address = limit(line.substring("Max address space".length()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return null;
    }
    if (Double.isNaN(files) || Double.isNaN(address)) {
      return null;
    }
    return new double[] {files, address};
  }

  private static double limit(String rest) {
    String soft = rest.trim().split("\\s+")[0];
    return soft.equals("unlimited") ? UNLIMITED : Double.parseDouble(soft);
  }

  /** The page size from the auxiliary vector (AT_PAGESZ), 4096 when it cannot be read. */
  static long pageSize(Path self) {
    byte[] auxv;
    try (InputStream in = Files.newInputStream(self.resolve("auxv"))) {
      auxv = in.readAllBytes();
    } catch (IOException e) {
      return 4096;
    }
    ByteBuffer b = ByteBuffer.wrap(auxv).order(ByteOrder.nativeOrder());
    boolean wide = !System.getProperty("os.arch", "").matches("x86|i[3-6]86|arm");
    int step = wide ? 16 : 8;
    for (int i = 0; i + step <= auxv.length; i += step) {
      long type = wide ? b.getLong(i) : b.getInt(i);
      long value = wide ? b.getLong(i + 8) : b.getInt(i + 4);
      if (type == 6 && value > 0) {
        return value;
      }
      if (type == 0) {
        break;
      }
    }
    return 4096;
  }
}
