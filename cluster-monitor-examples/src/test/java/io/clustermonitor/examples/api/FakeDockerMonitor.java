package io.clustermonitor.examples.api;

import io.clustermonitor.core.ClosedException;
import io.clustermonitor.core.ContainerNotFoundException;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.core.model.AggregateStats;
import io.clustermonitor.core.model.ContainerCounts;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.EngineInfo;
import io.clustermonitor.core.model.HealthStatus;
import io.clustermonitor.core.model.HostInfo;
import io.clustermonitor.core.model.NetworkInterfaceStats;
import io.clustermonitor.core.model.ResourceLimits;
import io.clustermonitor.core.model.StatsSample;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** An in-memory monitor for handler tests: fixed containers, switchable engine state. */
final class FakeDockerMonitor implements DockerMonitor {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  final DockerEndpoint endpoint = DockerEndpoint.builder("tcp://127.0.0.1:2375").build();
  final List<ContainerSummary> containers = new ArrayList<>();
  final Map<String, ContainerStats> stats = new LinkedHashMap<>();
  final Map<String, ContainerDetails> details = new LinkedHashMap<>();
  volatile boolean engineUp = true;

  /**
   * When set, snapshots list this registry's containers (as the live engine does), not {@link
   * #containers}.
   */
  volatile io.clustermonitor.core.events.ContainerRegistry registry;

  volatile boolean throwOnSnapshot;
  volatile Supplier<RuntimeException> failure;
  volatile CountDownLatch block;

  /** Calls waiting on {@link #block} now. */
  final AtomicInteger blockedCalls = new AtomicInteger();

  /** When set, engine calls (inspect, system info, stats) wait for it; the snapshot does not. */
  volatile CountDownLatch blockEngineCalls;

  private void awaitEngine() {
    CountDownLatch b = blockEngineCalls;
    if (b != null) {
      try {
        b.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  final AtomicInteger engineCalls = new AtomicInteger();

  static String hexId(int n) {
    return String.format("%02x", n).repeat(32);
  }

  FakeDockerMonitor add(
      int n, String name, ContainerState state, Map<String, String> labels, String networkMode) {
    String id = hexId(n);
    ContainerSummary s =
        new ContainerSummary(
            id,
            name,
            "cluster-monitor/busybox:test",
            state,
            HealthStatus.NONE,
            T0.plusSeconds(n),
            T0.plusSeconds(n + 1),
            null,
            0,
            false,
            0,
            labels,
            new ResourceLimits(64L << 20, 0, 50_000, 100_000, 0, 0, 0),
            "local");
    containers.add(s);
    details.put(
        id,
        new ContainerDetails(
            s,
            List.of("sleep", "600"),
            "/",
            "",
            List.of("PATH", "SECRET_TOKEN"),
            state == ContainerState.RUNNING ? 1000 + n : 0,
            networkMode,
            "no",
            List.of(),
            List.of("0.0.0.0:18080->8080/tcp"),
            List.of()));
    if (state == ContainerState.RUNNING) {
      StatsSample sample =
          StatsSample.builder(T0.plusSeconds(100))
              .cpuTotalNanos(2_000_000_000L * n)
              .onlineCpus(2)
              .memoryUsageBytes(10L << 20)
              .memoryWorkingSetBytes(8L << 20)
              .memoryLimitBytes(64L << 20)
              .memoryLimited(true)
              .networks(List.of(new NetworkInterfaceStats("eth0", 100, 1, 0, 0, 200, 2, 0, 0)))
              .pids(3)
              .build();
      stats.put(id, new ContainerStats(id, name, "local", sample.timestamp(), 12.5 * n, sample));
    }
    return this;
  }

  private void maybeFail() {
    CountDownLatch b = block;
    if (b != null) {
      blockedCalls.incrementAndGet();
      try {
        b.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        blockedCalls.decrementAndGet();
      }
    }
    Supplier<RuntimeException> f = failure;
    if (f != null) {
      throw f.get();
    }
  }

  @Override
  public DockerEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public List<ContainerSummary> containers(ContainerFilter filter) {
    throw new AssertionError("the API must answer lists from the snapshot");
  }

  @Override
  public ContainerDetails container(String idOrName) {
    engineCalls.incrementAndGet();
    awaitEngine();
    maybeFail();
    ContainerDetails d = details.get(idOrName);
    if (d == null) {
      throw new ContainerNotFoundException(idOrName, null);
    }
    return d;
  }

  @Override
  public SystemInfo systemInfo() {
    engineCalls.incrementAndGet();
    awaitEngine();
    maybeFail();
    if (!engineUp) {
      throw new EngineUnavailableException(endpoint.toString(), "connection refused", null);
    }
    return new SystemInfo(
        "local",
        new EngineInfo("20.10.24", "1.41", "overlay2", "cgroupfs", "1", 1),
        new HostInfo("Debian", "linux", "x86_64", "6.1.0", "box", 2, 4L << 30),
        new ContainerCounts(containers.size(), 1, 0, 0),
        "cgroup");
  }

  @Override
  public ContainerStats stats(String idOrName) {
    engineCalls.incrementAndGet();
    maybeFail();
    ContainerStats s = stats.get(idOrName);
    if (s == null) {
      throw new ContainerNotFoundException(idOrName, null);
    }
    return s;
  }

  @Override
  public AggregateStats aggregateStats() {
    throw new AssertionError("the API must aggregate from the snapshot");
  }

  private volatile boolean closed;
  final java.util.concurrent.atomic.AtomicInteger snapshots =
      new java.util.concurrent.atomic.AtomicInteger();

  /** From now on every snapshot throws as a closed monitor's does. */
  void markClosed() {
    closed = true;
  }

  @Override
  public StatsSnapshot snapshot() {
    snapshots.incrementAndGet();
    if (closed) {
      throw new ClosedException("DockerMonitor for " + endpoint);
    }
    maybeFail();
    if (throwOnSnapshot) {
      throw new EngineUnavailableException(endpoint.toString(), "connection refused", null);
    }
    return new StatsSnapshot(
        "local",
        T0.plusSeconds(100),
        engineUp,
        engineUp ? "" : "connection refused",
        "cgroup",
        registry == null ? containers : registry.containers(),
        stats,
        Map.of());
  }

  @Override
  public void close() {}
}
