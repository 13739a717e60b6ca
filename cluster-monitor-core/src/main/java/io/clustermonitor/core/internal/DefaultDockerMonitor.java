package io.clustermonitor.core.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.ListContainersCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Statistics;
import io.clustermonitor.core.ClusterMonitorException;
import io.clustermonitor.core.ContainerNotFoundException;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.EngineTimeoutException;
import io.clustermonitor.core.model.AggregateStats;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsEngine;
import io.clustermonitor.core.stats.StatsSnapshot;
import io.clustermonitor.core.stats.StatsSourceChoice;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link DockerMonitor} over docker-java: one pooled httpclient5 client per monitor, created on
 * the first query (API version negotiated then), closed by {@link #close()}. Thread-safe.
 */
public final class DefaultDockerMonitor implements DockerMonitor {
  /** Stats calls in flight at once for {@link #aggregateStats()} and {@link #snapshot()}. */
  static final int MAX_PARALLEL_STATS = 8;

  /** Connection pool size: parallel stats calls plus room for other queries. */
  static final int MAX_CONNECTIONS = 16;

  /** Extra time granted to a {@code stream=false} stats call (the engine samples twice). */
  private static final Duration STATS_GRACE = Duration.ofSeconds(3);

  /** Name of the stats source in {@link SystemInfo} until the live stats engine runs. */
  static final String NO_STATS_SOURCE = "none";

  /** Environment variable naming the cgroup root the live engine reads (a container's view). */
  public static final String CGROUP_ROOT_ENV = "CLUSTER_MONITOR_CGROUP_ROOT";

  /** Environment variable naming the procfs root the live engine reads. */
  public static final String PROCFS_ENV = "CLUSTER_MONITOR_PROCFS";

  /**
   * Environment variable choosing the stats source: {@code auto}, {@code cgroup}, {@code
   * engine-api}.
   */
  public static final String STATS_SOURCE_ENV = "CLUSTER_MONITOR_STATS_SOURCE";

  /**
   * Environment variable setting the live engine's sampling interval (cAdvisor's {@code
   * --housekeeping_interval}): a Go-style duration such as {@code 1s}, {@code 500ms}, {@code 1m}.
   */
  public static final String SAMPLING_INTERVAL_ENV = "CLUSTER_MONITOR_SAMPLING_INTERVAL";

  private final DockerEndpoint endpoint;
  private final Map<String, String> env;
  private final Object lock = new Object();
  private volatile StatsEngine engine;
  private volatile DockerClient client;
  private volatile String apiVersion;
  private volatile boolean closed;

  private DefaultDockerMonitor(DockerEndpoint endpoint, Map<String, String> env) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.env = Map.copyOf(env);
    liveEngineBuilder(); // fail fast on bad settings
  }

  /** Creates the monitor; nothing is contacted until the first query. */
  public static DockerMonitor create(DockerEndpoint endpoint) {
    return new DefaultDockerMonitor(endpoint, System.getenv());
  }

  /**
   * Creates the monitor with the live engine's settings read from {@code env} ({@value
   * #CGROUP_ROOT_ENV}, {@value #PROCFS_ENV}, {@value #STATS_SOURCE_ENV}).
   *
   * @throws IllegalArgumentException when a setting is invalid
   */
  public static DefaultDockerMonitor create(DockerEndpoint endpoint, Map<String, String> env) {
    return new DefaultDockerMonitor(endpoint, Objects.requireNonNull(env, "env"));
  }

  /** The live engine's builder, configured from the environment. */
  StatsEngine.Builder liveEngineBuilder() {
    StatsEngine.Builder b = StatsEngine.builder(endpoint).firstSyncTimeout(endpoint.readTimeout());
    String cgroup = env.getOrDefault(CGROUP_ROOT_ENV, "");
    if (!cgroup.isBlank()) {
      b.cgroupRoot(Path.of(cgroup.trim()));
    }
    String procfs = env.getOrDefault(PROCFS_ENV, "");
    if (!procfs.isBlank()) {
      b.procRoot(Path.of(procfs.trim()));
    }
    String interval = env.getOrDefault(SAMPLING_INTERVAL_ENV, "").trim();
    if (!interval.isEmpty()) {
      b.samplingInterval(parseDuration(SAMPLING_INTERVAL_ENV, interval));
    }
    String source = env.getOrDefault(STATS_SOURCE_ENV, "").trim().toLowerCase(Locale.ROOT);
    b.statsSource(
        switch (source) {
          case "", "auto" -> StatsSourceChoice.AUTO;
          case "cgroup" -> StatsSourceChoice.CGROUP;
          case "engine-api", "api" -> StatsSourceChoice.ENGINE_API;
          default ->
              throw new IllegalArgumentException(
                  STATS_SOURCE_ENV
                      + " must be auto, cgroup or engine-api, got '"
                      + env.get(STATS_SOURCE_ENV)
                      + "'");
        });
    return b;
  }

  /**
   * Parses a Go-style duration ({@code 300ms}, {@code 1s}, {@code 1.5s}, {@code 2m}, {@code 1h}).
   *
   * @throws IllegalArgumentException when malformed
   */
  public static java.time.Duration parseDuration(String what, String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          what + " must be a duration such as 1s, 500ms or 1m, got '" + text + "'");
    }
    double v = Double.parseDouble(m.group(1));
    double millis =
        switch (m.group(2)) {
          case "ms" -> v;
          case "s" -> v * 1000;
          case "m" -> v * 60_000;
          default -> v * 3_600_000;
        };
    return java.time.Duration.ofMillis(Math.round(millis));
  }

  /** The live stats engine, started on first use (waits up to the read timeout for its list). */
  StatsEngine liveEngine() {
    StatsEngine e = engine;
    if (e != null) {
      return e;
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("DockerMonitor for " + endpoint + " is closed");
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
  public String apiVersion() {
    return apiVersion;
  }

  private DockerClient client() {
    DockerClient c = client;
    if (c != null && !closed) {
      return c;
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("DockerMonitor for " + endpoint + " is closed");
      }
      if (client == null) {
        var http = DockerClients.httpClient(endpoint, MAX_CONNECTIONS, endpoint.readTimeout());
        try {
          String api = DockerClients.negotiateApiVersion(endpoint, http);
          client = DockerClients.client(endpoint, http, api);
          apiVersion = api;
        } catch (RuntimeException e) {
          DockerClients.closeQuietly(http);
          throw e;
        }
      }
      return client;
    }
  }

  @Override
  public List<ContainerSummary> containers(ContainerFilter filter) {
    Objects.requireNonNull(filter, "filter");
    Optional<StatsEngine> live = upEngine();
    if (live.isPresent()) {
      // the registry is kept current from the event stream: no engine call
      return live.get().registry().containers().stream().filter(filter::matches).toList();
    }
    DockerClient docker = client();
    List<Container> listed;
    try {
      ListContainersCmd cmd = docker.listContainersCmd().withShowAll(true);
      Set<ContainerState> states = filter.states();
      if (!filter.allStates() && !states.contains(ContainerState.UNKNOWN)) {
        cmd.withStatusFilter(states.stream().map(ContainerState::engineName).toList());
      }
      if (!filter.labels().isEmpty()) {
        List<String> labels = new ArrayList<>();
        filter.labels().forEach((k, v) -> labels.add(v == null ? k : k + "=" + v));
        cmd.withLabelFilter(labels);
      }
      listed = cmd.exec();
    } catch (RuntimeException e) {
      throw EngineErrors.translate(endpoint, null, e);
    }
    List<ContainerSummary> out = new ArrayList<>(listed.size());
    for (Container c : listed) {
      if (filter.namePattern() != null && !nameMatches(filter, c)) {
        continue; // skip the inspect call for names that cannot match
      }
      InspectContainerResponse inspected = inspectOrNull(docker, c.getId());
      if (inspected == null) {
        continue; // removed between list and inspect
      }
      ContainerSummary s = ContainerMapper.summary(inspected, endpoint.name());
      if (filter.matches(s)) {
        out.add(s);
      }
    }
    out.sort(
        Comparator.comparing(
                ContainerSummary::createdAt,
                Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .reversed());
    return out;
  }

  private static boolean nameMatches(ContainerFilter filter, Container c) {
    if (c.getNames() == null) {
      return true;
    }
    for (String n : c.getNames()) {
      if (filter.namePattern().matcher(EngineStatsMapper.stripSlash(n)).matches()) {
        return true;
      }
    }
    return false;
  }

  private InspectContainerResponse inspectOrNull(DockerClient docker, String id) {
    try {
      return docker.inspectContainerCmd(id).exec();
    } catch (NotFoundException e) {
      return null;
    } catch (RuntimeException e) {
      throw EngineErrors.translate(endpoint, id, e);
    }
  }

  @Override
  public ContainerDetails container(String idOrName) {
    String id = ContainerIds.check(idOrName);
    DockerClient docker = client();
    try {
      return ContainerMapper.details(docker.inspectContainerCmd(id).exec(), endpoint.name());
    } catch (RuntimeException e) {
      throw EngineErrors.translate(endpoint, idOrName, e);
    }
  }

  @Override
  public SystemInfo systemInfo() {
    DockerClient docker = client();
    try {
      StatsEngine e = engine;
      return ContainerMapper.systemInfo(
          docker.infoCmd().exec(),
          apiVersion,
          endpoint.name(),
          e == null ? NO_STATS_SOURCE : e.statsSourceName());
    } catch (RuntimeException e) {
      throw EngineErrors.translate(endpoint, null, e);
    }
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
    Statistics frame = fetchStats(id, idOrName);
    if (frame == null) {
      // The engine closed the answer without a frame: the container stopped or went away while
      // the engine was sampling. Not found if it is gone, all-zero stats (like docker stats) if
      // not.
      ContainerSummary c = container(idOrName).summary();
      return EngineStatsMapper.containerStats(new Statistics(), c.id(), c.name(), endpoint.name());
    }
    return EngineStatsMapper.containerStats(frame, null, null, endpoint.name());
  }

  /**
   * One {@code stream=false} frame: the engine samples twice and fills {@code precpu_stats}. {@code
   * null} when the answer ended without a frame.
   */
  private Statistics fetchStats(String id, String asked) {
    DockerClient docker = client();
    FirstFrame frame = new FirstFrame();
    Duration wait = endpoint.readTimeout().plus(STATS_GRACE);
    try {
      docker.statsCmd(id).withNoStream(true).exec(frame);
      if (!frame.awaitCompletion(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new EngineTimeoutException(endpoint.toString(), wait, null);
      }
      if (frame.error != null) {
        throw EngineErrors.translate(endpoint, asked, frame.error);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterMonitorException("Interrupted while reading stats of " + asked, e);
    } catch (RuntimeException e) {
      throw EngineErrors.translate(endpoint, asked, e);
    } finally {
      DockerClients.closeQuietly(frame);
    }
    return frame.first;
  }

  /** Keeps the first frame of a stats answer, or the error (which docker-java would log). */
  private static final class FirstFrame extends ResultCallback.Adapter<Statistics> {
    private volatile Statistics first;
    private volatile Throwable error;

    @Override
    public void onError(Throwable t) {
      error = t;
      DockerClients.closeQuietly(this); // completes awaitCompletion
    }

    @Override
    public void onNext(Statistics s) {
      if (first == null) {
        first = s;
      }
    }
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
                () -> {
                  Statistics frame = fetchStats(c.id(), c.id());
                  return frame == null
                      ? null // stopped while being sampled
                      : EngineStatsMapper.containerStats(frame, c.id(), c.name(), endpoint.name());
                }));
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
      DockerClients.closeQuietly(client);
      client = null;
    }
  }

  @Override
  public String toString() {
    return "DockerMonitor{" + endpoint + (apiVersion == null ? "" : ", api " + apiVersion) + "}";
  }
}
