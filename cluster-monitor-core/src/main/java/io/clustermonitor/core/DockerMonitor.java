package io.clustermonitor.core;

import io.clustermonitor.core.model.AggregateStats;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsSnapshot;
import io.clustermonitor.core.stats.StatsSourceChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed, read-only access to one Docker engine.
 *
 * <p><b>Should be shared.</b> A monitor holds a connection pool and, once {@link #snapshot()} has
 * been called, a live stats engine with its own threads. Create one per engine (with {@link
 * #builder(DockerEndpoint)}, {@link #connect(DockerEndpoint)} or {@link #fromEnvironment()}), share
 * it between threads and between health checks, collectors and the REST API, and {@link #close()}
 * it when done. All methods are thread-safe.
 *
 * <pre>{@code
 * try (DockerMonitor docker =
 *     DockerMonitor.builder(DockerEndpoint.unixSocket(Path.of("/var/run/docker.sock")))
 *         .statsSource(StatsSourceChoice.AUTO)
 *         .build()) {
 *   StatsSnapshot snap = docker.snapshot(); // every container and its stats, from memory
 *   for (ContainerSummary c : snap.containers()) {
 *     ContainerStats s = snap.stats().get(c.id());
 *     String cpu =
 *         s == null || !s.hasCpuPercent() ? "-" : String.format("%.1f%%", s.cpuPercent());
 *     System.out.println(c.name() + " " + cpu);
 *   }
 * }
 * }</pre>
 *
 * <p><b>How long calls block.</b> Each engine call waits at most the endpoint's connect timeout to
 * connect and its read timeout for the answer. {@link #containers(ContainerFilter)} before the live
 * engine runs makes 1 + N calls (a list, then one inspect per listed container), so it can take up
 * to (1 + N) × the read timeout; {@link #stats(String)} without the live engine waits up to the
 * read timeout + 3 s (the engine samples twice, 1-2 s); the first {@link #snapshot()} waits up to
 * the first-sync timeout ({@link Builder#firstSyncTimeout(Duration)}, default the read timeout);
 * later snapshots and, while the live engine follows the engine, {@code containers()}, {@code
 * stats()} and {@code aggregateStats()} are answered from memory.
 *
 * <p><b>When the engine is down.</b> Queries ({@code containers}, {@code container}, {@code
 * systemInfo}, {@code stats}, {@code aggregateStats}) throw: they promise a current answer. {@link
 * #snapshot()} is a view and does not throw for an unreachable engine: it reports {@link
 * StatsSnapshot#engineUp()} false with the reason and the last known containers, and recovers by
 * itself when the engine returns.
 *
 * <p>Failures are unchecked {@link ClusterMonitorException}s: {@link ContainerNotFoundException}
 * (naming the id or name asked), {@link EngineUnavailableException} (no answer; naming the
 * endpoint), {@link EngineTimeoutException} (no answer in time), {@link EngineErrorException} (an
 * HTTP error status, carried by {@link EngineErrorException#status()}).
 */
public interface DockerMonitor extends AutoCloseable {

  /**
   * Connects to an engine with default settings ({@link Builder}'s defaults). Reads no environment
   * variable. The connection is lazy: an unreachable engine fails the first query, not this call.
   */
  static DockerMonitor connect(DockerEndpoint endpoint) {
    return builder(endpoint).build();
  }

  /**
   * Connects to the engine and with the settings named by the process environment: {@code
   * DOCKER_HOST} (default {@code /var/run/docker.sock}), {@code DOCKER_TLS_VERIFY}, {@code
   * DOCKER_CERT_PATH} and the {@code CLUSTER_MONITOR_*} variables listed in {@link
   * Builder#fromEnvironment(Map)}.
   *
   * @throws IllegalArgumentException when a variable has a bad value
   */
  static DockerMonitor fromEnvironment() {
    return Builder.fromEnvironment().build();
  }

  /**
   * Starts a builder for a monitor of {@code endpoint}, with every setting at its default.
   *
   * <pre>{@code
   * DockerMonitor docker =
   *     DockerMonitor.builder(DockerEndpoint.unixSocket(Path.of("/run/docker.sock")))
   *         .statsSource(StatsSourceChoice.ENGINE_API)
   *         .cgroupRoot(Path.of("/host/sys/fs/cgroup"))
   *         .samplingInterval(Duration.ofSeconds(2))
   *         .build();
   * }</pre>
   */
  static Builder builder(DockerEndpoint endpoint) {
    return new Builder(endpoint);
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
   * from the live stats engine once it runs, otherwise with one engine call (1-2 s, at most the
   * read timeout + 3 s). Prefer {@link #snapshot()} for many containers.
   *
   * @throws ContainerNotFoundException when there is no such container
   */
  ContainerStats stats(String idOrName);

  /** Sums of {@link #stats(String)} over all running containers. */
  AggregateStats aggregateStats();

  /**
   * A consistent view of all containers and their latest stats, read from memory without calling
   * the engine. The first call starts the live stats engine (event subscription and stats source)
   * and waits up to the first-sync timeout for the first list; later calls cost O(containers).
   * Containers sampled once only have no CPU value yet ({@link ContainerStats#hasCpuPercent()}).
   * Does not throw for an unreachable engine: see {@link StatsSnapshot#engineUp()}.
   *
   * @throws ClosedException when the monitor is closed
   */
  StatsSnapshot snapshot();

  /**
   * The {@link #snapshot()} if the live stats engine has finished starting, else empty at once:
   * never starts the engine and never waits for its first sync (another thread's first {@code
   * snapshot()} does). For answers that must not block, such as a health endpoint while the engine
   * is being synced. The default calls {@code snapshot()}, for implementations whose snapshot never
   * waits.
   *
   * @throws ClosedException when the monitor is closed
   */
  default Optional<StatsSnapshot> trySnapshot() {
    return Optional.of(snapshot());
  }

  /** Stops the live engine, its threads and connections. Idempotent. */
  @Override
  void close();

  /**
   * Every setting of a {@link DockerMonitor}. Environment variables are applied only by the
   * explicit {@link #fromEnvironment()}, {@link #fromEnvironment(Map)} and {@link
   * #applyEnvironment(Map)} (the endpoint's by {@link DockerEndpoint#fromEnvironment(Map)});
   * nothing else in cluster-monitor-core reads the process environment. Setters only record values;
   * {@link #build()} validates them all. Not thread-safe; reusable (each {@link #build()} makes a
   * new monitor).
   */
  final class Builder {
    /**
     * Environment variable choosing the stats source: {@code auto}, {@code cgroup}, {@code
     * engine-api}.
     */
    public static final String STATS_SOURCE_ENV = "CLUSTER_MONITOR_STATS_SOURCE";

    /** Environment variable naming the cgroup root the live engine reads (a container's view). */
    public static final String CGROUP_ROOT_ENV = "CLUSTER_MONITOR_CGROUP_ROOT";

    /** Environment variable naming the procfs root the live engine reads. */
    public static final String PROCFS_ENV = "CLUSTER_MONITOR_PROCFS";

    /**
     * Environment variable setting the live engine's sampling interval (cAdvisor's {@code
     * --housekeeping_interval}): a Go-style duration such as {@code 1s}, {@code 500ms}, {@code 1m}.
     */
    public static final String SAMPLING_INTERVAL_ENV = "CLUSTER_MONITOR_SAMPLING_INTERVAL";

    /** Environment variable setting the live engine's safety-net relist interval (Go duration). */
    public static final String RESYNC_INTERVAL_ENV = "CLUSTER_MONITOR_RESYNC_INTERVAL";

    /** The shortest sampling and resync interval accepted. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    private DockerEndpoint endpoint;
    private StatsSourceChoice statsSource = StatsSourceChoice.AUTO;
    private Path cgroupRoot = Path.of("/sys/fs/cgroup");
    private Path procfsRoot = Path.of("/proc");
    private Duration samplingInterval = Duration.ofSeconds(1);
    private Duration resyncInterval = Duration.ofMinutes(1);
    private Duration firstSyncTimeout; // null: the endpoint's read timeout
    private Duration connectTimeout; // null: the endpoint's
    private Duration readTimeout; // null: the endpoint's

    private Builder(DockerEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    /**
     * A builder configured from the process environment; same as {@link #fromEnvironment(Map)
     * fromEnvironment(System.getenv())}.
     *
     * @throws IllegalArgumentException when a variable has a bad value
     */
    public static Builder fromEnvironment() {
      return fromEnvironment(ProcessEnvironment.get());
    }

    /**
     * A builder configured from {@code env}: the endpoint from {@code DOCKER_HOST}, {@code
     * DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH} ({@link
     * DockerEndpoint#fromEnvironment(Map)}), then the settings of {@link #applyEnvironment(Map)}.
     *
     * @throws IllegalArgumentException when a variable has a bad value
     */
    public static Builder fromEnvironment(Map<String, String> env) {
      return new Builder(DockerEndpoint.fromEnvironment(env)).applyEnvironment(env);
    }

    /**
     * Applies the {@code CLUSTER_MONITOR_*} variables present in {@code env} on top of the current
     * settings (the endpoint is left alone): {@value #STATS_SOURCE_ENV} ({@code auto}, {@code
     * cgroup}, {@code engine-api}), {@value #CGROUP_ROOT_ENV}, {@value #PROCFS_ENV}, {@value
     * #SAMPLING_INTERVAL_ENV} and {@value #RESYNC_INTERVAL_ENV} (Go durations, see {@link
     * #parseDuration}). Blank values count as absent.
     *
     * @throws IllegalArgumentException when a variable has a bad value
     */
    public Builder applyEnvironment(Map<String, String> env) {
      Objects.requireNonNull(env, "env");
      String source = env.getOrDefault(STATS_SOURCE_ENV, "").trim();
      if (!source.isEmpty()) {
        statsSource(parseStatsSource(STATS_SOURCE_ENV, source));
      }
      String cgroup = env.getOrDefault(CGROUP_ROOT_ENV, "").trim();
      if (!cgroup.isEmpty()) {
        cgroupRoot(path(CGROUP_ROOT_ENV, cgroup));
      }
      String procfs = env.getOrDefault(PROCFS_ENV, "").trim();
      if (!procfs.isEmpty()) {
        procfsRoot(path(PROCFS_ENV, procfs));
      }
      String sampling = env.getOrDefault(SAMPLING_INTERVAL_ENV, "").trim();
      if (!sampling.isEmpty()) {
        samplingInterval(parseDuration(SAMPLING_INTERVAL_ENV, sampling));
      }
      String resync = env.getOrDefault(RESYNC_INTERVAL_ENV, "").trim();
      if (!resync.isEmpty()) {
        resyncInterval(parseDuration(RESYNC_INTERVAL_ENV, resync));
      }
      return this;
    }

    /**
     * Parses a stats source name: {@code auto}, {@code cgroup}, {@code engine-api} (or {@code
     * api}), any case.
     *
     * @param what the setting's name, for the error message
     * @throws IllegalArgumentException for any other value
     */
    public static StatsSourceChoice parseStatsSource(String what, String text) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "auto" -> StatsSourceChoice.AUTO;
        case "cgroup" -> StatsSourceChoice.CGROUP;
        case "engine-api", "api" -> StatsSourceChoice.ENGINE_API;
        default ->
            throw new IllegalArgumentException(
                what + " must be auto, cgroup or engine-api, got '" + text + "'");
      };
    }

    /**
     * Parses a Go duration ({@code 300ms}, {@code 1.5s}, {@code 1m30s}; see {@link GoDuration}).
     *
     * @param what the setting's name, for the error message
     * @throws IllegalArgumentException when malformed
     */
    public static Duration parseDuration(String what, String text) {
      return GoDuration.parse(what, text);
    }

    /** Replaces the endpoint. */
    public Builder endpoint(DockerEndpoint endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** The endpoint as given (without the timeouts set here). */
    public DockerEndpoint endpoint() {
      return endpoint;
    }

    /** Which stats source the live engine uses (default {@link StatsSourceChoice#AUTO}). */
    public Builder statsSource(StatsSourceChoice choice) {
      this.statsSource = choice;
      return this;
    }

    /** The stats source choice. */
    public StatsSourceChoice statsSource() {
      return statsSource;
    }

    /**
     * The cgroup root the cgroup stats source reads (default {@code /sys/fs/cgroup}; {@code
     * /host/sys/fs/cgroup} in a container with the host's mounted there). Must be absolute.
     */
    public Builder cgroupRoot(Path root) {
      this.cgroupRoot = root;
      return this;
    }

    /** The cgroup root. */
    public Path cgroupRoot() {
      return cgroupRoot;
    }

    /**
     * The procfs root for per-container network counters (default {@code /proc}; {@code /host/proc}
     * in a container). Must be absolute.
     */
    public Builder procfsRoot(Path root) {
      this.procfsRoot = root;
      return this;
    }

    /** The procfs root. */
    public Path procfsRoot() {
      return procfsRoot;
    }

    /** How often the live engine samples every running container (default 1 s, at least 100 ms). */
    public Builder samplingInterval(Duration interval) {
      this.samplingInterval = interval;
      return this;
    }

    /** The sampling interval. */
    public Duration samplingInterval() {
      return samplingInterval;
    }

    /**
     * How often the live engine relists containers as a safety net beside the event stream (default
     * 1 minute, at least 100 ms).
     */
    public Builder resyncInterval(Duration interval) {
      this.resyncInterval = interval;
      return this;
    }

    /** The resync interval. */
    public Duration resyncInterval() {
      return resyncInterval;
    }

    /**
     * How long the first {@link DockerMonitor#snapshot()} waits for the live engine's first
     * container list (default: the read timeout; zero: do not wait).
     */
    public Builder firstSyncTimeout(Duration timeout) {
      this.firstSyncTimeout = timeout;
      return this;
    }

    /** The first-sync timeout (the read timeout unless set). */
    public Duration firstSyncTimeout() {
      return firstSyncTimeout != null ? firstSyncTimeout : readTimeout();
    }

    /** Overrides the endpoint's connect timeout (positive). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** The connect timeout (the endpoint's unless set). */
    public Duration connectTimeout() {
      return connectTimeout != null
          ? connectTimeout
          : endpoint == null ? null : endpoint.connectTimeout();
    }

    /**
     * Overrides the endpoint's read timeout (positive): the limit of one non-streaming engine call
     * (a {@link DockerMonitor#stats(String)} call waits this plus 3 s).
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    /** The read timeout (the endpoint's unless set). */
    public Duration readTimeout() {
      return readTimeout != null ? readTimeout : endpoint == null ? null : endpoint.readTimeout();
    }

    /**
     * Validates the settings and creates the monitor. Nothing is contacted until the first query.
     *
     * @throws IllegalArgumentException naming every invalid setting
     */
    public DockerMonitor build() {
      validate();
      return new EngineDockerMonitor(this);
    }

    /**
     * Checks every setting.
     *
     * @throws IllegalArgumentException naming every invalid setting
     */
    void validate() {
      List<String> bad = new ArrayList<>();
      if (endpoint == null) {
        bad.add("endpoint must be set");
      }
      if (statsSource == null) {
        bad.add("statsSource must be set (auto, cgroup or engine-api)");
      }
      checkRoot(bad, "cgroupRoot", cgroupRoot);
      checkRoot(bad, "procfsRoot", procfsRoot);
      if (statsSource == StatsSourceChoice.CGROUP
          && cgroupRoot != null
          && cgroupRoot.isAbsolute()
          && !Files.isDirectory(cgroupRoot)) {
        bad.add("statsSource is cgroup but cgroupRoot " + cgroupRoot + " is not a directory");
      }
      checkAtLeast(bad, "samplingInterval", samplingInterval, MIN_INTERVAL);
      checkAtLeast(bad, "resyncInterval", resyncInterval, MIN_INTERVAL);
      if (firstSyncTimeout != null && firstSyncTimeout.isNegative()) {
        bad.add("firstSyncTimeout must not be negative, got " + firstSyncTimeout);
      }
      checkPositive(bad, "connectTimeout", connectTimeout);
      checkPositive(bad, "readTimeout", readTimeout);
      if (!bad.isEmpty()) {
        throw new IllegalArgumentException(
            "Invalid DockerMonitor settings: " + String.join("; ", bad));
      }
    }

    /** The endpoint with the timeouts set here applied. */
    DockerEndpoint effectiveEndpoint() {
      if (connectTimeout == null && readTimeout == null) {
        return endpoint;
      }
      DockerEndpoint.Builder b = endpoint.newBuilder();
      if (connectTimeout != null) {
        b.connectTimeout(connectTimeout);
      }
      if (readTimeout != null) {
        b.readTimeout(readTimeout);
      }
      return b.build();
    }

    /** A copy, so a built monitor does not change when this builder is reused. */
    Builder copy() {
      Builder b = new Builder(endpoint);
      b.statsSource = statsSource;
      b.cgroupRoot = cgroupRoot;
      b.procfsRoot = procfsRoot;
      b.samplingInterval = samplingInterval;
      b.resyncInterval = resyncInterval;
      b.firstSyncTimeout = firstSyncTimeout;
      b.connectTimeout = connectTimeout;
      b.readTimeout = readTimeout;
      return b;
    }

    private static Path path(String what, String text) {
      try {
        return Path.of(text);
      } catch (java.nio.file.InvalidPathException e) {
        throw new IllegalArgumentException(what + " is not a valid path: '" + text + "'", e);
      }
    }

    private static void checkRoot(List<String> bad, String what, Path root) {
      if (root == null) {
        bad.add(what + " must be set");
      } else if (!root.isAbsolute()) {
        bad.add(what + " must be an absolute path, got '" + root + "'");
      }
    }

    private static void checkAtLeast(List<String> bad, String what, Duration d, Duration min) {
      if (d == null || d.compareTo(min) < 0) {
        bad.add(what + " must be at least " + min.toMillis() + " ms, got " + describe(d));
      }
    }

    private static void checkPositive(List<String> bad, String what, Duration d) {
      if (d != null && (d.isZero() || d.isNegative())) {
        bad.add(what + " must be positive, got " + describe(d));
      }
    }

    private static String describe(Duration d) {
      return d == null ? "none" : d.toMillis() + " ms";
    }
  }
}
