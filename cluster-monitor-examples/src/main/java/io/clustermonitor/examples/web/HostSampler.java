package io.clustermonitor.examples.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Host CPU and memory of the machine this process runs on, from {@code /proc/stat} and {@code
 * /proc/meminfo} under a procfs root. CPU % is busy time over the interval between two calls, as
 * {@code top} shows it: 100 is every CPU busy. Not thread-safe (one sampler thread calls it).
 */
public final class HostSampler {
  /** One reading; {@code cpuPercent} is NaN for the first one. */
  public record Host(
      double cpuPercent,
      int cpus,
      long memoryTotalBytes,
      long memoryAvailableBytes,
      double load1) {}

  private final Path procRoot;
  private long lastTotal = -1;
  private long lastIdle = -1;

  /** A sampler over {@code procRoot} (e.g. {@code /proc}, or {@code /host/proc} in a container). */
  public HostSampler(Path procRoot) {
    this.procRoot = procRoot;
  }

  /** Reads the host now, or {@code null} when procfs cannot be read (not Linux, no mount). */
  public Host sample() {
    try {
      List<String> stat = Files.readAllLines(procRoot.resolve("stat"), StandardCharsets.UTF_8);
      int cpus = 0;
      double cpu = Double.NaN;
      for (String line : stat) {
        if (line.startsWith("cpu ")) {
          String[] f = line.trim().split("\\s+");
          long total = 0;
          for (int i = 1; i < Math.min(f.length, 9); i++) {
            total += Long.parseLong(f[i]); // user..steal; guest is counted in user already
          }
          long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
          if (lastTotal >= 0 && total > lastTotal) {
            cpu = 100.0 * (1 - (double) (idle - lastIdle) / (total - lastTotal));
            cpu = Math.max(0, Math.min(100, cpu));
          }
          lastTotal = total;
          lastIdle = idle;
        } else if (line.startsWith("cpu")) {
          cpus++;
        }
      }
      long total = -1;
      long available = -1;
      for (String line : Files.readAllLines(procRoot.resolve("meminfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("MemTotal:")) {
          total = kib(line);
        } else if (line.startsWith("MemAvailable:")) {
          available = kib(line);
        }
      }
      double load = Double.NaN;
      Path loadavg = procRoot.resolve("loadavg");
      if (Files.isReadable(loadavg)) {
        String[] f = Files.readString(loadavg, StandardCharsets.UTF_8).trim().split("\\s+");
        load = Double.parseDouble(f[0]);
      }
      return new Host(cpu, cpus, total, available, load);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long kib(String line) {
    String[] f = line.trim().split("\\s+");
    return Long.parseLong(f[1]) * 1024;
  }
}
