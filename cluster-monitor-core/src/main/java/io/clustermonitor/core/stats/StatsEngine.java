package io.clustermonitor.core.stats;

import io.clustermonitor.core.ClosedException;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.events.ContainerEvent;
import io.clustermonitor.core.events.ContainerRegistry;
import io.clustermonitor.core.events.EngineClient;
import io.clustermonitor.core.internal.DockerJavaEngineClient;
import io.clustermonitor.core.model.AggregateStats;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.StatsSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live stats of every running container of one engine, kept in memory: a {@link ContainerRegistry}
 * follows the engine's events and a {@link StatsSource} is sampled at a fixed interval. The last
 * two samples of each running container give its CPU %. {@link #snapshot()} reads memory only; a
 * container that stops or is removed leaves the snapshot as soon as its event arrives.
 *
 * <pre>{@code
 * try (StatsEngine engine =
 *     StatsEngine.builder(DockerEndpoint.fromEnvironment())
 *         .samplingInterval(Duration.ofSeconds(1))
 *         .buildAndStart()) {
 *   engine.snapshot().stats().values().stream()
 *       .filter(ContainerStats::hasCpuPercent) // CPU % needs two samples
 *       .forEach(c -> System.out.printf("%s %.1f%%%n", c.name(), c.cpuPercent()));
 * }
 * }</pre>
 *
 * <p>Thread-safe and meant to be shared. Threads ({@code cluster-monitor-*}, daemons) and
 * connections live between {@link #start()} and {@link #close()}.
 */
public final class StatsEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatsEngine.class);

  private final EngineClient client;
  private final boolean ownsClient;
  private final boolean localEngine;
  private final StatsSourceChoice choice;
  private final StatsSource customSource;
  private final Path cgroupRoot;
  private final Path procRoot;
  private final Duration samplingInterval;
  private final Duration diskUsageInterval;
  private final Duration resyncInterval;
  private final Duration firstSyncTimeout;
  private final ContainerRegistry registry;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private final Set<String> tracked = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object sampleLock = new Object();
  // Grows after every change of slots; with the registry's list it keys the cached stats map.
  private final AtomicLong slotsVersion = new AtomicLong();
  private volatile CachedStats cachedStats;
  private volatile StatsSource source;
  private volatile String sourceReason = "not started";
  private ScheduledExecutorService sampler;
  // AUTO on a local engine: the choice is revisited while it was made without a running container
  // (tentative) and, while on the Engine API, once per resync interval
  private CgroupStatsSource cgroupCandidate; // guarded by sampleLock
  private boolean tentative; // guarded by sampleLock
  private long nextRecheckNanos; // guarded by sampleLock

  /** The last two samples and the CPU % between them. */
  private record Slot(StatsSample previous, StatsSample current, double cpuPercent) {}

  /**
   * The stats map of the last snapshot, still current while the registry returns the same list
   * instance (its generation) and no slot has changed since {@code slotsVersion}.
   */
  private record CachedStats(
      List<ContainerSummary> containers, long slotsVersion, Map<String, ContainerStats> stats) {}

  private StatsEngine(Builder b) {
    this.ownsClient = b.client == null;
    this.client =
        b.client != null ? b.client : DockerJavaEngineClient.create(b.endpoint, b.maxStreams);
    this.localEngine =
        b.endpoint == null
            ? "local".equals(client.host())
            : "unix".equals(b.endpoint.uri().getScheme());
    this.choice = b.choice;
    this.customSource = b.source;
    this.cgroupRoot = b.cgroupRoot;
    this.procRoot = b.procRoot;
    this.samplingInterval = b.samplingInterval;
    this.diskUsageInterval = b.diskUsageInterval;
    this.resyncInterval = b.resyncInterval;
    this.firstSyncTimeout = b.firstSyncTimeout;
    this.registry = ContainerRegistry.builder(client).resyncInterval(b.resyncInterval).build();
  }

  /** A builder that connects to {@code endpoint} (the engine owns and closes the connection). */
  public static Builder builder(DockerEndpoint endpoint) {
    return new Builder(Objects.requireNonNull(endpoint, "endpoint"), null);
  }

  /** A builder over an existing client, which the engine does not close. */
  public static Builder builder(EngineClient client) {
    return new Builder(null, Objects.requireNonNull(client, "client"));
  }

  /**
   * Starts the registry, waits (up to the first-sync timeout) for the first container list, chooses
   * the stats source and takes a first sample, then samples at the interval.
   *
   * @throws IllegalStateException when already started
   * @throws ClosedException when closed
   */
  public StatsEngine start() {
    if (closed.get()) {
      throw new ClosedException("stats engine");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("stats engine already started");
    }
    registry.addListener(
        new ContainerRegistry.Listener() {
          @Override
          public void onEvent(ContainerEvent e) {
            switch (e.action()) {
              case DIE, STOP, DESTROY, PAUSE -> forget(e.containerId());
              default -> {}
            }
          }
        });
    registry.start();
    registry.awaitFirstSync(firstSyncTimeout);
    source = chooseSource();
    LOG.info("{}: stats source {} ({})", client.host(), source.name(), sourceReason);
    sampleOnce();
    sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cluster-monitor-stats-" + client.host());
              t.setDaemon(true);
              return t;
            });
    long period = samplingInterval.toNanos();
    sampler.scheduleAtFixedRate(this::sampleSafely, period, period, TimeUnit.NANOSECONDS);
    return this;
  }

  private StatsSource chooseSource() {
    if (customSource != null) {
      sourceReason = "given explicitly";
      return customSource;
    }
    CgroupStatsSource cgroup = CgroupStatsSource.of(cgroupRoot, procRoot, diskUsageInterval);
    switch (choice) {
      case CGROUP -> {
        sourceReason = "chosen explicitly, cgroup v" + cgroup.cgroupVersion() + " at " + cgroupRoot;
        return cgroup;
      }
      case ENGINE_API -> {
        sourceReason = "chosen explicitly";
        cgroup.close();
        return new EngineApiStatsSource(client);
      }
      default -> {}
    }
    if (!localEngine) {
      sourceReason = "remote engine: its cgroup files are not on this host";
      cgroup.close();
      return new EngineApiStatsSource(client);
    }
    synchronized (sampleLock) {
      cgroupCandidate = cgroup;
      nextRecheckNanos = System.nanoTime() + resyncInterval.toNanos();
      for (ContainerSummary c : registry.running()) {
        StatsTarget t = new StatsTarget(c.id(), registry.pid(c.id()));
        if (cgroup.canRead(t)) {
          sourceReason =
              "cgroup v"
                  + cgroup.cgroupVersion()
                  + " files of running containers readable under "
                  + cgroupRoot;
          return cgroup;
        }
        sourceReason = "cgroup files of " + c.shortId() + " not readable under " + cgroupRoot;
        return new EngineApiStatsSource(client);
      }
      tentative = true;
      if (cgroup.looksUsable() && Files.isReadable(procRoot.resolve("stat"))) {
        sourceReason =
            "no running container yet; cgroup v"
                + cgroup.cgroupVersion()
                + " tree of Docker found under "
                + cgroupRoot
                + " (checked again with the first running container)";
        return cgroup;
      }
      sourceReason =
          "no running container and no Docker cgroup tree under "
              + cgroupRoot
              + " yet (checked again with the first running container)";
      return new EngineApiStatsSource(client);
    }
  }

  /**
   * Revisits an automatic choice on a local engine: with the first running container after a choice
   * made without one, and once per resync interval while on the Engine API (the cgroup tree may
   * appear later, e.g. a host mount). Called under {@link #sampleLock}.
   */
  private void maybeRechoose(List<StatsTarget> targets) {
    CgroupStatsSource cgroup = cgroupCandidate;
    if (cgroup == null || targets.isEmpty()) {
      return;
    }
    boolean onCgroup = source == cgroup;
    long now = System.nanoTime();
    if (!tentative && (onCgroup || now - nextRecheckNanos < 0)) {
      return;
    }
    nextRecheckNanos = now + resyncInterval.toNanos();
    if (cgroup.cgroupVersion() == 0) {
      // the tree was not there at start (an AUTO choice is only cgroup with a tree): look again
      CgroupStatsSource fresh = CgroupStatsSource.of(cgroupRoot, procRoot, diskUsageInterval);
      if (fresh.cgroupVersion() == 0) {
        fresh.close();
        tentative = false;
        return;
      }
      cgroup.close();
      cgroupCandidate = fresh;
      cgroup = fresh;
    }
    tentative = false;
    StatsTarget t = targets.get(0);
    if (cgroup.canRead(t)) {
      if (source != cgroup) {
        switchTo(
            cgroup,
            "cgroup v"
                + cgroup.cgroupVersion()
                + " files of "
                + shortId(t.id())
                + " readable under "
                + cgroupRoot);
      }
    } else if (source == cgroup) {
      switchTo(
          new EngineApiStatsSource(client),
          "cgroup files of " + shortId(t.id()) + " not readable under " + cgroupRoot);
    }
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  private void switchTo(StatsSource next, String reason) {
    StatsSource old = source;
    for (String id : List.copyOf(tracked)) {
      old.untrack(id);
    }
    tracked.clear();
    slots.clear();
    slotsVersion.incrementAndGet();
    if (old != cgroupCandidate) {
      old.close();
    }
    sourceReason = reason;
    source = next;
    LOG.info(
        "{}: stats source switched from {} to {} ({})",
        client.host(),
        old.name(),
        next.name(),
        reason);
  }

  /** Why the source was chosen (also logged at start). */
  public String statsSourceReason() {
    return sourceReason;
  }

  /** The source's name ({@code cgroup}, {@code engine-api}), or {@code none} before start. */
  public String statsSourceName() {
    StatsSource s = source;
    return s == null ? "none" : s.name();
  }

  /** The container registry this engine follows. */
  public ContainerRegistry registry() {
    return registry;
  }

  /** The engine's name. */
  public String host() {
    return client.host();
  }

  /** The sampling interval. */
  public Duration samplingInterval() {
    return samplingInterval;
  }

  /** Every known container and the latest stats of the running ones; no engine I/O. */
  public StatsSnapshot snapshot() {
    List<ContainerSummary> containers = registry.containers();
    return new StatsSnapshot(
        client.host(),
        Instant.now(),
        registry.engineUp(),
        registry.engineError(),
        statsSourceName(),
        containers,
        statsOf(containers),
        registry.oomEvents());
  }

  /**
   * The stats of the running containers in {@code containers}, built once per sampling round and
   * registry change: between them every snapshot shares one immutable map (a scrape or an API
   * answer then costs no per-container objects).
   */
  private Map<String, ContainerStats> statsOf(List<ContainerSummary> containers) {
    long version = slotsVersion.get(); // read before the slots: a later change rebuilds
    CachedStats c = cachedStats;
    if (c != null && c.containers() == containers && c.slotsVersion() == version) {
      return c.stats();
    }
    Map<String, ContainerStats> stats = new HashMap<>();
    for (ContainerSummary cs : containers) {
      if (cs.running()) {
        Slot s = slots.get(cs.id());
        if (s != null) {
          stats.put(cs.id(), toStats(cs, s));
        }
      }
    }
    Map<String, ContainerStats> built = Map.copyOf(stats);
    cachedStats = new CachedStats(containers, version, built);
    return built;
  }

  /** The latest stats of a running container by full id, or empty. No engine I/O. */
  public Optional<ContainerStats> stats(String id) {
    Optional<ContainerSummary> c = registry.container(id);
    if (c.isEmpty() || !c.get().running()) {
      return Optional.empty();
    }
    Slot s = slots.get(id);
    return s == null ? Optional.empty() : Optional.of(toStats(c.get(), s));
  }

  /** Sums over the running containers that have stats. No engine I/O. */
  public AggregateStats aggregate() {
    StatsSnapshot s = snapshot();
    return AggregateStats.of(s.stats().values(), s.at());
  }

  private ContainerStats toStats(ContainerSummary c, Slot s) {
    return new ContainerStats(
        c.id(), c.name(), client.host(), s.current().timestamp(), s.cpuPercent(), s.current());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ScheduledExecutorService s = sampler;
    if (s != null) {
      s.shutdownNow();
      try {
        s.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    registry.close();
    StatsSource src = source;
    if (src != null) {
      src.close();
    }
    synchronized (sampleLock) {
      if (cgroupCandidate != null && cgroupCandidate != src) {
        cgroupCandidate.close();
      }
    }
    slots.clear();
    slotsVersion.incrementAndGet();
    tracked.clear();
    if (ownsClient) {
      client.close();
    }
  }

  // ---- sampling ----

  private void forget(String id) {
    synchronized (sampleLock) {
      slots.remove(id);
      slotsVersion.incrementAndGet();
      if (tracked.remove(id)) {
        StatsSource s = source;
        if (s != null) {
          s.untrack(id);
        }
      }
    }
  }

  private void sampleSafely() {
    try {
      sampleOnce();
    } catch (RuntimeException e) {
      LOG.warn("{}: stats sampling failed: {}", client.host(), e.toString());
    }
  }

  private void sampleOnce() {
    StatsSource src = source;
    if (src == null || closed.get()) {
      return;
    }
    synchronized (sampleLock) {
      Set<String> running = new HashSet<>();
      List<StatsTarget> targets = new ArrayList<>();
      for (ContainerSummary c : registry.running()) {
        running.add(c.id());
        targets.add(new StatsTarget(c.id(), registry.pid(c.id())));
      }
      maybeRechoose(targets);
      src = source;
      for (StatsTarget t : targets) {
        if (tracked.add(t.id())) {
          src.track(t);
        }
        Optional<StatsSample> sample = src.sample(t);
        if (sample.isPresent()) {
          StatsSample cur = sample.get();
          slots.compute(
              t.id(),
              (id, old) -> {
                if (old == null) {
                  return new Slot(null, cur, 0);
                }
                if (!cur.timestamp().isAfter(old.current().timestamp())) {
                  return old;
                }
                return new Slot(old.current(), cur, ContainerStats.cpuPercent(old.current(), cur));
              });
        }
      }
      for (String id : List.copyOf(tracked)) {
        if (!running.contains(id)) {
          tracked.remove(id);
          slots.remove(id);
          src.untrack(id);
        }
      }
      slots.keySet().removeIf(id -> !running.contains(id));
      slotsVersion.incrementAndGet();
    }
  }

  /** Builder for {@link StatsEngine}; not thread-safe. */
  public static final class Builder {
    private final DockerEndpoint endpoint;
    private final EngineClient client;
    private StatsSourceChoice choice = StatsSourceChoice.AUTO;
    private StatsSource source;
    private Path cgroupRoot = Path.of("/sys/fs/cgroup");
    private Path procRoot = Path.of("/proc");
    private Duration samplingInterval = Duration.ofSeconds(1);
    private Duration diskUsageInterval = CgroupStatsSource.DEFAULT_DISK_USAGE_INTERVAL;
    private Duration resyncInterval = Duration.ofMinutes(1);
    private Duration firstSyncTimeout = Duration.ofSeconds(10);
    private int maxStreams = 1024;

    private Builder(DockerEndpoint endpoint, EngineClient client) {
      this.endpoint = endpoint;
      this.client = client;
    }

    /** Which source to use (default {@link StatsSourceChoice#AUTO}). */
    public Builder statsSource(StatsSourceChoice choice) {
      this.choice = Objects.requireNonNull(choice, "choice");
      return this;
    }

    /** Uses this source (closed with the engine). */
    public Builder statsSource(StatsSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * The cgroup root (default {@code /sys/fs/cgroup}; {@code /host/sys/fs/cgroup} in a container).
     */
    public Builder cgroupRoot(Path root) {
      this.cgroupRoot = Objects.requireNonNull(root, "root");
      return this;
    }

    /** The procfs root (default {@code /proc}; {@code /host/proc} in a container). */
    public Builder procRoot(Path root) {
      this.procRoot = Objects.requireNonNull(root, "root");
      return this;
    }

    /**
     * How often to sample (default 1 s, at least 100 ms).
     *
     * @throws IllegalArgumentException when shorter than 100 ms
     */
    public Builder samplingInterval(Duration interval) {
      this.samplingInterval = atLeast(interval, Duration.ofMillis(100), "samplingInterval");
      return this;
    }

    /**
     * How often the cgroup source measures each container's writable layer in the background
     * (default 1 minute, as cAdvisor's {@code du}; {@link Duration#ZERO} turns it off).
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder diskUsageInterval(Duration interval) {
      this.diskUsageInterval = atLeast(interval, Duration.ZERO, "diskUsageInterval");
      return this;
    }

    /**
     * How often the registry relists as a safety net (default 1 minute, at least 100 ms).
     *
     * @throws IllegalArgumentException when shorter than 100 ms
     */
    public Builder resyncInterval(Duration interval) {
      this.resyncInterval = atLeast(interval, Duration.ofMillis(100), "resyncInterval");
      return this;
    }

    /** How long {@link StatsEngine#start()} waits for the first container list (default 10 s). */
    public Builder firstSyncTimeout(Duration timeout) {
      this.firstSyncTimeout = atLeast(timeout, Duration.ZERO, "firstSyncTimeout");
      return this;
    }

    /**
     * Connection pool size for streams when the engine connects itself (default 1024: one stats
     * stream per running container plus the event stream).
     *
     * @throws IllegalArgumentException when below 2
     */
    public Builder maxStreams(int max) {
      if (max < 2) {
        throw new IllegalArgumentException("maxStreams must be at least 2, got " + max);
      }
      this.maxStreams = max;
      return this;
    }

    /** Builds the engine without starting it. */
    public StatsEngine build() {
      return new StatsEngine(this);
    }

    /** Builds and starts the engine. */
    public StatsEngine buildAndStart() {
      StatsEngine e = build();
      try {
        return e.start();
      } catch (RuntimeException ex) {
        e.close();
        throw ex;
      }
    }

    private static Duration atLeast(Duration d, Duration min, String what) {
      if (d == null || d.compareTo(min) < 0 || (min.isZero() && d.isNegative())) {
        throw new IllegalArgumentException(what + " must be at least " + min + ", got " + d);
      }
      return d;
    }
  }
}
