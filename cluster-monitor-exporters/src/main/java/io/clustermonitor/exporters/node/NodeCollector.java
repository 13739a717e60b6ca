package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host metrics named as node_exporter 1.5 names them, read from procfs and sysfs under configurable
 * roots so the collector also works inside a container with the host mounted (for example {@code
 * --path.procfs=/host/proc --path.sysfs=/host/sys --path.rootfs=/host}).
 *
 * <p>Sub-collectors: {@code cpu}, {@code diskstats}, {@code filesystem}, {@code loadavg}, {@code
 * meminfo}, {@code netdev}, {@code pressure}, {@code stat}, {@code time}, {@code uname}, {@code
 * vmstat}. Each one reports {@code node_scrape_collector_success{collector}} and {@code
 * node_scrape_collector_duration_seconds{collector}}; a failing sub-collector costs only its own
 * families. Filesystem statistics are read on worker threads with a timeout, so a stuck mount
 * yields {@code node_filesystem_device_error 1} instead of a hung scrape.
 *
 * <pre>{@code
 * NodeCollector node = NodeCollector.builder().procfs(Path.of("/host/proc")).build();
 * List<MetricFamily> families = node.collect();
 * }</pre>
 *
 * <p>Example output:
 *
 * <pre>
 * # TYPE node_load1 gauge
 * node_load1 0.52
 * # TYPE node_cpu_seconds_total counter
 * node_cpu_seconds_total{cpu="0",mode="idle"} 411.14
 * </pre>
 *
 * <p>Thread-safe: concurrent {@link #collect()} calls are allowed.
 */
public final class NodeCollector implements MetricsCollector {
  /** node_exporter's default {@code --collector.filesystem.mount-points-exclude}. */
  public static final String DEFAULT_MOUNT_POINTS_EXCLUDE =
      "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";

  /** node_exporter's default {@code --collector.filesystem.fs-types-exclude}. */
  public static final String DEFAULT_FS_TYPES_EXCLUDE =
      "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs"
          + "|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs"
          + "|squashfs|sysfs|tracefs)$";

  /** node_exporter's default {@code --collector.diskstats.device-exclude}. */
  public static final String DEFAULT_DISK_DEVICE_EXCLUDE =
      "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$";

  /** node_exporter's default {@code --collector.vmstat.fields}. */
  public static final String DEFAULT_VMSTAT_FIELDS = "^(oom_kill|pgpg|pswp|pg.*fault).*";

  private static final Logger LOG = LoggerFactory.getLogger(NodeCollector.class);

  private final List<SubCollector> collectors;

  private NodeCollector(Builder b) {
    HostPaths paths = new HostPaths(b.procfs, b.sysfs, b.rootfs);
    List<SubCollector> list = new ArrayList<>();
    list.add(new CpuCollector(paths));
    list.add(new DiskstatsCollector(paths, b.diskDeviceExclude, b.udevData));
    list.add(
        new FilesystemCollector(
            paths, b.mountPointsExclude, b.fsTypesExclude, b.statfsTimeout, b.statfs));
    list.add(new LoadavgCollector(paths));
    list.add(new MeminfoCollector(paths));
    list.add(new NetdevCollector(paths));
    list.add(new PressureCollector(paths));
    list.add(new StatCollector(paths));
    list.add(new TimeCollector(paths, b.clock));
    list.add(new UnameCollector(paths));
    list.add(new VmstatCollector(paths, b.vmstatFields));
    list.add(new ArpCollector(paths, "", ""));
    list.add(new BondingCollector(paths));
    list.add(new ConntrackCollector(paths));
    list.add(new FibrechannelCollector(paths));
    list.add(new InfinibandCollector(paths));
    list.add(new IpvsCollector(paths, IpvsCollector.DEFAULT_BACKEND_LABELS));
    list.add(new NetclassCollector(paths, NetclassCollector.DEFAULT_IGNORED_DEVICES, false));
    list.add(new NetstatCollector(paths, NetstatCollector.DEFAULT_FIELDS));
    list.add(new NfsCollector(paths));
    list.add(new NfsdCollector(paths));
    list.add(new SockstatCollector(paths));
    list.add(new SoftnetCollector(paths));
    list.add(new UdpQueuesCollector(paths));
    this.collectors = List.copyOf(list);
  }

  /** A collector reading {@code /proc}, {@code /sys} and {@code /} with the defaults. */
  public static NodeCollector create() {
    return builder().build();
  }

  /** Starts a builder with node_exporter's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "node";
  }

  /** The sub-collector names, in output order. */
  public List<String> collectorNames() {
    return collectors.stream().map(SubCollector::name).toList();
  }

  /**
   * The sub-collectors as separate {@link MetricsCollector}s, named {@code cpu}, {@code meminfo},
   * ... Register them with an {@code ExporterServer} of namespace {@code node} to get
   * node_exporter's {@code node_scrape_collector_success{collector}} from the server, with its
   * per-collector timeout; {@link #collect()} reports the same families itself.
   */
  public List<MetricsCollector> subCollectors() {
    List<MetricsCollector> list = new ArrayList<>();
    for (SubCollector c : collectors) {
      list.add(
          new MetricsCollector() {
            @Override
            public String name() {
              return c.name();
            }

            @Override
            public List<MetricFamily> collect() throws Exception {
              List<MetricFamily> out = new ArrayList<>();
              c.collect(out);
              return out;
            }

            @Override
            public String toString() {
              return "node/" + c.name();
            }
          });
    }
    return List.copyOf(list);
  }

  @Override
  public List<MetricFamily> collect() {
    List<MetricFamily> out = new ArrayList<>();
    MetricFamily.Builder duration =
        MetricFamily.builder("node_scrape_collector_duration_seconds", MetricType.GAUGE)
            .help("node_exporter: Duration of a collector scrape.");
    MetricFamily.Builder success =
        MetricFamily.builder("node_scrape_collector_success", MetricType.GAUGE)
            .help("node_exporter: Whether a collector succeeded.");
    for (SubCollector c : collectors) {
      long start = System.nanoTime();
      List<MetricFamily> own = new ArrayList<>();
      boolean ok;
      try {
        c.collect(own);
        ok = true;
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        LOG.debug("collector {} failed: {}", c.name(), e.toString());
        ok = false;
      }
      if (ok) {
        out.addAll(own);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      duration.sample(seconds, "collector", c.name());
      success.sample(ok ? 1 : 0, "collector", c.name());
    }
    out.add(duration.build());
    out.add(success.build());
    return out;
  }

  /** Builder for {@link NodeCollector}; not thread-safe. */
  public static final class Builder {
    private Path procfs = Path.of("/proc");
    private Path sysfs = Path.of("/sys");
    private Path rootfs = Path.of("/");
    private Path udevData = Path.of("/run/udev/data");
    private Pattern mountPointsExclude = Pattern.compile(DEFAULT_MOUNT_POINTS_EXCLUDE);
    private Pattern fsTypesExclude = Pattern.compile(DEFAULT_FS_TYPES_EXCLUDE);
    private Pattern diskDeviceExclude = Pattern.compile(DEFAULT_DISK_DEVICE_EXCLUDE);
    private Pattern vmstatFields = Pattern.compile(DEFAULT_VMSTAT_FIELDS);
    private Duration statfsTimeout = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();
    private FilesystemCollector.Statfs statfs = FilesystemCollector.Statfs.FILE_STORE;

    private Builder() {}

    /** procfs mount point ({@code --path.procfs}, default {@code /proc}). */
    public Builder procfs(Path path) {
      this.procfs = Objects.requireNonNull(path, "procfs");
      return this;
    }

    /** sysfs mount point ({@code --path.sysfs}, default {@code /sys}). */
    public Builder sysfs(Path path) {
      this.sysfs = Objects.requireNonNull(path, "sysfs");
      return this;
    }

    /**
     * Root filesystem mount point ({@code --path.rootfs}, default {@code /}); it is stripped from
     * reported mount points.
     */
    public Builder rootfs(Path path) {
      this.rootfs = Objects.requireNonNull(path, "rootfs");
      return this;
    }

    /** udev database directory ({@code --path.udev.data}, default {@code /run/udev/data}). */
    public Builder udevData(Path path) {
      this.udevData = Objects.requireNonNull(path, "udevData");
      return this;
    }

    /** Mount points to skip ({@code --collector.filesystem.mount-points-exclude}). */
    public Builder mountPointsExclude(String regex) {
      this.mountPointsExclude = Pattern.compile(Objects.requireNonNull(regex, "regex"));
      return this;
    }

    /** Filesystem types to skip ({@code --collector.filesystem.fs-types-exclude}). */
    public Builder fsTypesExclude(String regex) {
      this.fsTypesExclude = Pattern.compile(Objects.requireNonNull(regex, "regex"));
      return this;
    }

    /** Block devices to skip ({@code --collector.diskstats.device-exclude}). */
    public Builder diskDeviceExclude(String regex) {
      this.diskDeviceExclude = Pattern.compile(Objects.requireNonNull(regex, "regex"));
      return this;
    }

    /** {@code /proc/vmstat} fields to report ({@code --collector.vmstat.fields}). */
    public Builder vmstatFields(String regex) {
      this.vmstatFields = Pattern.compile(Objects.requireNonNull(regex, "regex"));
      return this;
    }

    /**
     * How long one filesystem's statistics may take before it is reported with {@code device_error
     * 1} (default 5 s, as node_exporter's {@code mount-timeout}).
     */
    public Builder statfsTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("statfsTimeout must be positive: " + timeout);
      }
      this.statfsTimeout = timeout;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    Builder statfs(FilesystemCollector.Statfs statfs) {
      this.statfs = statfs;
      return this;
    }

    /** Builds the collector. */
    public NodeCollector build() {
      return new NodeCollector(this);
    }
  }
}
