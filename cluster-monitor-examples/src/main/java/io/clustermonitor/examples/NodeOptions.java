package io.clustermonitor.examples;

import io.clustermonitor.core.GoDuration;
import io.clustermonitor.exporters.node.NodeCollector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * node_exporter 1.7.0's flags for the host collector; a picocli mixin shared by {@code
 * node-exporter} and {@code serve}. Besides the annotated options, {@link #addGoFlags} adds {@code
 * --[no-]collector.<name>} for every 1.7 Linux collector, {@code --collector.disable-defaults} and
 * every {@code --collector.<name>.<option>} flag of 1.7.
 */
final class NodeOptions {
  /**
   * Adds the generated Go flags to a command that mixes in {@link NodeOptions}: name it in the
   * command's {@code @Command(modelTransformer = NodeOptions.GoFlags.class)}.
   */
  static final class GoFlags implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      for (CommandSpec mixin : spec.mixins().values()) {
        if (mixin.userObject() instanceof NodeOptions target) {
          addGoFlags(spec, target);
        }
      }
      return spec;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(NodeOptions.class);

  /**
   * node_exporter 1.7.0's collector option flags (without {@code --collector.}) that are boolean,
   * with their defaults.
   */
  static final Map<String, Boolean> GO_BOOLEAN_OPTIONS = new LinkedHashMap<>();

  /** node_exporter 1.7.0's collector option flags that take a value (repeatable ones too). */
  static final List<String> GO_VALUE_OPTIONS =
      List.of(
          "arp.device-include",
          "arp.device-exclude",
          "cpu.info.flags-include",
          "cpu.info.bugs-include",
          "diskstats.device-include",
          "diskstats.ignored-devices",
          "ethtool.device-include",
          "ethtool.device-exclude",
          "ethtool.metrics-include",
          "filesystem.stat-workers",
          "filesystem.ignored-mount-points",
          "filesystem.ignored-fs-types",
          "hwmon.chip-include",
          "hwmon.chip-exclude",
          "ipvs.backend-labels",
          "netclass.ignored-devices",
          "netdev.device-include",
          "netdev.device-exclude",
          "netdev.device-whitelist",
          "netdev.device-blacklist",
          "netstat.fields",
          "ntp.server",
          "ntp.server-port",
          "ntp.protocol-version",
          "ntp.ip-ttl",
          "ntp.max-distance",
          "ntp.local-offset-tolerance",
          "perf.cpus",
          "perf.tracepoint",
          "perf.hardware-profilers",
          "perf.software-profilers",
          "perf.cache-profilers",
          "powersupply.ignored-supplies",
          "qdisc.fixtures",
          "qdisc.device-include",
          "qdisc.device-exclude",
          "runit.servicedir",
          "slabinfo.slabs-include",
          "slabinfo.slabs-exclude",
          "supervisord.url",
          "sysctl.include",
          "sysctl.include-info",
          "systemd.unit-include",
          "systemd.unit-exclude",
          "systemd.unit-whitelist",
          "systemd.unit-blacklist",
          "tapestats.ignored-devices",
          "textfile.directory",
          "wifi.fixtures");

  /** The option flags our collectors act on (the others are accepted with one WARN). */
  static final Set<String> WIRED_OPTIONS =
      Set.of(
          "arp.device-include",
          "arp.device-exclude",
          "bcache.priorityStats",
          "cpu.guest",
          "cpu.info",
          "cpu.info.flags-include",
          "cpu.info.bugs-include",
          "diskstats.device-include",
          "diskstats.ignored-devices",
          "filesystem.ignored-mount-points",
          "filesystem.ignored-fs-types",
          "hwmon.chip-include",
          "hwmon.chip-exclude",
          "ipvs.backend-labels",
          "netclass.ignored-devices",
          "netclass.ignore-invalid-speed",
          "netdev.address-info",
          "netdev.device-include",
          "netdev.device-exclude",
          "netdev.device-whitelist",
          "netdev.device-blacklist",
          "netdev.enable-detailed-metrics",
          "netstat.fields",
          "powersupply.ignored-supplies",
          "tapestats.ignored-devices",
          "rapl.enable-zone-label",
          "stat.softirq",
          "textfile.directory");

  /**
   * The netlink switches of 1.7: this build always reads the /proc and /sys files node_exporter
   * falls back to (docs/metrics.md), which is what {@code false} asks for; {@code true} gets one
   * WARN.
   */
  static final Set<String> NETLINK_OPTIONS =
      Set.of("arp.netlink", "netclass.netlink", "netclass_rtnl.with-stats", "netdev.netlink");

  /** 1.7's deprecated option flags and their replacements (a WARN each, as node_exporter). */
  static final Map<String, String> DEPRECATED_OPTIONS =
      Map.of(
          "netdev.device-whitelist", "netdev.device-include",
          "netdev.device-blacklist", "netdev.device-exclude");

  static {
    for (String b :
        new String[] {
          "arp.netlink=true",
          "bcache.priorityStats=false",
          "cpu.guest=true",
          "cpu.info=false",
          "netclass.ignore-invalid-speed=false",
          "netclass.netlink=false",
          "netclass_rtnl.with-stats=false",
          "netdev.address-info=false",
          "netdev.enable-detailed-metrics=false",
          "netdev.netlink=true",
          "ntp.server-is-local=false",
          "perf.disable-hardware-profilers=false",
          "perf.disable-software-profilers=false",
          "perf.disable-cache-profilers=false",
          "rapl.enable-zone-label=false",
          "stat.softirq=false",
          "systemd.enable-task-metrics=false",
          "systemd.enable-restarts-metrics=false",
          "systemd.enable-start-time-metrics=false",
          "systemd.private=false"
        }) {
      String[] kv = b.split("=");
      GO_BOOLEAN_OPTIONS.put(kv[0], Boolean.parseBoolean(kv[1]));
    }
  }

  /** {@code --[no-]collector.<name>} as given, in order. */
  final Map<String, Boolean> toggles = new LinkedHashMap<>();

  /** {@code --collector.<name>.<option>} as given (repeated values joined with a newline). */
  final Map<String, String> goOptions = new LinkedHashMap<>();

  boolean disableDefaults;

  @Option(
      names = "--path.procfs",
      paramLabel = "DIR",
      defaultValue = "${env:CM_PATH_PROCFS:-/proc}",
      description = "procfs mount point (env: CM_PATH_PROCFS; default ${DEFAULT-VALUE}).")
  Path procfs;

  @Option(
      names = "--path.sysfs",
      paramLabel = "DIR",
      defaultValue = "${env:CM_PATH_SYSFS:-/sys}",
      description = "sysfs mount point (env: CM_PATH_SYSFS; default ${DEFAULT-VALUE}).")
  Path sysfs;

  @Option(
      names = "--path.rootfs",
      paramLabel = "DIR",
      defaultValue = "${env:CM_PATH_ROOTFS:-/}",
      description =
          "Root filesystem mount point, stripped from mount points (env: CM_PATH_ROOTFS;"
              + " default ${DEFAULT-VALUE}).")
  Path rootfs;

  @Option(
      names = "--path.udev.data",
      paramLabel = "DIR",
      defaultValue = "${env:CM_PATH_UDEV_DATA:-/run/udev/data}",
      description = "udev database (env: CM_PATH_UDEV_DATA; default ${DEFAULT-VALUE}).")
  Path udevData;

  @Option(
      names = "--collector.filesystem.mount-points-exclude",
      paramLabel = "REGEX",
      defaultValue = NodeCollector.DEFAULT_MOUNT_POINTS_EXCLUDE,
      description = "Mount points to skip (default node_exporter's).")
  String mountPointsExclude;

  @Option(
      names = "--collector.filesystem.fs-types-exclude",
      paramLabel = "REGEX",
      defaultValue = NodeCollector.DEFAULT_FS_TYPES_EXCLUDE,
      description = "Filesystem types to skip (default node_exporter's).")
  String fsTypesExclude;

  @Option(
      names = "--collector.filesystem.mount-timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description =
          "How long one mount may take before device_error 1: a Go duration such as 5s or 500ms,"
              + " or seconds (default ${DEFAULT-VALUE}).")
  String mountTimeout;

  @Option(
      names = "--collector.diskstats.device-exclude",
      paramLabel = "REGEX",
      defaultValue = NodeCollector.DEFAULT_DISK_DEVICE_EXCLUDE,
      description = "Block devices to skip (default node_exporter's: partitions, loop, ram).")
  String diskDeviceExclude;

  @Option(
      names = "--collector.vmstat.fields",
      paramLabel = "REGEX",
      defaultValue = NodeCollector.DEFAULT_VMSTAT_FIELDS,
      description = "/proc/vmstat fields to report (default ${DEFAULT-VALUE}).")
  String vmstatFields;

  /**
   * Adds node_exporter's generated flags to {@code spec}, writing into {@code target}: {@code
   * --collector.<name>} (negatable) for every 1.7 collector, {@code --collector.disable-defaults},
   * and the collector option flags of {@link #GO_BOOLEAN_OPTIONS} and {@link #GO_VALUE_OPTIONS}.
   */
  static void addGoFlags(CommandSpec spec, NodeOptions target) {
    spec.addOption(
        flag(
            "--collector.disable-defaults",
            "Turn every default collector off (node_exporter's flag).",
            () -> target.disableDefaults = true));
    for (String name : NodeCollector.GO_COLLECTORS.keySet()) {
      spec.addOption(flag("--collector." + name, null, () -> target.toggles.put(name, true)));
      spec.addOption(flag("--no-collector." + name, null, () -> target.toggles.put(name, false)));
    }
    for (String key : GO_BOOLEAN_OPTIONS.keySet()) {
      spec.addOption(flag("--collector." + key, null, () -> target.goOptions.put(key, "true")));
      spec.addOption(flag("--no-collector." + key, null, () -> target.goOptions.put(key, "false")));
    }
    for (String key : GO_VALUE_OPTIONS) {
      List<String> values = new ArrayList<>();
      spec.addOption(
          OptionSpec.builder("--collector." + key)
              .arity("1")
              .type(String[].class)
              .auxiliaryTypes(String.class)
              .paramLabel("VALUE")
              .hidden(true)
              .getter(
                  new CommandLine.Model.IGetter() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> T get() {
                      return values.isEmpty() ? null : (T) values.toArray(new String[0]);
                    }
                  })
              .setter(
                  new CommandLine.Model.ISetter() {
                    @Override
                    public <T> T set(T value) {
                      if (value instanceof String[] given) {
                        values.clear();
                        values.addAll(List.of(given));
                        target.goOptions.put(key, String.join("\n", values));
                      }
                      return null;
                    }
                  })
              .build());
    }
  }

  /** A boolean flag without a value that runs {@code onSet} when given. */
  private static OptionSpec flag(String name, String description, Runnable onSet) {
    OptionSpec.Builder b =
        OptionSpec.builder(name)
            .arity("0")
            .type(boolean.class)
            .hidden(description == null)
            .setter(
                new CommandLine.Model.ISetter() {
                  @Override
                  public <T> T set(T value) {
                    if (Boolean.TRUE.equals(value)) {
                      onSet.run();
                    }
                    return null;
                  }
                });
    if (description != null) {
      b.description(description);
    }
    return b.build();
  }

  /**
   * The flags given that this build accepts but does not act on, one line each (for one WARN at
   * startup): option flags of collectors we do not implement or options we do not support.
   */
  List<String> ignoredFlags(NodeCollector collector) {
    List<String> out = new ArrayList<>();
    for (String c : collector.unimplemented()) {
      out.add(
          "collector '"
              + c
              + "' is a node_exporter 1.7 collector this build does not implement: it reports"
              + " nothing");
    }
    for (Map.Entry<String, String> e : goOptions.entrySet()) {
      String key = e.getKey();
      if (NETLINK_OPTIONS.contains(key)) {
        if (Boolean.parseBoolean(e.getValue())) {
          out.add(
              "--collector."
                  + key
                  + " is accepted, but this build does not use netlink: it reads /proc and /sys"
                  + " instead (see docs/metrics.md)");
        }
      } else if (!WIRED_OPTIONS.contains(key)) {
        out.add("--collector." + key + " is accepted but has no effect in this build");
      }
    }
    return out;
  }

  /** One line per deprecated option flag given, worded as node_exporter 1.7 warns. */
  List<String> deprecatedFlags() {
    List<String> out = new ArrayList<>();
    DEPRECATED_OPTIONS.forEach(
        (old, replacement) -> {
          if (goOptions.containsKey(old)) {
            out.add(
                "--collector."
                    + old
                    + " is DEPRECATED and will be removed in 2.0.0, use --collector."
                    + replacement);
          }
        });
    out.sort(null);
    return out;
  }

  /**
   * Builds the host collector and logs, once, each accepted flag that has no effect.
   *
   * @throws IllegalArgumentException on a bad regular expression or timeout
   */
  NodeCollector collector() {
    NodeCollector c = build();
    for (String line : ignoredFlags(c)) {
      LOG.warn(line);
    }
    for (String line : deprecatedFlags()) {
      LOG.warn(line);
    }
    return c;
  }

  /**
   * Builds the host collector without logging.
   *
   * @throws IllegalArgumentException on a bad regular expression or timeout
   */
  NodeCollector build() {
    Duration statfsTimeout = mountTimeout(mountTimeout);
    NodeCollector.Builder b = NodeCollector.builder();
    if (disableDefaults) {
      b.disableDefaults();
    }
    toggles.forEach(
        (name, on) -> {
          if (on) {
            b.enable(name);
          } else {
            b.disable(name);
          }
        });
    goOptions.forEach(b::option);
    String mountPoints =
        goOptions.getOrDefault("filesystem.ignored-mount-points", mountPointsExclude);
    String fsTypes = goOptions.getOrDefault("filesystem.ignored-fs-types", fsTypesExclude);
    String devices = goOptions.getOrDefault("diskstats.ignored-devices", diskDeviceExclude);
    return b.procfs(procfs)
        .sysfs(sysfs)
        .rootfs(rootfs)
        .udevData(udevData)
        .mountPointsExclude(mountPoints)
        .fsTypesExclude(fsTypes)
        .diskDeviceExclude(devices)
        .vmstatFields(vmstatFields)
        .statfsTimeout(statfsTimeout)
        .build();
  }

  /**
   * node_exporter's {@code --collector.filesystem.mount-timeout}: a Go duration ({@code 5s}), or a
   * number of seconds as this flag took before.
   *
   * @throws IllegalArgumentException when it is neither, or not positive
   */
  static Duration mountTimeout(String text) {
    Duration d = GoDuration.parseOrSeconds("--collector.filesystem.mount-timeout", text);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          "--collector.filesystem.mount-timeout must be positive, got '" + text + "'");
    }
    return d;
  }
}
