package io.clustermonitor.core.internal;

import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Ports;
import io.clustermonitor.core.model.ContainerCounts;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.EngineInfo;
import io.clustermonitor.core.model.HealthProbe;
import io.clustermonitor.core.model.HealthStatus;
import io.clustermonitor.core.model.HostInfo;
import io.clustermonitor.core.model.ResourceLimits;
import io.clustermonitor.core.model.SystemInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps docker-java inspect and info answers to our records. Environment variables are reduced to
 * their names here, the only place that sees them. Stateless and thread-safe.
 */
public final class ContainerMapper {
  private ContainerMapper() {}

  /** The listing fields of an inspected container. */
  public static ContainerSummary summary(InspectContainerResponse c, String host) {
    InspectContainerResponse.ContainerState st = c.getState();
    ContainerConfig cfg = c.getConfig();
    HostConfig hc = c.getHostConfig();
    Map<String, String> labels =
        cfg == null || cfg.getLabels() == null ? Map.of() : cfg.getLabels();
    HealthStatus health =
        st == null || st.getHealth() == null
            ? HealthStatus.NONE
            : HealthStatus.parse(st.getHealth().getStatus());
    Long exit = st == null ? null : st.getExitCodeLong();
    return new ContainerSummary(
        c.getId(),
        c.getName() == null ? "" : EngineStatsMapper.stripSlash(c.getName()),
        cfg == null ? "" : cfg.getImage(),
        st == null ? ContainerState.UNKNOWN : ContainerState.parse(st.getStatus()),
        health,
        EngineStatsMapper.instant(c.getCreated()),
        st == null ? null : EngineStatsMapper.instant(st.getStartedAt()),
        st == null ? null : EngineStatsMapper.instant(st.getFinishedAt()),
        exit == null ? 0 : (int) (long) exit,
        st != null && Boolean.TRUE.equals(st.getOOMKilled()),
        c.getRestartCount() == null ? 0 : c.getRestartCount(),
        labels,
        limits(hc),
        host);
  }

  /** The inspect data without environment values. */
  public static ContainerDetails details(InspectContainerResponse c, String host) {
    ContainerConfig cfg = c.getConfig();
    HostConfig hc = c.getHostConfig();
    List<String> command = new ArrayList<>();
    if (c.getPath() != null && !c.getPath().isEmpty()) {
      command.add(c.getPath());
    }
    if (c.getArgs() != null) {
      command.addAll(Arrays.asList(c.getArgs()));
    }
    InspectContainerResponse.ContainerState st = c.getState();
    Long pid = st == null ? null : st.getPidLong();
    HealthCheck hcheck = cfg == null ? null : cfg.getHealthcheck();
    return new ContainerDetails(
        summary(c, host),
        command,
        cfg == null ? "" : cfg.getWorkingDir(),
        cfg == null ? "" : cfg.getUser(),
        cfg == null ? List.of() : environmentNames(cfg.getEnv()),
        pid == null ? 0 : pid,
        hc == null ? "" : hc.getNetworkMode(),
        hc == null || hc.getRestartPolicy() == null ? "" : hc.getRestartPolicy().getName(),
        mounts(c.getMounts()),
        ports(c),
        hcheck == null || hcheck.getTest() == null ? List.of() : hcheck.getTest(),
        st == null || st.getHealth() == null ? List.of() : probes(st.getHealth().getLog()));
  }

  /** The engine's health-check log, oldest first; entries the engine left empty are dropped. */
  static List<HealthProbe> probes(List<HealthStateLog> log) {
    if (log == null) {
      return List.of();
    }
    List<HealthProbe> out = new ArrayList<>(log.size());
    for (HealthStateLog e : log) {
      if (e == null) {
        continue;
      }
      Long exit = e.getExitCodeLong();
      out.add(
          new HealthProbe(
              EngineStatsMapper.instant(e.getStart()),
              EngineStatsMapper.instant(e.getEnd()),
              exit == null ? -1 : exit,
              e.getOutput()));
    }
    return out;
  }

  /** Names of {@code NAME=value} entries; values are dropped. */
  static List<String> environmentNames(String[] env) {
    if (env == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>(env.length);
    for (String e : env) {
      if (e == null || e.isEmpty()) {
        continue;
      }
      int eq = e.indexOf('=');
      names.add(eq < 0 ? e : e.substring(0, eq));
    }
    return names;
  }

  static ResourceLimits limits(HostConfig hc) {
    if (hc == null) {
      return ResourceLimits.NONE;
    }
    return new ResourceLimits(
        nz(hc.getMemory()),
        nz(hc.getMemorySwap()),
        nz(hc.getCpuQuota()),
        nz(hc.getCpuPeriod()),
        hc.getCpuShares() == null ? 0 : Math.max(0, hc.getCpuShares()),
        nz(hc.getNanoCPUs()),
        nz(hc.getPidsLimit()));
  }

  private static List<String> mounts(List<InspectContainerResponse.Mount> mounts) {
    if (mounts == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(mounts.size());
    for (InspectContainerResponse.Mount m : mounts) {
      String source = m.getSource() != null ? m.getSource() : m.getName();
      String dest = m.getDestination() == null ? "" : m.getDestination().getPath();
      out.add(
          (source == null ? "" : source)
              + ":"
              + dest
              + (Boolean.FALSE.equals(m.getRW()) ? ":ro" : ""));
    }
    return out;
  }

  private static List<String> ports(InspectContainerResponse c) {
    if (c.getNetworkSettings() == null || c.getNetworkSettings().getPorts() == null) {
      return List.of();
    }
    Map<ExposedPort, Ports.Binding[]> bindings = c.getNetworkSettings().getPorts().getBindings();
    if (bindings == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<ExposedPort, Ports.Binding[]> e : sorted(bindings).entrySet()) {
      String container = e.getKey().getPort() + "/" + e.getKey().getProtocol();
      if (e.getValue() == null || e.getValue().length == 0) {
        out.add(container);
        continue;
      }
      for (Ports.Binding b : e.getValue()) {
        String ip = b.getHostIp() == null || b.getHostIp().isEmpty() ? "0.0.0.0" : b.getHostIp();
        out.add(ip + ":" + b.getHostPortSpec() + "->" + container);
      }
    }
    return out;
  }

  private static Map<ExposedPort, Ports.Binding[]> sorted(Map<ExposedPort, Ports.Binding[]> m) {
    Map<ExposedPort, Ports.Binding[]> s =
        new TreeMap<>(
            (a, b) ->
                a.getPort() != b.getPort()
                    ? Integer.compare(a.getPort(), b.getPort())
                    : String.valueOf(a.getProtocol()).compareTo(String.valueOf(b.getProtocol())));
    s.putAll(m);
    return s;
  }

  /** System info from {@code /info}; {@code apiVersion} is the negotiated version in use. */
  public static SystemInfo systemInfo(Info i, String apiVersion, String host, String statsSource) {
    return new SystemInfo(
        host,
        new EngineInfo(
            nn(i.getServerVersion()),
            apiVersion,
            nn(i.getDriver()),
            nn(i.getCGroupDriver()),
            nn(i.getCGroupVersion()),
            i.getImages() == null ? 0 : i.getImages()),
        new HostInfo(
            nn(i.getOperatingSystem()),
            nn(i.getOsType()),
            nn(i.getArchitecture()),
            nn(i.getKernelVersion()),
            nn(i.getName()),
            i.getNCPU() == null ? 0 : i.getNCPU(),
            nz(i.getMemTotal())),
        new ContainerCounts(
            i.getContainers() == null ? 0 : i.getContainers(),
            i.getContainersRunning() == null ? 0 : i.getContainersRunning(),
            i.getContainersPaused() == null ? 0 : i.getContainersPaused(),
            i.getContainersStopped() == null ? 0 : i.getContainersStopped()),
        statsSource);
  }

  private static String nn(String s) {
    return s == null ? "" : s;
  }

  private static long nz(Long v) {
    return v == null ? 0 : Math.max(0, v);
  }
}
