package io.clustermonitor.exporters.postgres;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.TargetScraper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PostgreSQL metrics as postgres_exporter 0.15.0 serves them on {@code /metrics}, from its two
 * sources: the legacy exporter ({@code pg_up}, {@code pg_exporter_*}, {@code pg_static}, {@code
 * pg_settings_*}, the builtin maps {@code pg_stat_activity_*}, {@code pg_stat_archiver_*}, {@code
 * pg_stat_database_conflicts_*}, {@code pg_stat_replication_*}, {@code pg_replication_slots_*}, and
 * the {@code queries.yaml} metrics), every sample labelled {@code server="host:port"} plus the
 * constant labels; and the collector package ({@code database}, {@code locks}, {@code
 * stat_database}, ... switched one by one), without {@code server}, reported in {@code
 * pg_scrape_collector_success{collector}}. Counters keep Go's names (no {@code _total} added).
 *
 * <p>Better than 0.15: each target has one JDBC connection, shared by both sources, checked at the
 * start of every scrape and reused, so {@code pg_up} is 0 in the very first scrape after the server
 * went away and 1 again as soon as it is back (upstream #1120), and concurrent scrapes never open
 * more connections (#1228): they wait for the running one, every statement has a timeout and a
 * scrape that runs past the collection timeout has its connection torn down. A query or collector
 * that fails (for instance after a catalog change, #1060) costs only its own families.
 *
 * <pre>{@code
 * PostgresCollector pg =
 *     PostgresCollector.builder()
 *         .dataSources(DataSource.fromEnvironment(System.getenv()))
 *         .userQueries(Path.of("queries.yaml"))
 *         .build();
 * List<MetricFamily> families = pg.collect();
 * }</pre>
 *
 * <p>{@link #probe(AuthModules)} gives the {@code /probe?target=...&auth_module=...} endpoint with
 * the same settings. Thread-safe; {@link #close()} closes the connections. Needs the PostgreSQL
 * JDBC driver ({@code org.postgresql:postgresql}) and, for {@code queries.yaml} and auth modules,
 * SnakeYAML on the class path. Passwords never appear in logs, metrics or exception messages.
 */
public final class PostgresCollector implements MetricsCollector, AutoCloseable {
  final Engine engine;
  private final List<PgConn> targets;
  private final Map<DataSource, PgConn> discovered = new LinkedHashMap<>();
  private final AtomicLong scrapes = new AtomicLong();
  private final Object discoveredLock = new Object();
  private final List<PostgresProbe> probes = new java.util.concurrent.CopyOnWriteArrayList<>();

  private PostgresCollector(Builder b) {
    this.engine = new Engine(b);
    List<PgConn> list = new ArrayList<>();
    for (DataSource d : b.dataSources) {
      list.add(new PgConn(d, engine.connectTimeout));
    }
    this.targets = List.copyOf(list);
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "postgres";
  }

  /** The configured targets, without passwords in {@code toString()}. */
  public List<DataSource> dataSources() {
    return targets.stream().map(t -> t.source).toList();
  }

  /**
   * The builtin legacy metric maps, as postgres_exporter's {@code --dumpmaps} prints them: each
   * namespace (with its server version range when it has one; {@code --metric-prefix} is not
   * applied, as in Go), then one line per column with its usage and description.
   */
  public static String dumpMaps() {
    StringBuilder out = new StringBuilder();
    for (UserQueries.Query q : Legacy.BUILTIN) {
      out.append(q.namespace());
      if (!q.runOnServer().isEmpty()) {
        out.append(' ').append(q.runOnServer());
      }
      out.append('\n');
      for (UserQueries.Column c : q.columns()) {
        out.append(String.format("  %-40s {%s %s}\n", c.name(), c.usage(), c.description()));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Every collector of the collector package, by its {@code --collector.<name>} name. */
  public static List<String> knownCollectors() {
    return List.copyOf(Collectors.ALL.keySet());
  }

  /** The collectors postgres_exporter 0.15 runs by default. */
  public static List<String> defaultCollectors() {
    return Collectors.defaults();
  }

  /** The collectors of the collector package that run, in order. */
  public List<String> enabledCollectors() {
    return List.copyOf(engine.collectors);
  }

  /**
   * The {@code /probe} endpoint: {@code target} (a DSN, {@code host:port[/db]} or key=value pairs)
   * scraped with this collector's settings and the credentials of {@code auth_module}. Each target
   * keeps one pooled connection (at most {@code maxProbeTargets} of them, least recently used
   * closed first).
   */
  public TargetScraper probe(AuthModules modules) {
    PostgresProbe p = new PostgresProbe(engine, Objects.requireNonNull(modules, "modules"));
    probes.add(p);
    return p;
  }

  @Override
  public List<MetricFamily> collect() {
    long start = System.nanoTime();
    long n = scrapes.incrementAndGet();
    Families out = new Families();
    int connectionErrors = 0;
    boolean anyError = false;
    for (int i = 0; i < targets.size(); i++) {
      PgConn t = targets.get(i);
      Engine.Outcome o = engine.scrapeTarget(t, true, i == 0, out);
      if (!o.connected()) {
        connectionErrors++;
      }
      anyError |= o.error();
      if (engine.autoDiscover && o.connected()) {
        for (PgConn d : discover(t, o.databases())) {
          Engine.Outcome od = engine.scrapeTarget(d, false, false, out);
          anyError |= od.error();
        }
      }
    }
    if (targets.isEmpty()) {
      engine.collectorsUnreachable(out);
    }
    engine.exporterFamilies(
        out, start, n, anyError, !targets.isEmpty() && connectionErrors < targets.size());
    engine.configFamilies(out);
    return out.build();
  }

  private List<PgConn> discover(PgConn master, List<String> databases) {
    List<PgConn> out = new ArrayList<>();
    synchronized (discoveredLock) {
      Set<DataSource> seen = new LinkedHashSet<>();
      for (String db : databases) {
        if (engine.excludeDatabases.contains(db)
            || (!engine.includeDatabases.isEmpty() && !engine.includeDatabases.contains(db))) {
          continue;
        }
        DataSource d = master.source.withDatabase(db);
        seen.add(d);
        out.add(discovered.computeIfAbsent(d, x -> new PgConn(x, engine.connectTimeout)));
      }
      // Databases that went away (or were excluded) give their connection back.
      discovered
          .entrySet()
          .removeIf(
              e -> {
                if (e.getKey().host().equals(master.source.host())
                    && e.getKey().port() == master.source.port()
                    && !seen.contains(e.getKey())) {
                  engine.closeQuietly(e.getValue());
                  return true;
                }
                return false;
              });
    }
    return out;
  }

  /** Closes every connection; a later scrape reopens them. */
  @Override
  public void close() {
    for (PgConn t : targets) {
      engine.closeQuietly(t);
    }
    synchronized (discoveredLock) {
      for (PgConn t : discovered.values()) {
        engine.closeQuietly(t);
      }
      discovered.clear();
    }
    for (PostgresProbe p : probes) {
      p.closeAll();
    }
    engine.close();
  }

  /** Builder for {@link PostgresCollector}; not thread-safe. */
  public static final class Builder {
    List<DataSource> dataSources = List.of();
    Duration statementTimeout = Duration.ofSeconds(5);
    Duration collectionTimeout = Duration.ofSeconds(10);
    final Set<String> collectors = new LinkedHashSet<>(Collectors.defaults());
    boolean disableDefaultMetrics;
    boolean disableSettingsMetrics;
    boolean autoDiscover;
    Set<String> excludeDatabases = Set.of();
    Set<String> includeDatabases = Set.of();
    Map<String, String> constantLabels = Map.of();
    Path userQueriesPath;
    Boolean configReloadSuccessful;
    Instant configReloadTime;
    int maxProbeTargets = 16;
    String metricPrefix = "pg";

    private Builder() {}

    /** The targets; none is allowed (then {@code /metrics} says {@code pg_up 0}). */
    public Builder dataSources(List<DataSource> sources) {
      this.dataSources = List.copyOf(Objects.requireNonNull(sources, "sources"));
      return this;
    }

    /** Default per-query timeout, enforced with a cancel request (default 5 s). */
    public Builder statementTimeout(Duration timeout) {
      this.statementTimeout = positive(timeout);
      return this;
    }

    /** Upper bound on collecting one target, connection included (default 10 s). */
    public Builder collectionTimeout(Duration timeout) {
      this.collectionTimeout = positive(timeout);
      return this;
    }

    /**
     * Turns one collector of the collector package on or off ({@code --[no-]collector.<name>}).
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public Builder collector(String name, boolean enabled) {
      if (!Collectors.ALL.containsKey(name)) {
        throw new IllegalArgumentException(
            "Unknown collector '"
                + name
                + "'; known: "
                + String.join(", ", Collectors.ALL.keySet()));
      }
      if (enabled) {
        collectors.add(name);
      } else {
        collectors.remove(name);
      }
      return this;
    }

    /** Leaves out the builtin maps and {@code pg_static} ({@code --disable-default-metrics}). */
    public Builder disableDefaultMetrics(boolean disable) {
      this.disableDefaultMetrics = disable;
      return this;
    }

    /** Leaves out {@code pg_settings_*} ({@code --disable-settings-metrics}). */
    public Builder disableSettingsMetrics(boolean disable) {
      this.disableSettingsMetrics = disable;
      return this;
    }

    /**
     * Also scrapes every other database of each server ({@code --auto-discover-databases}) with the
     * non-{@code master} queries of {@code queries.yaml}; {@code include} (when not empty) and
     * {@code exclude} filter them; {@code exclude} also applies to the {@code database} collector.
     */
    public Builder autoDiscoverDatabases(boolean on, Set<String> include, Set<String> exclude) {
      this.autoDiscover = on;
      this.includeDatabases = Set.copyOf(include);
      this.excludeDatabases = Set.copyOf(exclude);
      return this;
    }

    /** {@code --exclude-databases}, also without auto-discovery (the database collector). */
    public Builder excludeDatabases(Set<String> exclude) {
      this.excludeDatabases = Set.copyOf(exclude);
      return this;
    }

    /** Labels added to every legacy sample ({@code --constantLabels}). */
    public Builder constantLabels(Map<String, String> labels) {
      this.constantLabels = Map.copyOf(labels);
      return this;
    }

    /**
     * A {@code queries.yaml} ({@code --extend.query-path}). A file that cannot be read or parsed
     * does not stop the exporter (as in 0.15): it is logged and {@code
     * pg_exporter_user_queries_load_error} is 1.
     */
    public Builder userQueries(Path path) {
      this.userQueriesPath = path;
      return this;
    }

    /**
     * Prefix of the builtin legacy maps instead of {@code pg} ({@code --metric-prefix}): {@code
     * pg_stat_activity_count} becomes {@code <prefix>_stat_activity_count}.
     */
    public Builder metricPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!prefix.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new IllegalArgumentException(
            "metric prefix must match [a-zA-Z_][a-zA-Z0-9_]*, got '" + prefix + "'");
      }
      this.metricPrefix = prefix;
      return this;
    }

    /** Reports the config file load as {@code postgres_exporter_config_last_reload_*}. */
    public Builder configReload(boolean successful, Instant when) {
      this.configReloadSuccessful = successful;
      this.configReloadTime = Objects.requireNonNull(when, "when");
      return this;
    }

    /** How many {@code /probe} targets keep a pooled connection (default 16). */
    public Builder maxProbeTargets(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxProbeTargets must be at least 1, got " + max);
      }
      this.maxProbeTargets = max;
      return this;
    }

    private static Duration positive(Duration d) {
      Objects.requireNonNull(d, "timeout");
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive: " + d);
      }
      return d;
    }

    /**
     * Builds the collector; no connection is made until the first scrape.
     *
     * @throws IllegalStateException when the JDBC driver is missing
     */
    public PostgresCollector build() {
      return new PostgresCollector(this);
    }
  }

  static ExecutorService newExecutor() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(
        r -> {
          Thread t = new Thread(r, "postgres-collector-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
