package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code node_schedstat_*} from /proc/schedstat (nanoseconds, per CPU). */
final class SchedstatCollector implements SubCollector {
  private final HostPaths paths;

  SchedstatCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "schedstat";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Path file = paths.proc("schedstat");
    if (!Files.exists(file)) {
      throw new NoDataException("schedstat file does not exist: " + file);
    }
    MetricFamily.Builder running =
        MetricFamily.builder("node_schedstat_running_seconds_total", MetricType.COUNTER)
            .help("Number of seconds CPU spent running a process.");
    MetricFamily.Builder waiting =
        MetricFamily.builder("node_schedstat_waiting_seconds_total", MetricType.COUNTER)
            .help("Number of seconds spent by processing waiting for this CPU.");
    MetricFamily.Builder slices =
        MetricFamily.builder("node_schedstat_timeslices_total", MetricType.COUNTER)
            .help("Number of timeslices executed by CPU.");
    for (String line : HostPaths.lines(file)) {
      String[] f = line.trim().split("\\s+");
      if (!f[0].startsWith("cpu") || f.length < 10) {
        continue;
      }
      String cpu = f[0].substring(3);
      running.sample(Double.parseDouble(f[7]) / 1e9, "cpu", cpu);
      waiting.sample(Double.parseDouble(f[8]) / 1e9, "cpu", cpu);
      slices.sample(Double.parseDouble(f[9]), "cpu", cpu);
    }
    out.add(running.build());
    out.add(waiting.build());
    out.add(slices.build());
  }
}
