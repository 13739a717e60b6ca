package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.CollectorBridge;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricsCollector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Host metrics named as node_exporter 1.7.0 names them, read from procfs and sysfs under
 * configurable roots so the collector also works inside a container with the host mounted (for
 * example {@code --path.procfs=/host/proc --path.sysfs=/host/sys --path.rootfs=/host}).
 *
 * <p>Sub-collectors carry node_exporter's names ({@code cpu}, {@code meminfo}, ...; see {@link
 * #GO_COLLECTORS}); the default set is 1.7's, changed with {@link Builder#enable}, {@link
 * Builder#disable} and {@link Builder#disableDefaults()} ({@code --collector.<name>}, {@code
 * --no-collector.<name>}, {@code --collector.disable-defaults}). Each one reports {@code
 * node_scrape_collector_success{collector}} and its own {@code
 * node_scrape_collector_duration_seconds{collector}}; a failing or stuck sub-collector costs only
 * its own families, within the collector timeout. Filesystem statistics are read on worker threads
 * with their own timeout, so a dead mount yields {@code node_filesystem_device_error 1}.
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

  /**
   * Every Linux collector of node_exporter 1.7.0, by name, with whether it is enabled by default.
   * All are accepted by {@link Builder#enable}/{@link Builder#disable}; the ones this build does
   * not implement are listed by {@link #unimplemented()}.
   */
  public static final Map<String, Boolean> GO_COLLECTORS = goCollectors();

  private static Map<String, Boolean> goCollectors() {
    Map<String, Boolean> m = new TreeMap<>();
    for (String n :
        ("arp bcache bonding btrfs conntrack cpu cpufreq diskstats dmi edac entropy fibrechannel"
                + " filefd filesystem hwmon infiniband ipvs loadavg mdadm meminfo netclass netdev"
                + " netstat nfs nfsd nvme os powersupplyclass pressure rapl schedstat selinux"
                + " sockstat softnet stat tapestats textfile thermal_zone time timex udp_queues"
                + " uname vmstat xfs zfs")
            .split(" ")) {
      m.put(n, true);
    }
    for (String n :
        ("buddyinfo cgroups cpu_vulnerabilities drbd drm ethtool interrupts ksmd lnstat logind"
                + " meminfo_numa mountstats network_route ntp perf processes qdisc runit slabinfo"
                + " softirqs supervisord sysctl systemd tcpstat wifi zoneinfo")
            .split(" ")) {
      m.put(n, false);
    }
    return Collections.unmodifiableMap(m);
  }

  private final List<SubCollector> collectors;
  private final List<String> unimplemented;
  private final Duration collectorTimeout;
  private volatile CollectorBridge runner;

  private NodeCollector(Builder b) {
    HostPaths paths = new HostPaths(b.procfs, b.sysfs, b.rootfs, b.udevData);
    List<SubCollector> list = new ArrayList<>();
    list.add(
        new CpuCollector(
            paths,
            b.flag("cpu.guest", true),
            b.flag("cpu.info", false),
            b.pattern("cpu.info.flags-include"),
            b.pattern("cpu.info.bugs-include")));
    list.add(new BcacheCollector(paths, b.flag("bcache.priorityStats", false)));
    list.add(new BtrfsCollector(paths));
    list.add(new CpufreqCollector(paths));
    list.add(
        new DiskstatsCollector(
            paths, b.diskDeviceExclude, b.pattern("diskstats.device-include"), b.udevData));
    list.add(new DmiCollector(paths));
    list.add(new EdacCollector(paths));
    list.add(new EntropyCollector(paths));
    list.add(new FilefdCollector(paths));
    list.add(
        new FilesystemCollector(
            paths, b.mountPointsExclude, b.fsTypesExclude, b.statfsTimeout, b.statfs));
    list.add(
        new HwmonCollector(
            paths, b.pattern("hwmon.chip-include"), b.pattern("hwmon.chip-exclude")));
    list.add(new LoadavgCollector(paths));
    list.add(new MdadmCollector(paths));
    list.add(new MeminfoCollector(paths));
    list.add(
        new NetdevCollector(
            paths,
            b.alias("netdev.device-exclude", "netdev.device-blacklist"),
            b.alias("netdev.device-include", "netdev.device-whitelist"),
            b.flag("netdev.address-info", false),
            b.flag("netdev.enable-detailed-metrics", false)));
    list.add(new NvmeCollector(paths));
    list.add(new OsCollector(paths));
    list.add(new PowerSupplyCollector(paths, b.pattern("powersupply.ignored-supplies")));
    list.add(new PressureCollector(paths));
    list.add(new RaplCollector(paths, b.flag("rapl.enable-zone-label", false)));
    list.add(new SchedstatCollector(paths));
    list.add(new SelinuxCollector(paths));
    list.add(new StatCollector(paths, b.flag("stat.softirq", false)));
    list.add(new TapestatsCollector(paths, b.pattern("tapestats.ignored-devices")));
    list.add(new TextfileCollector(b.options.getOrDefault("textfile.directory", "")));
    list.add(new ThermalZoneCollector(paths));
    list.add(new TimeCollector(paths, b.clock));
    list.add(new TimexCollector());
    list.add(new UnameCollector(paths));
    list.add(new VmstatCollector(paths, b.vmstatFields));
    list.add(
        new ArpCollector(
            paths, b.value("arp.device-exclude", ""), b.value("arp.device-include", "")));
    list.add(new BondingCollector(paths));
    list.add(new ConntrackCollector(paths));
    list.add(new FibrechannelCollector(paths));
    list.add(new InfinibandCollector(paths));
    // upstream validates the labels only when the collector is enabled
    list.add(
        new IpvsCollector(
            paths,
            b.enabled("ipvs")
                ? b.value("ipvs.backend-labels", IpvsCollector.DEFAULT_BACKEND_LABELS)
                : IpvsCollector.DEFAULT_BACKEND_LABELS));
    list.add(
        new NetclassCollector(
            paths,
            b.value("netclass.ignored-devices", NetclassCollector.DEFAULT_IGNORED_DEVICES),
            b.flag("netclass.ignore-invalid-speed", false)));
    list.add(
        new NetstatCollector(paths, b.value("netstat.fields", NetstatCollector.DEFAULT_FIELDS)));
    list.add(new NfsCollector(paths));
    list.add(new NfsdCollector(paths));
    list.add(new SockstatCollector(paths));
    list.add(new SoftnetCollector(paths));
    list.add(new UdpQueuesCollector(paths));
    list.add(new XfsCollector(paths));
    list.add(new ZfsCollector(paths));
    list.sort(Comparator.comparing(SubCollector::name));
    Set<String> built = new HashSet<>();
    List<SubCollector> enabled = new ArrayList<>();
    for (SubCollector c : list) {
      built.add(c.name());
      if (b.enabled(c.name())) {
        enabled.add(c);
      }
    }
    List<String> missing = new ArrayList<>();
    for (String n : GO_COLLECTORS.keySet()) {
      if (b.enabled(n) && !built.contains(n)) {
        missing.add(n);
      }
    }
    this.collectors = List.copyOf(enabled);
    this.unimplemented = List.copyOf(missing);
    this.collectorTimeout = b.collectorTimeout;
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

  /** The enabled sub-collector names, in output order. */
  public List<String> collectorNames() {
    return collectors.stream().map(SubCollector::name).toList();
  }

  /**
   * node_exporter collectors that are enabled by the selection but not implemented by this build
   * (valid Go names such as {@code wifi}): they produce nothing; callers should say so once.
   */
  public List<String> unimplemented() {
    return unimplemented;
  }

  /**
   * The sub-collectors as separate {@link MetricsCollector}s, named as node_exporter names them
   * ({@code cpu}, {@code meminfo}, ...). Register them with an {@code ExporterServer} of namespace
   * {@code node} to get node_exporter's {@code node_scrape_collector_success{collector}} from the
   * server, with its per-collector timeout and {@code collect[]} filter; {@link #collect()} reports
   * the same families itself.
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

  /**
   * Runs every enabled sub-collector concurrently, each within the collector timeout, and adds
   * {@code node_scrape_collector_duration_seconds} (each one's own duration) and {@code
   * node_scrape_collector_success}.
   */
  @Override
  public List<MetricFamily> collect() {
    if (collectors.isEmpty()) {
      return List.of();
    }
    CollectorBridge r = runner;
    if (r == null) {
      synchronized (this) {
        r = runner;
        if (r == null) {
          r =
              CollectorBridge.builder()
                  .namespace("node")
                  .timeout(collectorTimeout)
                  .collectors(subCollectors())
                  .build();
          runner = r;
        }
      }
    }
    return r.scrape();
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
    private Clock clock = Clock.systemDefaultZone();
    private Duration collectorTimeout = Duration.ofSeconds(10);
    private boolean disableDefaults;
    private final Map<String, Boolean> toggles = new HashMap<>();
    private final Map<String, String> options = new HashMap<>();
    private FilesystemCollector.Statfs statfs = FilesystemCollector.defaultStatfs();

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

    /**
     * Turns a collector on ({@code --collector.<name>}).
     *
     * @throws IllegalArgumentException if {@code name} is not a node_exporter 1.7 collector
     */
    public Builder enable(String name) {
      toggles.put(known(name), true);
      return this;
    }

    /**
     * Turns a collector off ({@code --no-collector.<name>}).
     *
     * @throws IllegalArgumentException if {@code name} is not a node_exporter 1.7 collector
     */
    public Builder disable(String name) {
      toggles.put(known(name), false);
      return this;
    }

    /** Turns every default collector off; only {@link #enable}d ones run. */
    public Builder disableDefaults() {
      this.disableDefaults = true;
      return this;
    }

    /**
     * Sets a collector option by its node_exporter flag name without {@code --collector.}, for
     * example {@code option("cpu.info", "true")}, {@code option("textfile.directory", dir)}.
     */
    public Builder option(String key, String value) {
      options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** How long one sub-collector may take in {@link NodeCollector#collect()} (default 10 s). */
    public Builder collectorTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("collectorTimeout must be positive: " + timeout);
      }
      this.collectorTimeout = timeout;
      return this;
    }

    private static String known(String name) {
      if (!GO_COLLECTORS.containsKey(name)) {
        throw new IllegalArgumentException("unknown node_exporter collector '" + name + "'");
      }
      return name;
    }

    boolean enabled(String name) {
      Boolean t = toggles.get(name);
      if (t != null) {
        return t;
      }
      return !disableDefaults && GO_COLLECTORS.getOrDefault(name, true);
    }

    boolean flag(String key, boolean defaultValue) {
      String v = options.get(key);
      return v == null ? defaultValue : Boolean.parseBoolean(v.strip());
    }

    /** A string option, or {@code defaultValue} when not given. */
    String value(String key, String defaultValue) {
      return options.getOrDefault(key, defaultValue);
    }

    /**
     * A string option that has a deprecated alias (1.7's {@code netdev.device-whitelist} for {@code
     * netdev.device-include}); "" when neither is given.
     *
     * @throws IllegalArgumentException when both are given, as node_exporter refuses them
     */
    String alias(String key, String deprecated) {
      String v = options.getOrDefault(key, "");
      String old = options.getOrDefault(deprecated, "");
      if (old.isEmpty()) {
        return v;
      }
      if (!v.isEmpty()) {
        throw new IllegalArgumentException(
            "--collector." + deprecated + " and --collector." + key + " are mutually exclusive");
      }
      return old;
    }

    Pattern pattern(String key) {
      String v = options.get(key);
      return v == null || v.isEmpty() ? null : Pattern.compile(v);
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
