package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Pressure stall information from /proc/pressure (kernel 4.20+), when the kernel has it. */
final class PressureCollector implements SubCollector {
  private final HostPaths paths;

  PressureCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "pressure";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    Path cpu = paths.proc("pressure/cpu");
    if (!Files.exists(cpu)) {
      throw new IOException("pressure stall information is not available: " + cpu);
    }
    out.add(
        counter(
            "node_pressure_cpu_waiting_seconds_total",
            "Total time in seconds that processes have waited for CPU time",
            total(cpu, "some")));
    Path io = paths.proc("pressure/io");
    out.add(
        counter(
            "node_pressure_io_waiting_seconds_total",
            "Total time in seconds that processes have waited due to IO congestion",
            total(io, "some")));
    out.add(
        counter(
            "node_pressure_io_stalled_seconds_total",
            "Total time in seconds no process could make progress due to IO congestion",
            total(io, "full")));
    Path mem = paths.proc("pressure/memory");
    out.add(
        counter(
            "node_pressure_memory_waiting_seconds_total",
            "Total time in seconds that processes have waited for memory",
            total(mem, "some")));
    out.add(
        counter(
            "node_pressure_memory_stalled_seconds_total",
            "Total time in seconds no process could make progress due to memory congestion",
            total(mem, "full")));
  }

  private static MetricFamily counter(String name, String help, double value) {
    return MetricFamily.builder(name, MetricType.COUNTER).help(help).sample(value).build();
  }

  /** The {@code total=} microseconds of the {@code some} or {@code full} line, in seconds. */
  static double total(Path file, String kind) throws IOException {
    for (String line : HostPaths.lines(file)) {
      if (!line.startsWith(kind + " ")) {
        continue;
      }
      for (String part : line.split("\\s+")) {
        if (part.startsWith("total=")) {
          return Long.parseLong(part.substring(6)) / 1e6;
        }
      }
    }
    throw new IOException("no '" + kind + "' total in " + file);
  }
}
