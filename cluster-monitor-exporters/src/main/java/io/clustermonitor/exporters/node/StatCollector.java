package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Boot time, context switches, forks, interrupts and process counts from /proc/stat. */
final class StatCollector implements SubCollector {
  private static final String[] SOFTIRQS = {
    "hi", "timer", "net_tx", "net_rx", "block", "block_iopoll", "tasklet", "sched", "hrtimer", "rcu"
  };

  private final HostPaths paths;
  private final boolean softirq;

  StatCollector(HostPaths paths) {
    this(paths, false);
  }

  StatCollector(HostPaths paths, boolean softirq) {
    this.paths = paths;
    this.softirq = softirq;
  }

  @Override
  public String name() {
    return "stat";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    Map<String, Double> v = new HashMap<>();
    String[] softirqs = null;
    for (String line : HostPaths.lines(paths.proc("stat"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && !f[0].startsWith("cpu")) {
        v.put(f[0], Double.parseDouble(f[1]));
        if (f[0].equals("softirq")) {
          softirqs = f;
        }
      }
    }
    for (String key : new String[] {"btime", "ctxt", "processes", "intr"}) {
      if (!v.containsKey(key)) {
        throw new IOException("no '" + key + "' in " + paths.proc("stat"));
      }
    }
    out.add(gauge("node_boot_time_seconds", "Node boot time, in unixtime.", v.get("btime")));
    out.add(
        counter("node_context_switches_total", "Total number of context switches.", v.get("ctxt")));
    out.add(counter("node_forks_total", "Total number of forks.", v.get("processes")));
    out.add(counter("node_intr_total", "Total number of interrupts serviced.", v.get("intr")));
    out.add(
        gauge(
            "node_procs_blocked",
            "Number of processes blocked waiting for I/O to complete.",
            v.getOrDefault("procs_blocked", 0.0)));
    out.add(
        gauge(
            "node_procs_running",
            "Number of processes in runnable state.",
            v.getOrDefault("procs_running", 0.0)));
    if (softirq && softirqs != null) {
      MetricFamily.Builder b =
          MetricFamily.builder("node_softirqs_total", MetricType.COUNTER)
              .help("Number of softirq calls.");
      for (int i = 0; i < SOFTIRQS.length && i + 2 < softirqs.length; i++) {
        b.sample(Double.parseDouble(softirqs[i + 2]), "vector", SOFTIRQS[i]);
      }
      out.add(b.build());
    }
  }

  static MetricFamily gauge(String name, String help, double value) {
    return MetricFamily.builder(name, MetricType.GAUGE).help(help).sample(value).build();
  }

  static MetricFamily counter(String name, String help, double value) {
    return MetricFamily.builder(name, MetricType.COUNTER).help(help).sample(value).build();
  }
}
