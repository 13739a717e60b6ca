package io.clustermonitor.core.docs;

import io.clustermonitor.core.ContainerNotFoundException;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.SystemInfo;
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
        info.host(), info.engineVersion(), info.apiVersion(), info.cpus(), info.cgroupVersion());

    for (ContainerSummary c : docker.containers(ContainerFilter.RUNNING)) {
      try {
        ContainerStats s = docker.stats(c.id()); // like docker stats --no-stream: 1-2 s
        out.printf(
            "%-24s %-10s %7.2f%% CPU %12d / %d bytes%n",
            c.name(),
            c.health().engineName(),
            s.cpuPercent(),
            s.memoryWorkingSetBytes(),
            s.memoryLimitBytes());
      } catch (ContainerNotFoundException gone) {
        out.printf("%-24s removed meanwhile%n", c.name());
      }
    }
  }
  // end::example[]
}
