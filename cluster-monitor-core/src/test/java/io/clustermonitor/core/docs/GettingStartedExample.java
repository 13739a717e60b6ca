package io.clustermonitor.core.docs;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.io.PrintStream;

/** The library example of docs/getting-started.md; the doc shows the tagged region verbatim. */
public final class GettingStartedExample {
  private GettingStartedExample() {}

  // tag::example[]
  public static void main(String[] args) {
    // DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as the docker CLI reads them
    try (DockerMonitor docker = DockerMonitor.fromEnvironment()) {
      print(docker, System.out);
    } catch (EngineUnavailableException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  static void print(DockerMonitor docker, PrintStream out) {
    SystemInfo info = docker.systemInfo();
    out.printf(
        "%s: Docker %s (API %s), %d CPUs, cgroup v%s%n",
        info.host(),
        info.engine().version(),
        info.engine().apiVersion(),
        info.machine().cpus(),
        info.engine().cgroupVersion());

    // Every container and its latest stats in one call, from the live stats engine's memory
    // (the first call starts it; later calls do no engine I/O).
    StatsSnapshot snap = docker.snapshot();
    for (ContainerSummary c : snap.containers()) {
      ContainerStats s = snap.stats().get(c.id()); // null: not running or not sampled yet
      if (!c.running() || s == null) {
        continue;
      }
      // CPU % needs two samples: right after start there is no value yet, shown as "-"
      String cpu = s.hasCpuPercent() ? String.format("%.2f%%", s.cpuPercent()) : "-";
      out.printf(
          "%-24s %-10s %7s CPU %12d / %d bytes%n",
          c.name(), c.health().engineName(), cpu, s.memoryWorkingSetBytes(), s.memoryLimitBytes());
    }
  }
  // end::example[]
}
