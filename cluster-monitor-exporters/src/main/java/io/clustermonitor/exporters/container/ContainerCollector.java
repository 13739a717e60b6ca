package io.clustermonitor.exporters.container;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.model.BlockDeviceStats;
import io.clustermonitor.core.model.BlockIoStats;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.FilesystemUsage;
import io.clustermonitor.core.model.NetworkInterfaceStats;
import io.clustermonitor.core.model.ResourceLimits;
import io.clustermonitor.core.model.StatsDetails;
import io.clustermonitor.core.model.StatsSample;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsSnapshot;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * cAdvisor's (alphabetical) order; with {@link Builder#storeContainerLabels(boolean)} every label
 * of the container, each series carrying only its own container's labels (no union of empty labels
 * across containers, cAdvisor's #2313). Families are grouped in cAdvisor's metric kinds ({@link
 * MetricKinds}), the same defaults on. Docker facts cAdvisor lacks are under {@code
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
 * MetricsCollector containers =
 *     ContainerCollector.builder(docker)
 *         .exclude("buildx_.*")
 *         .labelAllowList(List.of("com.docker.compose.service"))
 *         .build();
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
  private static final String[] TASK_STATES = {
    "iowaiting", "running", "sleeping", "stopped", "uninterruptible"
  };
  private static final String[] CPU_NAMES = new String[128];

  static {
    for (int i = 0; i < CPU_NAMES.length; i++) {
      CPU_NAMES[i] = String.format("cpu%02d", i);
    }
  }

  private final Supplier<StatsSnapshot> snapshots;
  private final Supplier<SystemInfo> systemInfo;
  private final Pattern include;
  private final Pattern exclude;
  private final Map<String, String> labelAllowList; // engine key -> metric label name, sorted
  private final long infoRefreshNanos;
  private final Set<String> kinds;
  private final boolean storeAllLabels;
  private final EnvMetadata env;
  private final Supplier<MachineFacts> machineFacts;
  private final String exporterVersion;
  private volatile MachineFacts cachedFacts;
  private final Object infoLock = new Object();
  private SystemInfo cachedInfo; // guarded by infoLock
  private long infoNextRefresh; // guarded by infoLock; System.nanoTime() value
  // container id -> its label sets, kept while the container is in the snapshot and unchanged
  private final Map<String, CachedLabels> labelCache = new ConcurrentHashMap<>();
  private final AtomicLong scrapes = new AtomicLong();

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
    this.kinds = b.kinds;
    this.storeAllLabels = b.storeAllLabels;
    this.env = new EnvMetadata(b.envAllowList, b.cgroupRoot, b.procRoot);
    this.machineFacts = b.machineFacts;
    this.exporterVersion = b.exporterVersion;
  }

  private boolean on(String kind) {
    return kinds.contains(kind);
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
    boolean[] infoFailed = new boolean[1];
    SystemInfo info = systemInfo(up, infoFailed);
    Families f = new Families();
    if (snapshot != null) {
      addContainers(f, snapshot);
    }
    f.gauge(
            "container_scrape_error",
            "1 if there was an error while getting container metrics, 0 otherwise")
        .sample(snapshot == null || !up ? 1 : 0);
    f.gauge(
            "machine_scrape_error",
            "1 if there was an error while getting machine metrics, 0 otherwise.")
        .sample(info == null || infoFailed[0] ? 1 : 0);
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
      l.put("engine_version", nz(info.engine().version()));
      l.put("api_version", nz(info.engine().apiVersion()));
      l.put("os", nz(info.machine().operatingSystem()));
      l.put("kernel_version", nz(info.machine().kernelVersion()));
      l.put("storage_driver", nz(info.engine().storageDriver()));
      l.put("cgroup_driver", nz(info.engine().cgroupDriver()));
      l.put("cgroup_version", nz(info.engine().cgroupVersion()));
      l.put("stats_source", snapshot != null ? snapshot.statsSource() : nz(info.statsSource()));
      f.gauge(
              "cluster_monitor_engine_info",
              "A metric with a constant '1' value labeled by engine and API version and host facts.")
          .sample(1, l);
      Map<String, String> v = new LinkedHashMap<>();
      v.put("cadvisorRevision", "");
      v.put("cadvisorVersion", exporterVersion);
      v.put("dockerVersion", nz(info.engine().version()));
      v.put("kernelVersion", nz(info.machine().kernelVersion()));
      v.put("osVersion", nz(info.machine().operatingSystem()));
      f.gauge(
              "cadvisor_version_info",
              "A metric with a constant '1' value labeled by kernel version, OS version, docker"
                  + " version, cadvisor version & cadvisor revision.")
          .sample(1, v);
      MachineFacts m = facts();
      Map<String, String> ml = new LinkedHashMap<>();
      ml.put("boot_id", m.bootId());
      ml.put("machine_id", m.machineId());
      ml.put("system_uuid", m.systemUuid());
      f.gauge("machine_cpu_cores", "Number of logical CPU cores.")
          .sample(info.machine().cpus(), ml);
      f.gauge("machine_cpu_physical_cores", "Number of physical CPU cores.")
          .sample(m.physicalCores() > 0 ? m.physicalCores() : info.machine().cpus(), ml);
      f.gauge("machine_cpu_sockets", "Number of CPU sockets.")
          .sample(m.sockets() > 0 ? m.sockets() : 1, ml);
      f.gauge("machine_memory_bytes", "Amount of memory installed on the machine.")
          .sample(info.machine().memoryBytes(), ml);
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
    MetricFamily.Builder fsSectorReads =
        f.counter("container_fs_sector_reads_total", "Cumulative count of sector reads completed");
    MetricFamily.Builder fsReadsMerged =
        f.counter("container_fs_reads_merged_total", "Cumulative count of reads merged");
    MetricFamily.Builder fsReadSeconds =
        f.counter("container_fs_read_seconds_total", "Cumulative count of seconds spent reading");
    MetricFamily.Builder fsSectorWrites =
        f.counter(
            "container_fs_sector_writes_total", "Cumulative count of sector writes completed");
    MetricFamily.Builder fsWritesMerged =
        f.counter("container_fs_writes_merged_total", "Cumulative count of writes merged");
    MetricFamily.Builder fsWriteSeconds =
        f.counter("container_fs_write_seconds_total", "Cumulative count of seconds spent writing");
    MetricFamily.Builder fsIoCurrent =
        f.gauge("container_fs_io_current", "Number of I/Os currently in progress");
    MetricFamily.Builder fsIoTime =
        f.counter(
            "container_fs_io_time_seconds_total", "Cumulative count of seconds spent doing I/Os");
    MetricFamily.Builder fsIoTimeWeighted =
        f.counter(
            "container_fs_io_time_weighted_seconds_total",
            "Cumulative weighted I/O time in seconds");
    MetricFamily.Builder blkioUsage =
        f.counter("container_blkio_device_usage_total", "Blkio Device bytes usage");
    MetricFamily.Builder fsInodesFree =
        f.gauge("container_fs_inodes_free", "Number of available Inodes");
    MetricFamily.Builder fsInodesTotal = f.gauge("container_fs_inodes_total", "Number of Inodes");
    MetricFamily.Builder fsLimit =
        f.gauge(
            "container_fs_limit_bytes",
            "Number of bytes that can be consumed by the container on this filesystem.");
    MetricFamily.Builder fsUsage =
        f.gauge(
            "container_fs_usage_bytes",
            "Number of bytes that are consumed by the container on this filesystem.");
    MetricFamily.Builder fsAge =
        f.gauge(
            "cluster_monitor_container_fs_usage_age_seconds",
            "Age of the container_fs_usage_bytes figure (the writable layer is measured in the"
                + " background).");
    MetricFamily.Builder memMapped =
        f.gauge("container_memory_mapped_file", "Size of memory mapped files in bytes.");
    MetricFamily.Builder memFailures =
        f.counter(
            "container_memory_failures_total", "Cumulative count of memory allocation failures.");
    MetricFamily.Builder specMemReservation =
        f.gauge(
            "container_spec_memory_reservation_limit_bytes",
            "Memory reservation limit for the container.");
    MetricFamily.Builder loadAvg =
        f.gauge(
            "container_cpu_load_average_10s",
            "Value of container cpu load average over the last 10 seconds.");
    MetricFamily.Builder tasksState =
        f.gauge("container_tasks_state", "Number of tasks in given state");
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

    Set<String> runningIds = new HashSet<>();
    long scrape = scrapes.incrementAndGet();
    Instant now = snapshot.at();
    for (ContainerSummary c : snapshot.containers()) {
      if (!selected(c.name())) {
        continue;
      }
      if (c.running()) {
        runningIds.add(c.id());
      }
      LabelNode node = labelNode(c, scrape);
      Map<String, String> base = node.labels();
      state.sample(1, node.with("state", c.state().engineName()).labels());
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
      // cAdvisor's spec limit is 0 for a container without a limit
      specMemLimit.sample(lim.memoryLimit().orElse(0), base);
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
      if (on("oom_event")) {
        oom.sample(snapshot.oomEvents().getOrDefault(c.id(), 0L), base);
      }
      if (on("cpuLoad")) {
        // cAdvisor 0.47 reports these as 0 unless --enable_load_reader (off by default)
        loadAvg.sample(0, base);
        for (String st : TASK_STATES) {
          tasksState.sample(0, node.with("state", st).labels());
        }
      }

      ContainerStats stats = snapshot.stats().get(c.id());
      if (stats == null) {
        continue; // first sampling interval after start
      }
      StatsSample s = stats.current();
      StatsDetails d = s.details();
      specMemReservation.sample(d.memoryReservationBytes(), base);
      if (on("cpu")) {
        boolean perCpu = false;
        if (on("percpu")) {
          for (int i = 0; i < d.perCpuNanos().size(); i++) {
            long v = d.perCpuNanos().get(i);
            if (v != 0) {
              cpuUsage.sample(v / 1e9, node.with("cpu", cpuName(i)).labels());
              perCpu = true;
            }
          }
        }
        if (!perCpu) {
          cpuUsage.sample(s.cpu().totalNanos() / 1e9, node.with("cpu", "total").labels());
        }
        cpuUser.sample(s.cpu().userNanos() / 1e9, base);
        cpuSystem.sample(s.cpu().systemNanos() / 1e9, base);
        if (quota > 0) {
          cfsPeriods.sample(s.cpu().periods(), base);
          cfsThrottledPeriods.sample(s.cpu().throttledPeriods(), base);
          cfsThrottledSeconds.sample(s.cpu().throttledNanos() / 1e9, base);
        }
      }
      if (on("memory")) {
        memUsage.sample(s.memory().usageBytes(), base);
        memWorkingSet.sample(s.memory().workingSetBytes(), base);
        memRss.sample(s.memory().rssBytes(), base);
        memCache.sample(s.memory().cacheBytes(), base);
        memSwap.sample(s.memory().swapBytes(), base);
        memMax.sample(s.memory().maxUsageBytes(), base);
        memFailcnt.sample(s.memory().failcnt(), base);
        memMapped.sample(d.memoryMappedFileBytes(), base);
        memFailures.sample(d.pgfault(), failure(node, "pgfault", "container"));
        memFailures.sample(d.pgmajfault(), failure(node, "pgmajfault", "container"));
        memFailures.sample(d.hierarchyPgfault(), failure(node, "pgfault", "hierarchy"));
        memFailures.sample(d.hierarchyPgmajfault(), failure(node, "pgmajfault", "hierarchy"));
      }
      if (on("network")) {
        for (NetworkInterfaceStats n : s.networks()) {
          Map<String, String> l = node.with("interface", n.name()).labels();
          rxBytes.sample(n.receiveBytes(), l);
          rxPackets.sample(n.receivePackets(), l);
          rxDropped.sample(n.receiveDropped(), l);
          rxErrors.sample(n.receiveErrors(), l);
          txBytes.sample(n.transmitBytes(), l);
          txPackets.sample(n.transmitPackets(), l);
          txDropped.sample(n.transmitDropped(), l);
          txErrors.sample(n.transmitErrors(), l);
        }
      }
      FilesystemUsage fs = on("disk") ? d.filesystem() : null;
      if (fs != null) {
        Map<String, String> l = node.with("device", fs.device()).labels();
        fsInodesFree.sample(0, l);
        fsInodesTotal.sample(fs.inodesUsed(), l);
        fsLimit.sample(fs.limitBytes(), l);
        fsUsage.sample(fs.usageBytes(), l);
        fsAge.sample(fs.age(now).toMillis() / 1000.0, base);
      }
      if (on("diskIO")) {
        addDiskIo(
            node,
            s,
            d,
            fs,
            fsReadBytes,
            fsWriteBytes,
            fsReads,
            fsWrites,
            fsSectorReads,
            fsReadsMerged,
            fsReadSeconds,
            fsSectorWrites,
            fsWritesMerged,
            fsWriteSeconds,
            fsIoCurrent,
            fsIoTime,
            fsIoTimeWeighted,
            blkioUsage);
      }
      if (on("process")) {
        processes.sample(s.pids(), base);
      }
    }
    env.retain(runningIds);
    // containers gone from the snapshot (or left out by the filters) lose their label sets
    labelCache.values().removeIf(e -> e.seen != scrape);
  }

  /**
   * cAdvisor's {@code ioValues}: one series per blkio device that reports the file, plus one per
   * container filesystem ({@code disk} kind) with that filesystem's own counters, which Docker
   * containers never have (so 0). Bytes come from blkio only; weighted I/O time from the filesystem
   * only.
   */
  private static void addDiskIo(
      LabelNode node,
      StatsSample s,
      StatsDetails d,
      FilesystemUsage fs,
      MetricFamily.Builder readBytes,
      MetricFamily.Builder writeBytes,
      MetricFamily.Builder reads,
      MetricFamily.Builder writes,
      MetricFamily.Builder sectorReads,
      MetricFamily.Builder readsMerged,
      MetricFamily.Builder readSeconds,
      MetricFamily.Builder sectorWrites,
      MetricFamily.Builder writesMerged,
      MetricFamily.Builder writeSeconds,
      MetricFamily.Builder ioCurrent,
      MetricFamily.Builder ioTime,
      MetricFamily.Builder ioTimeWeighted,
      MetricFamily.Builder blkioUsage) {
    if (d.blockIo().isEmpty()) {
      // a source without details (Engine API): the summed per-device counters it has
      for (BlockDeviceStats b : s.blockDevices()) {
        Map<String, String> l = node.with("device", b.device()).labels();
        readBytes.sample(b.readBytes(), l);
        writeBytes.sample(b.writeBytes(), l);
        reads.sample(b.reads(), l);
        writes.sample(b.writes(), l);
      }
    }
    for (BlockIoStats b : d.blockIo()) {
      LabelNode dev = node.with("device", b.device());
      Map<String, String> l = dev.labels();
      if (!b.serviceBytes().isEmpty()) {
        readBytes.sample(BlockIoStats.of(b.serviceBytes(), "Read"), l);
        writeBytes.sample(BlockIoStats.of(b.serviceBytes(), "Write"), l);
        for (Map.Entry<String, Long> e : new TreeMap<>(b.serviceBytes()).entrySet()) {
          Map<String, String> u =
              dev.with("major", Long.toString(b.major()))
                  .with("minor", Long.toString(b.minor()))
                  .with("operation", e.getKey())
                  .labels();
          blkioUsage.sample(e.getValue(), u);
        }
      }
      if (!b.serviced().isEmpty()) {
        reads.sample(BlockIoStats.of(b.serviced(), "Read"), l);
        writes.sample(BlockIoStats.of(b.serviced(), "Write"), l);
      }
      if (!b.merged().isEmpty()) {
        readsMerged.sample(BlockIoStats.of(b.merged(), "Read"), l);
        writesMerged.sample(BlockIoStats.of(b.merged(), "Write"), l);
      }
      if (!b.serviceTimeNanos().isEmpty()) {
        readSeconds.sample(BlockIoStats.of(b.serviceTimeNanos(), "Read") / 1e9, l);
        writeSeconds.sample(BlockIoStats.of(b.serviceTimeNanos(), "Write") / 1e9, l);
      }
      if (!b.queued().isEmpty()) {
        ioCurrent.sample(BlockIoStats.of(b.queued(), "Total"), l);
      }
      if (b.ioTime() != 0) {
        ioTime.sample(b.ioTime() / 1e9, l);
      }
    }
    if (fs != null) {
      Map<String, String> l = node.with("device", fs.device()).labels();
      for (MetricFamily.Builder m :
          List.of(
              reads,
              sectorReads,
              readsMerged,
              readSeconds,
              writes,
              sectorWrites,
              writesMerged,
              writeSeconds,
              ioCurrent,
              ioTime,
              ioTimeWeighted)) {
        m.sample(0, l);
      }
    }
  }

  private static Map<String, String> failure(LabelNode node, String type, String scope) {
    return node.with("failure_type", type).with("scope", scope).labels();
  }

  private static String cpuName(int i) {
    return i < CPU_NAMES.length ? CPU_NAMES[i] : String.format("cpu%02d", i);
  }

  /**
   * The container's label node from the cache, made anew when the container's name, image, labels
   * or exported environment differ from the cached one's; marks it seen in this scrape.
   */
  private LabelNode labelNode(ContainerSummary c, long scrape) {
    Map<String, String> envLabels = env.enabled() && c.running() ? env.of(c.id()) : Map.of();
    CachedLabels cached = labelCache.get(c.id());
    if (cached == null || !cached.matches(c, envLabels)) {
      cached = new CachedLabels(c, envLabels, new LabelNode(baseLabels(c, envLabels)));
      labelCache.put(c.id(), cached);
    }
    cached.seen = scrape;
    return cached.node;
  }

  /** A container's label node and what it was made from. */
  private static final class CachedLabels {
    final String name;
    final String image;
    final Map<String, String> labels;
    final Map<String, String> env;
    final LabelNode node;
    volatile long seen;

    CachedLabels(ContainerSummary c, Map<String, String> env, LabelNode node) {
      this.name = c.name();
      this.image = c.image();
      this.labels = c.labels();
      this.env = env;
      this.node = node;
    }

    boolean matches(ContainerSummary c, Map<String, String> envNow) {
      return Objects.equals(name, c.name())
          && Objects.equals(image, c.image())
          && (labels == c.labels() || labels.equals(c.labels()))
          && (env == envNow || env.equals(envNow));
    }
  }

  private boolean selected(String name) {
    return (include == null || include.matcher(name).matches())
        && (exclude == null || !exclude.matcher(name).matches());
  }

  private TreeMap<String, String> baseLabels(ContainerSummary c, Map<String, String> envLabels) {
    TreeMap<String, String> l = new TreeMap<>();
    for (Map.Entry<String, String> e : labelAllowList.entrySet()) {
      // always present (empty = absent in Prometheus) so every sample of a family has one label set
      l.put(e.getValue(), c.labels().getOrDefault(e.getKey(), ""));
    }
    if (storeAllLabels) {
      for (Map.Entry<String, String> e : new TreeMap<>(c.labels()).entrySet()) {
        String name = "container_label_" + INVALID_LABEL_CHARS.matcher(e.getKey()).replaceAll("_");
        l.putIfAbsent(name, e.getValue()); // duplicate sanitized names: first wins
      }
    }
    if (env.enabled() && c.running()) {
      for (Map.Entry<String, String> e : envLabels.entrySet()) {
        l.putIfAbsent(
            "container_env_" + INVALID_LABEL_CHARS.matcher(e.getKey()).replaceAll("_"),
            e.getValue());
      }
    }
    l.put("id", "/docker/" + c.id());
    l.put("image", c.image());
    l.put("name", c.name());
    return l;
  }

  private static double epochSeconds(Instant t) {
    return t == null ? 0 : t.getEpochSecond() + t.getNano() / 1e9;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private MachineFacts facts() {
    MachineFacts m = cachedFacts;
    if (m == null) {
      try {
        m = machineFacts.get();
      } catch (RuntimeException e) {
        m = MachineFacts.UNKNOWN;
      }
      cachedFacts = m == null ? MachineFacts.UNKNOWN : m;
      m = cachedFacts;
    }
    return m;
  }

  private SystemInfo systemInfo(boolean engineUp, boolean[] failed) {
    synchronized (infoLock) {
      long now = System.nanoTime();
      if (engineUp && (cachedInfo == null || now - infoNextRefresh >= 0)) {
        try {
          cachedInfo = systemInfo.get();
          infoNextRefresh = now + infoRefreshNanos;
        } catch (RuntimeException e) {
          failed[0] = true;
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
    private Set<String> kinds = MetricKinds.defaults();
    private boolean storeAllLabels;
    private List<String> envAllowList = List.of();
    private Path cgroupRoot = Path.of("/sys/fs/cgroup");
    private Path procRoot = Path.of("/proc");
    private Supplier<MachineFacts> machineFacts = () -> MachineFacts.UNKNOWN;
    private String exporterVersion = defaultVersion();

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

    /**
     * The enabled metric kinds (see {@link MetricKinds#resolve}); default {@link
     * MetricKinds#defaults()}.
     *
     * @throws IllegalArgumentException on an unknown kind
     */
    public Builder metricKinds(Collection<String> enabled) {
      Objects.requireNonNull(enabled, "enabled");
      this.kinds = enabled.isEmpty() ? Set.of() : MetricKinds.resolve(null, enabled);
      return this;
    }

    /**
     * Every container label as {@code container_label_<key>} (cAdvisor's {@code
     * --store_container_labels}, on there by default); default off here, so only the {@link
     * #labelAllowList} is exported. Each series carries only its own container's labels.
     */
    public Builder storeContainerLabels(boolean all) {
      this.storeAllLabels = all;
      return this;
    }

    /**
     * cAdvisor's {@code --env_metadata_whitelist}: environment variables whose name starts with one
     * of these prefixes become {@code container_env_<name>} labels (read from the container's init
     * process under the procfs root; local engine only). Default none. Environment values often
     * hold secrets: list only names that are safe to publish.
     */
    public Builder envAllowList(Collection<String> prefixes) {
      Objects.requireNonNull(prefixes, "prefixes");
      this.envAllowList = prefixes.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
      return this;
    }

    /**
     * The cgroup and procfs roots the env allow-list reads (defaults {@code /sys/fs/cgroup}, {@code
     * /proc}).
     */
    public Builder hostRoots(Path cgroupRoot, Path procRoot) {
      this.cgroupRoot = Objects.requireNonNull(cgroupRoot, "cgroupRoot");
      this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
      return this;
    }

    /**
     * Machine facts for the {@code machine_*} labels and CPU topology (read once); default none
     * (labels empty, physical cores = logical CPUs, one socket). {@link MachineFacts#ofHost()}
     * reads this host's.
     */
    public Builder machineFacts(Supplier<MachineFacts> facts) {
      this.machineFacts = Objects.requireNonNull(facts, "facts");
      return this;
    }

    /** The {@code cadvisorVersion} label of {@code cadvisor_version_info}; default this jar's. */
    public Builder exporterVersion(String version) {
      this.exporterVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    private static String defaultVersion() {
      String v = ContainerCollector.class.getPackage().getImplementationVersion();
      return v == null ? "" : v;
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
