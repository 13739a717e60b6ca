package io.clustermonitor.core;

import io.clustermonitor.core.internal.ContainerIds;
import io.clustermonitor.core.internal.DockerApi;
import io.clustermonitor.core.internal.EngineErrors;
import io.clustermonitor.core.internal.EngineStatsMapper;
import io.clustermonitor.core.model.AggregateStats;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsEngine;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link DockerMonitor} built by {@link DockerMonitor.Builder#build()}: engine calls through
 * one {@link DockerApi} (a pooled client, created on the first query), the live stats engine
 * started by the first {@link #snapshot()}; both closed by {@link #close()}. Thread-safe.
 */
final class EngineDockerMonitor implements DockerMonitor {
  /** Stats calls in flight at once for {@link #aggregateStats()} and {@link #snapshot()}. */
  static final int MAX_PARALLEL_STATS = 8;

  /** Connection pool size: parallel stats calls plus room for other queries. */
  static final int MAX_CONNECTIONS = 16;

  /** Name of the stats source in {@link SystemInfo} until the live stats engine runs. */
  static final String NO_STATS_SOURCE = "none";

  private final DockerEndpoint endpoint;
  private final DockerMonitor.Builder settings;
  private final Object lock = new Object();
  private volatile StatsEngine engine;
  private final DockerApi api;
  private volatile boolean closed;

  /** Creates the monitor from validated settings; nothing is contacted until the first query. */
  EngineDockerMonitor(DockerMonitor.Builder settings) {
    this.settings = settings.copy();
    this.endpoint = this.settings.effectiveEndpoint();
    this.api = new DockerApi(endpoint, MAX_CONNECTIONS);
  }

  /** The live engine's builder, configured from the settings. */
  StatsEngine.Builder liveEngineBuilder() {
    return StatsEngine.builder(endpoint)
        .statsSource(settings.statsSource())
        .cgroupRoot(settings.cgroupRoot())
        .procRoot(settings.procfsRoot())
        .samplingInterval(settings.samplingInterval())
        .resyncInterval(settings.resyncInterval())
        .firstSyncTimeout(settings.firstSyncTimeout());
  }

  /** The live stats engine, started on first use (waits up to the read timeout for its list). */
  StatsEngine liveEngine() {
    StatsEngine e = engine;
    if (e != null) {
      return e;
    }
    synchronized (lock) {
      if (closed) {
        throw new ClosedException("DockerMonitor for " + endpoint);
      }
      if (engine == null) {
        engine = liveEngineBuilder().buildAndStart();
      }
      return engine;
    }
  }

  /** The running live engine if it follows the engine right now, else empty. */
  private Optional<StatsEngine> upEngine() {
    StatsEngine e = engine;
    return e != null && e.registry().engineUp() ? Optional.of(e) : Optional.empty();
  }

  @Override
  public DockerEndpoint endpoint() {
    return endpoint;
  }

  /** The negotiated API version, or {@code null} before the first successful query. */
  String apiVersion() {
    return api.apiVersion();
  }

  private DockerApi api() {
    if (closed) {
      throw new ClosedException("DockerMonitor for " + endpoint);
    }
    return api;
  }

  @Override
  public List<ContainerSummary> containers(ContainerFilter filter) {
    Objects.requireNonNull(filter, "filter");
    Optional<StatsEngine> live = upEngine();
    if (live.isPresent()) {
      // the registry is kept current from the event stream: no engine call
      return live.get().registry().containers().stream().filter(filter::matches).toList();
    }
    return api().containers(filter);
  }

  @Override
  public ContainerDetails container(String idOrName) {
    return api().container(ContainerIds.check(idOrName), idOrName);
  }

  @Override
  public SystemInfo systemInfo() {
    StatsEngine e = engine;
    return api().systemInfo(e == null ? NO_STATS_SOURCE : e.statsSourceName());
  }

  @Override
  public ContainerStats stats(String idOrName) {
    String id = ContainerIds.check(idOrName);
    Optional<StatsEngine> live = upEngine();
    if (live.isPresent()) {
      Optional<ContainerStats> cached =
          resolve(live.get(), id).flatMap(c -> live.get().stats(c.id()));
      if (cached.isPresent()) {
        return cached.get();
      }
      // not running, unknown, or started less than one sampling interval ago: ask the engine
    }
    // Empty: the engine closed the answer without a frame, the container stopped or went away
    // while the engine was sampling. Not found if it is gone, all-zero stats (like docker stats)
    // if not.
    return api()
        .statsOnce(id, idOrName, null)
        .orElseGet(() -> api().zeroStats(container(idOrName).summary()));
  }

  /** A registry container by full id, unique id prefix, or name. */
  private static Optional<ContainerSummary> resolve(StatsEngine live, String idOrName) {
    String name = EngineStatsMapper.stripSlash(idOrName);
    Optional<ContainerSummary> exact = live.registry().container(idOrName);
    if (exact.isPresent()) {
      return exact;
    }
    List<ContainerSummary> matches =
        live.registry().containers().stream()
            .filter(c -> c.name().equals(name) || c.id().startsWith(idOrName))
            .toList();
    return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
  }

  @Override
  public AggregateStats aggregateStats() {
    Optional<StatsEngine> live = upEngine();
    if (live.isPresent()) {
      return live.get().aggregate();
    }
    Map<String, ContainerStats> stats = statsOf(containers(ContainerFilter.RUNNING));
    return AggregateStats.of(stats.values(), Instant.now());
  }

  /**
   * Read from the live stats engine's memory; the first call starts it (event subscription, first
   * list, stats source choice), later calls do no engine I/O.
   */
  @Override
  public StatsSnapshot snapshot() {
    return liveEngine().snapshot();
  }

  @Override
  public Optional<StatsSnapshot> trySnapshot() {
    StatsEngine e = engine; // assigned once buildAndStart returned: started and first-synced
    if (closed) {
      throw new ClosedException("DockerMonitor for " + endpoint);
    }
    return e == null ? Optional.empty() : Optional.of(e.snapshot());
  }

  /**
   * Stats of the given containers, at most {@link #MAX_PARALLEL_STATS} calls at once; containers
   * that vanished meanwhile are left out. Keyed by full id, in the given order.
   */
  Map<String, ContainerStats> statsOf(List<ContainerSummary> running) {
    if (running.isEmpty()) {
      return Map.of();
    }
    int threads = Math.min(MAX_PARALLEL_STATS, running.size());
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "cluster-monitor-stats-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<ContainerStats>> futures = new ArrayList<>(running.size());
      for (ContainerSummary c : running) {
        futures.add(
            pool.submit(
                // null: stopped while being sampled
                () -> api().statsOnce(c.id(), c.id(), c).orElse(null)));
      }
      Map<String, ContainerStats> out = new LinkedHashMap<>();
      for (Future<ContainerStats> f : futures) {
        try {
          ContainerStats s = f.get();
          if (s != null) {
            out.put(s.id(), s);
          }
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof ContainerNotFoundException)) {
            throw e.getCause() instanceof ClusterMonitorException cme
                ? cme
                : EngineErrors.translate(endpoint, null, e.getCause());
          }
        }
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterMonitorException("Interrupted while reading stats from " + endpoint, e);
    } finally {
      pool.shutdownNow();
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (engine != null) {
        engine.close();
        engine = null;
      }
      api.close();
    }
  }

  @Override
  public String toString() {
    String v = api.apiVersion();
    return "DockerMonitor{" + endpoint + (v == null ? "" : ", api " + v) + "}";
  }
}
