package io.clustermonitor.examples;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.exporters.container.ContainerCollector;
import io.clustermonitor.exporters.container.MachineFacts;
import io.clustermonitor.exporters.container.MetricKinds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The container collector's settings; a mixin shared by {@code container-exporter} and serve. */
final class ContainerOptions {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerOptions.class);

  @Option(
      names = "--container-label",
      paramLabel = "KEY",
      split = ",",
      defaultValue = "${env:CLUSTER_MONITOR_CONTAINER_LABELS}",
      description =
          "Container label keys exported as container_label_<key> on container metrics,"
              + " comma-separated (env: CLUSTER_MONITOR_CONTAINER_LABELS).")
  List<String> labels;

  @Option(
      names = "--container-include",
      paramLabel = "REGEX",
      defaultValue = "${env:CLUSTER_MONITOR_CONTAINER_INCLUDE}",
      description =
          "Only containers whose name fully matches (env: CLUSTER_MONITOR_CONTAINER_INCLUDE).")
  String include;

  @Option(
      names = "--container-exclude",
      paramLabel = "REGEX",
      defaultValue = "${env:CLUSTER_MONITOR_CONTAINER_EXCLUDE}",
      description =
          "Skip containers whose name fully matches (env: CLUSTER_MONITOR_CONTAINER_EXCLUDE).")
  String exclude;

  // ---- cAdvisor 0.47 flags (Go's flag package accepts one or two dashes) ----

  @Option(
      names = {"--disable_metrics", "-disable_metrics"},
      paramLabel = "KINDS",
      split = ",",
      description =
          "cAdvisor: comma-separated metric kinds to disable. Replaces the default list"
              + " (memory_numa,tcp,udp,advtcp,sched,process,hugetlb,referenced_memory,"
              + "cpu_topology,resctrl,cpuset): kinds not listed are on.")
  List<String> disableMetrics;

  @Option(
      names = {"--enable_metrics", "-enable_metrics"},
      paramLabel = "KINDS",
      split = ",",
      description =
          "cAdvisor: comma-separated metric kinds to enable; when given, exactly these are on"
              + " and --disable_metrics is ignored.")
  List<String> enableMetrics;

  @Option(
      names = {"--docker_only", "-docker_only"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "cAdvisor: only report Docker containers. Always the case here (raw cgroups are"
              + " never reported); false is accepted and logged.")
  Boolean dockerOnly;

  @Option(
      names = {"--store_container_labels", "-store_container_labels"},
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "true",
      paramLabel = "BOOL",
      description =
          "cAdvisor: export every container label as container_label_<key> (default"
              + " ${DEFAULT-VALUE}); false exports only --whitelisted_container_labels and"
              + " --container-label. Each series carries only its own container's labels.")
  boolean storeContainerLabels = true;

  @Option(
      names = {"--whitelisted_container_labels", "-whitelisted_container_labels"},
      paramLabel = "KEYS",
      split = ",",
      description =
          "cAdvisor: label keys kept when --store_container_labels=false, comma-separated.")
  List<String> whitelistedLabels;

  @Option(
      names = {"--env_metadata_whitelist", "-env_metadata_whitelist"},
      paramLabel = "PREFIXES",
      split = ",",
      description =
          "cAdvisor: environment variables whose name starts with one of these prefixes become"
              + " container_env_<name> labels (local engine only; never by default). Values"
              + " often hold secrets: list only names safe to publish.")
  List<String> envWhitelist;

  @Option(
      names = {"--housekeeping_interval", "-housekeeping_interval"},
      paramLabel = "DURATION",
      description =
          "cAdvisor: interval between container samples (Go duration: 1s, 500ms, 10s;"
              + " default 1s). Sets CLUSTER_MONITOR_SAMPLING_INTERVAL for the live engine.")
  String housekeepingInterval;

  /** The environment for the monitor, with the housekeeping interval applied. */
  Map<String, String> monitorEnv(Map<String, String> env) {
    if (housekeepingInterval == null || housekeepingInterval.isBlank()) {
      return env;
    }
    DockerMonitor.Builder.parseDuration("--housekeeping_interval", housekeepingInterval);
    Map<String, String> out = new java.util.HashMap<>(env);
    out.put(DockerMonitor.Builder.SAMPLING_INTERVAL_ENV, housekeepingInterval.trim());
    return out;
  }

  /**
   * Builds the collector over {@code monitor}.
   *
   * @throws IllegalArgumentException on a bad regular expression or an unknown metric kind
   */
  ContainerCollector collector(DockerMonitor monitor) {
    ContainerCollector.Builder b = ContainerCollector.builder(monitor);
    List<String> allow = new ArrayList<>();
    if (labels != null) {
      allow.addAll(labels.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
    if (whitelistedLabels != null) {
      allow.addAll(whitelistedLabels.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
    b.labelAllowList(allow.stream().distinct().toList());
    b.storeContainerLabels(storeContainerLabels && (labels == null || labels.isEmpty()));
    Set<String> kinds = MetricKinds.resolve(disableMetrics, enableMetrics);
    b.metricKinds(kinds);
    List<String> unsupported =
        kinds.stream().filter(MetricKinds.UNSUPPORTED::contains).sorted().toList();
    if (!unsupported.isEmpty() && (disableMetrics != null || enableMetrics != null)) {
      LOG.info("metric kinds {} are accepted but have no data source here", unsupported);
    }
    if (Boolean.FALSE.equals(dockerOnly)) {
      LOG.warn("--docker_only=false: only Docker containers are reported (no raw cgroups)");
    }
    if (envWhitelist != null) {
      b.envAllowList(envWhitelist);
    }
    DockerMonitor.Builder roots =
        DockerMonitor.builder(monitor.endpoint()).applyEnvironment(System.getenv());
    Path proc = roots.procfsRoot();
    b.hostRoots(roots.cgroupRoot(), proc);
    b.machineFacts(() -> MachineFacts.read(Path.of("/etc"), proc, Path.of("/sys")));
    if (include != null && !include.isBlank()) {
      b.include(include);
    }
    if (exclude != null && !exclude.isBlank()) {
      b.exclude(exclude);
    }
    return b.build();
  }
}
