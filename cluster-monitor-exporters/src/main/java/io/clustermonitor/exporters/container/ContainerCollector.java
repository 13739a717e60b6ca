package io.clustermonitor.exporters.container;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.model.BlockDeviceStats;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.NetworkInterfaceStats;
import io.clustermonitor.core.model.ResourceLimits;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsSample;
import io.clustermonitor.core.stats.StatsSnapshot;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container metrics with cAdvisor's names, types and labels, read from the live stats engine's
 * in-memory {@link StatsSnapshot}: a scrape makes no engine call (system info, for {@code
 * machine_*} and the engine info metric, is cached and refreshed every few minutes).
 *
 * <p>Every running container gets labels {@code id} ({@code /docker/<full id>}), {@code name},
 * {@code image} and {@code container_label_<key>} for the label keys on the allow-list (characters
 * other than {@code [a-zA-Z0-9_]} become {@code _}; empty when the container lacks the label), in
 * cAdvisor's (alphabetical) order. Docker facts cAdvisor lacks are under {@code
 * cluster_monitor_container_*} (every container, all states) and {@code cluster_monitor_engine_*}.
 * When the engine is down the scrape still succeeds with {@code cluster_monitor_engine_up 0}. The
 * full reference is {@code docs/metrics.md}.
 *
 * <pre>
 * # HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.
 * # TYPE container_cpu_usage_seconds_total counter
 * container_cpu_usage_seconds_total{cpu="total",id="/docker/3f2a…",image="redis:7",name="cache"} 12.5
 * # HELP container_memory_working_set_bytes Current working set in bytes.
 * # TYPE container_memory_working_set_bytes gauge
 * container_memory_working_set_bytes{id="/docker/3f2a…",image="redis:7",name="cache"} 7340032
 * </pre>
 *
 * <pre>{@code
 * DockerMonitor docker = DockerMonitor.fromEnvironment();
 * MetricsCollector containers = ContainerCollector.builder(docker)
 *     .exclude("buildx_.*")
 *     .labelAllowList(List.of("com.docker.compose.service"))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ContainerCollector implements MetricsCollector {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerCollector.class);
  private static final Pattern INVALID_LABEL_CHARS = Pattern.compile("[^a-zA-Z0-9_]");
  private static final long DEFAULT_CPU_PERIOD_MICROS = 100_000;
  private static final long DEFAULT_CPU_SHARES = 1024;
  private static final Duration INFO_RETRY = Duration.ofSeconds(30);

  private final Supplier<StatsSnapshot> snapshots;
  private final Supplier<SystemInfo> systemInfo;
  private final Pattern include;
  private final Pattern exclude;
  private final Map<String, String> labelAllowList; // engine key -> metric label name, sorted
  private final long infoRefreshNanos;
  private final Object infoLock = new Object();
  private SystemInfo cachedInfo; // guarded by infoLock
  private long infoNextRefresh; // guarded by infoLock; System.nanoTime() value

  private ContainerCollector(Builder b) {
    this.snapshots = b.snapshots;
    this.systemInfo = b.systemInfo;
    this.include = b.include;
    this.exclude = b.exclude;
    Map<String, String> allow = new TreeMap<>();
    for (String key : b.labelAllowList) {
      String name = "container_label_" + INVALID_LABEL_CHARS.matcher(key).replaceAll("_");
      if (!allow.containsValue(name)) {
        allow.put(key, name);
      }
    }
    this.labelAllowList = allow;
    this.infoRefreshNanos = b.systemInfoRefresh.toNanos();
  }

  /**
   * A collector reading {@link DockerMonitor#snapshot()} and a cached {@link
   * DockerMonitor#systemInfo()}.
   */
  public static Builder builder(DockerMonitor monitor) {
    Objects.requireNonNull(monitor, "monitor");
    return new Builder(monitor::snapshot, monitor::systemInfo);
  }

  /**
   * A collector over any snapshot source (e.g. one engine of a multi-host view, or a fixture).
   *
   * @param snapshots called once per scrape; may throw when the engine is down
   * @param systemInfo called rarely (see {@link Builder#systemInfoRefresh(Duration)}); may throw
   */
  public static Builder builder(
      Supplier<StatsSnapshot> snapshots, Supplier<SystemInfo> systemInfo) {
    return new Builder(
        Objects.requireNonNull(snapshots, "snapshots"),
        Objects.requireNonNull(systemInfo, "systemInfo"));
  }

  @Override
  public String name() {
    return "container";
  }

  @Override
  public List<MetricFamily> collect() {
    StatsSnapshot snapshot;
    try {
      snapshot = snapshots.get();
    } catch (RuntimeException e) {
      LOG.warn("Engine snapshot unavailable: {}", e.toString());
      snapshot = null;
    }
    boolean up = snapshot != null && snapshot.engineUp();
    SystemInfo info = systemInfo(up);
    Families f = new Families();
    if (snapshot != null) {
      addContainers(f, snapshot);
    }
    f.gauge("cluster_monitor_engine_up", "Whether the Docker engine answered (1) or not (0).")
        .sample(up ? 1 : 0);
    if (snapshot != null) {
      Map<ContainerState, Integer> counts = new EnumMap<>(ContainerState.class);
      for (ContainerState s : ContainerState.values()) {
        counts.put(s, 0);
      }
      snapshot.containers().forEach(c -> counts.merge(c.state(), 1, Integer::sum));
      MetricFamily.Builder byState =
          f.gauge("cluster_monitor_engine_containers", "Containers known to the engine, by state.");
      counts.forEach((s, n) -> byState.sample(n, "state", s.engineName()));
    }
    if (info != null) {
      Map<String, String> l = new LinkedHashMap<>();
      l.put("engine_version", nz(info.engineVersion()));
      l.put("api_version", nz(info.apiVersion()));
      l.put("os", nz(info.operatingSystem()));
      l.put("kernel_version", nz(info.kernelVersion()));
      l.put("storage_driver", nz(info.storageDriver()));
      l.put("cgroup_driver", nz(info.cgroupDriver()));
      l.put("cgroup_version", nz(info.cgroupVersion()));
      l.put("stats_source", snapshot != null ? snapshot.statsSource() : nz(info.statsSource()));
      f.gauge(
              "cluster_monitor_engine_info",
              "A metric with a constant '1' value labeled by engine and API version and host facts.")
          .sample(1, l);
      f.gauge("machine_cpu_cores", "Number of CPU cores on the machine.").sample(info.cpus());
      f.gauge("machine_memory_bytes", "Amount of memory installed on the machine.")
          .sample(info.memoryBytes());
    }
    return f.build();
  }

  private void addContainers(Families f, StatsSnapshot snapshot) {
    double lastSeen = snapshot.at().getEpochSecond();
    // Families in a fixed order; builders are created up front so the order never depends on data.
    MetricFamily.Builder cpuUsage =
        f.counter("container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.");
    MetricFamily.Builder cpuUser =
        f.counter(
            "container_cpu_user_seconds_total", "Cumulative user cpu time consumed in seconds.");
    MetricFamily.Builder cpuSystem =
        f.counter(
            "container_cpu_system_seconds_total",
            "Cumulative system cpu time consumed in seconds.");
    MetricFamily.Builder cfsPeriods =
        f.counter(
            "container_cpu_cfs_periods_total", "Number of elapsed enforcement period intervals.");
    MetricFamily.Builder cfsThrottledPeriods =
        f.counter(
            "container_cpu_cfs_throttled_periods_total", "Number of throttled period intervals.");
    MetricFamily.Builder cfsThrottledSeconds =
        f.counter(
            "container_cpu_cfs_throttled_seconds_total",
            "Total time duration the container has been throttled.");
    MetricFamily.Builder memUsage =
        f.gauge(
            "container_memory_usage_bytes",
            "Current memory usage in bytes, including all memory regardless of when it was"
                + " accessed");
    MetricFamily.Builder memWorkingSet =
        f.gauge("container_memory_working_set_bytes", "Current working set in bytes.");
    MetricFamily.Builder memRss = f.gauge("container_memory_rss", "Size of RSS in bytes.");
    MetricFamily.Builder memCache =
        f.gauge("container_memory_cache", "Number of bytes of page cache memory.");
    MetricFamily.Builder memSwap =
        f.gauge("container_memory_swap", "Container swap usage in bytes.");
    MetricFamily.Builder memMax =
        f.gauge("container_memory_max_usage_bytes", "Maximum memory usage recorded in bytes");
    MetricFamily.Builder memFailcnt =
        f.counter("container_memory_failcnt", "Number of memory usage hits limits");
    MetricFamily.Builder oom =
        f.counter(
            "container_oom_events_total",
            "Count of out of memory events observed for the container");
    MetricFamily.Builder rxBytes =
        f.counter("container_network_receive_bytes_total", "Cumulative count of bytes received");
    MetricFamily.Builder rxPackets =
        f.counter(
            "container_network_receive_packets_total", "Cumulative count of packets received");
    MetricFamily.Builder rxDropped =
        f.counter(
            "container_network_receive_packets_dropped_total",
            "Cumulative count of packets dropped while receiving");
    MetricFamily.Builder rxErrors =
        f.counter(
            "container_network_receive_errors_total",
            "Cumulative count of errors encountered while receiving");
    MetricFamily.Builder txBytes =
        f.counter(
            "container_network_transmit_bytes_total", "Cumulative count of bytes transmitted");
    MetricFamily.Builder txPackets =
        f.counter(
            "container_network_transmit_packets_total", "Cumulative count of packets transmitted");
    MetricFamily.Builder txDropped =
        f.counter(
            "container_network_transmit_packets_dropped_total",
            "Cumulative count of packets dropped while transmitting");
    MetricFamily.Builder txErrors =
        f.counter(
            "container_network_transmit_errors_total",
            "Cumulative count of errors encountered while transmitting");
    MetricFamily.Builder fsReadBytes =
        f.counter("container_fs_reads_bytes_total", "Cumulative count of bytes read");
    MetricFamily.Builder fsWriteBytes =
        f.counter("container_fs_writes_bytes_total", "Cumulative count of bytes written");
    MetricFamily.Builder fsReads =
        f.counter("container_fs_reads_total", "Cumulative count of reads completed");
    MetricFamily.Builder fsWrites =
        f.counter("container_fs_writes_total", "Cumulative count of writes completed");
    MetricFamily.Builder processes =
        f.gauge("container_processes", "Number of processes running inside the container.");
    MetricFamily.Builder specMemLimit =
        f.gauge("container_spec_memory_limit_bytes", "Memory limit for the container.");
    MetricFamily.Builder specSwapLimit =
        f.gauge("container_spec_memory_swap_limit_bytes", "Memory swap limit for the container.");
    MetricFamily.Builder specQuota =
        f.gauge("container_spec_cpu_quota", "CPU quota of the container.");
    MetricFamily.Builder specPeriod =
        f.gauge("container_spec_cpu_period", "CPU period of the container.");
    MetricFamily.Builder specShares =
        f.gauge("container_spec_cpu_shares", "CPU share of the container.");
    MetricFamily.Builder startTime =
        f.gauge(
            "container_start_time_seconds",
            "Start time of the container since unix epoch in seconds.");
    MetricFamily.Builder lastSeenF =
        f.gauge("container_last_seen", "Last time a container was seen by the exporter");
    MetricFamily.Builder health =
        f.gauge(
            "container_health_state",
            "Result of the container's health check: 1 healthy, 0 starting or unhealthy, -1 no"
                + " health check.");
    MetricFamily.Builder state =
        f.gauge(
            "cluster_monitor_container_state",
            "Container lifecycle state: 1 for the state the container is in.");
    MetricFamily.Builder restarts =
        f.counter(
            "cluster_monitor_container_restarts_total",
            "Restarts done by the engine's restart policy.");
    MetricFamily.Builder exitCode =
        f.gauge(
            "cluster_monitor_container_last_exit_code",
            "Exit code of the container's last stop (0 while never stopped).");
    MetricFamily.Builder oomKilled =
        f.gauge(
            "cluster_monitor_container_oom_killed",
            "Whether the container's last stop was an out-of-memory kill (1) or not (0).");

    for (ContainerSummary c : snapshot.containers()) {
      if (!selected(c.name())) {
        continue;
      }
      TreeMap<String, String> base = baseLabels(c);
      state.sample(1, with(base, "state", c.state().engineName()));
      restarts.sample(c.restartCount(), base);
      exitCode.sample(c.exitCode(), base);
      oomKilled.sample(c.oomKilled() ? 1 : 0, base);
      if (!c.running()) {
        continue;
      }
      ResourceLimits lim = c.limits();
      long period = lim.cpuPeriodMicros() > 0 ? lim.cpuPeriodMicros() : DEFAULT_CPU_PERIOD_MICROS;
      long quota =
          lim.cpuQuotaMicros() > 0
              ? lim.cpuQuotaMicros()
              : lim.nanoCpus() > 0 ? lim.nanoCpus() * period / 1_000_000_000L : 0;
      lastSeenF.sample(lastSeen, base);
      startTime.sample(epochSeconds(c.createdAt()), base);
      specMemLimit.sample(lim.memoryLimitBytes(), base);
      specSwapLimit.sample(lim.memorySwapLimitBytes(), base);
      specPeriod.sample(period, base);
      if (quota > 0) {
        specQuota.sample(quota, base);
      }
      specShares.sample(lim.cpuShares() > 0 ? lim.cpuShares() : DEFAULT_CPU_SHARES, base);
      health.sample(
          switch (c.health()) {
            case HEALTHY -> 1;
            case STARTING, UNHEALTHY -> 0;
            case NONE -> -1;
          },
          base);
      oom.sample(snapshot.oomEvents().getOrDefault(c.id(), 0L), base);

      ContainerStats stats = snapshot.stats().get(c.id());
      if (stats == null) {
        continue; // first sampling interval after start
      }
      StatsSample s = stats.current();
      cpuUsage.sample(s.cpuTotalNanos() / 1e9, with(base, "cpu", "total"));
      cpuUser.sample(s.cpuUserNanos() / 1e9, base);
      cpuSystem.sample(s.cpuSystemNanos() / 1e9, base);
      if (quota > 0) {
        cfsPeriods.sample(s.cpuPeriods(), base);
        cfsThrottledPeriods.sample(s.cpuThrottledPeriods(), base);
        cfsThrottledSeconds.sample(s.cpuThrottledNanos() / 1e9, base);
      }
      memUsage.sample(s.memoryUsageBytes(), base);
      memWorkingSet.sample(s.memoryWorkingSetBytes(), base);
      memRss.sample(s.memoryRssBytes(), base);
      memCache.sample(s.memoryCacheBytes(), base);
      memSwap.sample(s.memorySwapBytes(), base);
      memMax.sample(s.memoryMaxUsageBytes(), base);
      memFailcnt.sample(s.memoryFailcnt(), base);
      for (NetworkInterfaceStats n : s.networks()) {
        TreeMap<String, String> l = with(base, "interface", n.name());
        rxBytes.sample(n.receiveBytes(), l);
        rxPackets.sample(n.receivePackets(), l);
        rxDropped.sample(n.receiveDropped(), l);
        rxErrors.sample(n.receiveErrors(), l);
        txBytes.sample(n.transmitBytes(), l);
        txPackets.sample(n.transmitPackets(), l);
        txDropped.sample(n.transmitDropped(), l);
        txErrors.sample(n.transmitErrors(), l);
      }
      for (BlockDeviceStats d : s.blockDevices()) {
        TreeMap<String, String> l = with(base, "device", d.device());
        fsReadBytes.sample(d.readBytes(), l);
        fsWriteBytes.sample(d.writeBytes(), l);
        fsReads.sample(d.reads(), l);
        fsWrites.sample(d.writes(), l);
      }
      processes.sample(s.pids(), base);
    }
  }

  private boolean selected(String name) {
    return (include == null || include.matcher(name).matches())
        && (exclude == null || !exclude.matcher(name).matches());
  }

  private TreeMap<String, String> baseLabels(ContainerSummary c) {
    TreeMap<String, String> l = new TreeMap<>();
    for (Map.Entry<String, String> e : labelAllowList.entrySet()) {
      // always present (empty = absent in Prometheus) so every sample of a family has one label set
      l.put(e.getValue(), c.labels().getOrDefault(e.getKey(), ""));
    }
    l.put("id", "/docker/" + c.id());
    l.put("image", c.image());
    l.put("name", c.name());
    return l;
  }

  private static TreeMap<String, String> with(TreeMap<String, String> base, String k, String v) {
    TreeMap<String, String> l = new TreeMap<>(base);
    l.put(k, v);
    return l;
  }

  private static double epochSeconds(Instant t) {
    return t == null ? 0 : t.getEpochSecond() + t.getNano() / 1e9;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private SystemInfo systemInfo(boolean engineUp) {
    synchronized (infoLock) {
      long now = System.nanoTime();
      if (engineUp && (cachedInfo == null || now - infoNextRefresh >= 0)) {
        try {
          cachedInfo = systemInfo.get();
          infoNextRefresh = now + infoRefreshNanos;
        } catch (RuntimeException e) {
          LOG.warn("System info unavailable: {}", e.toString());
          infoNextRefresh = now + Math.min(infoRefreshNanos, INFO_RETRY.toNanos());
        }
      }
      return cachedInfo;
    }
  }

  /** Families in creation order; empty ones are dropped by {@link #build()}. */
  private static final class Families {
    private final List<MetricFamily.Builder> builders = new ArrayList<>();

    MetricFamily.Builder counter(String name, String help) {
      return add(MetricFamily.builder(name, MetricType.COUNTER).help(help));
    }

    MetricFamily.Builder gauge(String name, String help) {
      return add(MetricFamily.builder(name, MetricType.GAUGE).help(help));
    }

    private MetricFamily.Builder add(MetricFamily.Builder b) {
      builders.add(b);
      return b;
    }

    List<MetricFamily> build() {
      List<MetricFamily> out = new ArrayList<>(builders.size());
      for (MetricFamily.Builder b : builders) {
        if (!b.isEmpty()) {
          out.add(b.build());
        }
      }
      return out;
    }
  }

  /** Configures a {@link ContainerCollector}. Not thread-safe. */
  public static final class Builder {
    private final Supplier<StatsSnapshot> snapshots;
    private final Supplier<SystemInfo> systemInfo;
    private Pattern include;
    private Pattern exclude;
    private Collection<String> labelAllowList = List.of();
    private Duration systemInfoRefresh = Duration.ofMinutes(5);

    private Builder(Supplier<StatsSnapshot> snapshots, Supplier<SystemInfo> systemInfo) {
      this.snapshots = snapshots;
      this.systemInfo = systemInfo;
    }

    /** Only containers whose whole name matches this regular expression. */
    public Builder include(String regex) {
      this.include = compile("include", regex);
      return this;
    }

    /** Leaves out containers whose whole name matches this regular expression. */
    public Builder exclude(String regex) {
      this.exclude = compile("exclude", regex);
      return this;
    }

    /**
     * Container label keys exposed as {@code container_label_<key>} (sanitized). Default: none, so
     * cardinality stays bounded.
     */
    public Builder labelAllowList(Collection<String> keys) {
      Objects.requireNonNull(keys, "keys");
      for (String k : keys) {
        if (k == null || k.isBlank()) {
          throw new IllegalArgumentException("label allow-list entries must not be blank");
        }
      }
      this.labelAllowList = List.copyOf(keys);
      return this;
    }

    /** How often the cached system info is refreshed; default 5 minutes. */
    public Builder systemInfoRefresh(Duration every) {
      Objects.requireNonNull(every, "every");
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("systemInfoRefresh must be positive, got " + every);
      }
      this.systemInfoRefresh = every;
      return this;
    }

    /** Builds the collector. */
    public ContainerCollector build() {
      return new ContainerCollector(this);
    }

    private static Pattern compile(String what, String regex) {
      Objects.requireNonNull(regex, what);
      try {
        return Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "Invalid " + what + " pattern '" + regex + "': " + e.getDescription(), e);
      }
    }
  }
}
