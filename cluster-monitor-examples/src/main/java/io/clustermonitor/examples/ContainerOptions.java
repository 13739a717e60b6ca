package io.clustermonitor.examples;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.exporters.container.ContainerCollector;
import java.util.List;
import picocli.CommandLine.Option;

/** The container collector's settings; a mixin shared by {@code container-exporter} and serve. */
final class ContainerOptions {
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

  /**
   * Builds the collector over {@code monitor}.
   *
   * @throws IllegalArgumentException on a bad regular expression
   */
  ContainerCollector collector(DockerMonitor monitor) {
    ContainerCollector.Builder b = ContainerCollector.builder(monitor);
    if (labels != null) {
      b.labelAllowList(labels.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
    if (include != null && !include.isBlank()) {
      b.include(include);
    }
    if (exclude != null && !exclude.isBlank()) {
      b.exclude(exclude);
    }
    return b.build();
  }
}
