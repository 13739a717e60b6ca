package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.List;

/** {@code node_softnet_*{cpu}} from /proc/net/softnet_stat (hex columns, one line per CPU). */
final class SoftnetCollector implements SubCollector {
  private final HostPaths paths;

  SoftnetCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "softnet";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    NetFamilies f = new NetFamilies();
    int line = 0;
    for (String text : HostPaths.lines(paths.proc("net/softnet_stat"))) {
      String[] c = text.trim().split("\\s+");
      if (c.length < 9) {
        throw new IOException(
            "detected " + c.length + " columns in softnet_stat, but expected at least 9");
      }
      long processed = hex(c[0]);
      long dropped = hex(c[1]);
      long squeezed = hex(c[2]);
      long collision = hex(c[8]);
      long rps = c.length >= 10 ? hex(c[9]) : 0;
      long flowLimit = c.length >= 11 ? hex(c[10]) : 0;
      long backlog = 0;
      long index = line;
      if (c.length >= 13) {
        backlog = hex(c[11]);
        index = hex(c[12]);
      }
      line++;
      String cpu = Long.toString(index);
      f.add(
          "node_softnet_processed_total",
          MetricType.COUNTER,
          "Number of processed packets",
          processed,
          "cpu",
          cpu);
      f.add(
          "node_softnet_dropped_total",
          MetricType.COUNTER,
          "Number of dropped packets",
          dropped,
          "cpu",
          cpu);
      f.add(
          "node_softnet_times_squeezed_total",
          MetricType.COUNTER,
          "Number of times processing packets ran out of quota",
          squeezed,
          "cpu",
          cpu);
      f.add(
          "node_softnet_cpu_collision_total",
          MetricType.COUNTER,
          "Number of collision occur while obtaining device lock while transmitting",
          collision,
          "cpu",
          cpu);
      f.add(
          "node_softnet_received_rps_total",
          MetricType.COUNTER,
          "Number of times cpu woken up received_rps",
          rps,
          "cpu",
          cpu);
      f.add(
          "node_softnet_flow_limit_count_total",
          MetricType.COUNTER,
          "Number of times flow limit has been reached",
          flowLimit,
          "cpu",
          cpu);
      f.add(
          "node_softnet_backlog_len",
          MetricType.GAUGE,
          "Softnet backlog status",
          backlog,
          "cpu",
          cpu);
    }
    f.drainTo(out);
  }

  private static long hex(String s) {
    return Long.parseLong(s, 16);
  }
}
