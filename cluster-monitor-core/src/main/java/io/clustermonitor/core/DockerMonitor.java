package io.clustermonitor.core;

import io.clustermonitor.core.model.AggregateStats;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.util.List;

/**
 * Typed, read-only access to one Docker engine.
 *
 * <p><b>Should be shared.</b> A monitor holds a connection pool and, once {@link #snapshot()} has
 * been called, a live stats engine with its own threads. Create one per engine, share it between
 * threads, and {@link #close()} it when done. All methods are thread-safe and block for at most the
 * endpoint's read timeout.
 *
 * <pre>{@code
 * try (DockerMonitor docker = DockerMonitor.connect(DockerEndpoint.fromEnvironment())) {
 *   for (ContainerSummary c : docker.containers(ContainerFilter.RUNNING)) {
 *     ContainerStats s = docker.stats(c.id());
 *     System.out.printf("%s %.1f%% %d bytes%n", c.name(), s.cpuPercent(), s.memoryWorkingSetBytes());
 *   }
 * }
 * }</pre>
 *
 * <p>Failures are unchecked: {@link ContainerNotFoundException}, {@link EngineUnavailableException}
 * (naming the endpoint), {@link EngineTimeoutException}, all {@link ClusterMonitorException}s.
 */
public interface DockerMonitor extends AutoCloseable {

  /**
   * Connects to an engine. The connection is lazy: an unreachable engine fails the first query, not
   * this call.
   */
  static DockerMonitor connect(DockerEndpoint endpoint) {
    return io.clustermonitor.core.internal.DefaultDockerMonitor.create(endpoint);
  }

  /** Connects to the engine named by {@code DOCKER_HOST} (default {@code /var/run/docker.sock}). */
  static DockerMonitor fromEnvironment() {
    return connect(DockerEndpoint.fromEnvironment());
  }

  /** The endpoint this monitor talks to. */
  DockerEndpoint endpoint();

  /** Containers matching the filter, newest first. */
  List<ContainerSummary> containers(ContainerFilter filter);

  /** Running containers, newest first. */
  default List<ContainerSummary> containers() {
    return containers(ContainerFilter.RUNNING);
  }

  /**
   * One container's details, environment values removed.
   *
   * @param idOrName full or short hex id, or name (with or without the leading {@code /})
   * @throws ContainerNotFoundException when there is no such container
   * @throws IllegalArgumentException when {@code idOrName} is blank or has characters no id or name
   *     has
   */
  ContainerDetails container(String idOrName);

  /** Facts about the engine and its host. */
  SystemInfo systemInfo();

  /**
   * Current resource use of one running container, computed like {@code docker stats}. Answered
   * from the live stats engine once it runs, otherwise with one engine call (1-2 s).
   *
   * @throws ContainerNotFoundException when there is no such container
   */
  ContainerStats stats(String idOrName);

  /** Sums of {@link #stats(String)} over all running containers. */
  AggregateStats aggregateStats();

  /**
   * A consistent view of all containers and their latest stats, read from memory without calling
   * the engine. The first call starts the live stats engine (event subscription and stats source);
   * later calls cost O(containers).
   */
  StatsSnapshot snapshot();

  /** Stops the live engine, its threads and connections. Idempotent. */
  @Override
  void close();
}
