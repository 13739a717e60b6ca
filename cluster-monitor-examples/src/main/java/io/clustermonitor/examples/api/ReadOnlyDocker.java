package io.clustermonitor.examples.api;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.util.Objects;
import java.util.Optional;

/**
 * The only view of the engine the REST handlers hold: the read methods the API needs and nothing
 * else (not even {@code close()}). Handlers never see the {@link DockerMonitor} itself, so no
 * request can reach anything but these reads; {@code ReadOnlyDockerTest} keeps that list fixed.
 */
final class ReadOnlyDocker {
  private final DockerMonitor monitor;

  ReadOnlyDocker(DockerMonitor monitor) {
    this.monitor = Objects.requireNonNull(monitor, "monitor");
  }

  /** The endpoint URI as text, e.g. {@code unix:///var/run/docker.sock}. */
  String endpoint() {
    return monitor.endpoint().toString();
  }

  /** The engine's short name. */
  String host() {
    return monitor.endpoint().name();
  }

  StatsSnapshot snapshot() {
    return monitor.snapshot();
  }

  /** The snapshot, or empty at once while the live engine is still starting. */
  Optional<StatsSnapshot> trySnapshot() {
    return monitor.trySnapshot();
  }

  ContainerDetails container(String fullId) {
    return monitor.container(fullId);
  }

  ContainerStats stats(String fullId) {
    return monitor.stats(fullId);
  }

  SystemInfo systemInfo() {
    return monitor.systemInfo();
  }
}
