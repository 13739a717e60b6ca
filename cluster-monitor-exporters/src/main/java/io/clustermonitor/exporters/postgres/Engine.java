package io.clustermonitor.exporters.postgres;

import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.postgres.UserQueries.Query;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The settings and the scrape of one target, shared by {@code /metrics} and {@code /probe}. */
final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresCollector.class);

  final Duration statementTimeout;
  final Duration collectionTimeout;
  final Duration connectTimeout;
  final List<String> collectors;
  final boolean disableDefaultMetrics;
  final boolean disableSettingsMetrics;
  final boolean autoDiscover;
  final Set<String> excludeDatabases;
  final Set<String> includeDatabases;
  final Map<String, String> constantLabels;
  final UserQueries userQueries;
  final String userQueriesPath;
  final String userQueriesHash;
  final boolean userQueriesFailed;
  final Boolean configReloadSuccessful;
  final Instant configReloadTime;
  final int maxProbeTargets;
  private final List<Query> builtin;
  private final ExecutorService executor = PostgresCollector.newExecutor();

  /** What is currently failing, per target, so a lasting failure is logged once. */
  private final Set<String> failing = ConcurrentHashMap.newKeySet();

  Engine(PostgresCollector.Builder b) {
    try {
      Class.forName("org.postgresql.Driver");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "The PostgreSQL JDBC driver (org.postgresql:postgresql) is not on the class path", e);
    }
    statementTimeout = b.statementTimeout;
    collectionTimeout = b.collectionTimeout;
    connectTimeout =
        collectionTimeout.compareTo(Duration.ofSeconds(2)) > 0
            ? collectionTimeout.minusSeconds(1)
            : collectionTimeout;
    List<String> order = new ArrayList<>();
    for (String name : Collectors.ALL.keySet()) {
      if (b.collectors.contains(name)) {
        order.add(name);
      }
    }
    collectors = List.copyOf(order);
    disableDefaultMetrics = b.disableDefaultMetrics;
    disableSettingsMetrics = b.disableSettingsMetrics;
    autoDiscover = b.autoDiscover;
    excludeDatabases = b.excludeDatabases;
    includeDatabases = b.includeDatabases;
    constantLabels = b.constantLabels;
    configReloadSuccessful = b.configReloadSuccessful;
    configReloadTime = b.configReloadTime;
    maxProbeTargets = b.maxProbeTargets;
    List<Query> maps = new ArrayList<>();
    for (Query q : Legacy.BUILTIN) {
      maps.add(
          b.metricPrefix.equals("pg")
              ? q
              : new Query(
                  b.metricPrefix + q.namespace().substring(2),
                  q.sql(),
                  q.master(),
                  q.cacheSeconds(),
                  q.runOnServer(),
                  q.timeout(),
                  q.columns()));
    }
    builtin = List.copyOf(maps);
    UserQueries uq = null;
    String hash = "";
    boolean failed = false;
    if (b.userQueriesPath != null) {
      userQueriesPath = b.userQueriesPath.toString();
      try {
        uq = UserQueries.load(b.userQueriesPath);
        hash = uq.hashsum;
        LOG.info("Loaded {} user queries from {}", uq.queries.size(), userQueriesPath);
      } catch (IllegalArgumentException e) {
        failed = true;
        LOG.error("Failed to reload user queries: {}", e.getMessage());
        try {
          hash = UserQueries.sha256(java.nio.file.Files.readAllBytes(b.userQueriesPath));
        } catch (java.io.IOException | RuntimeException io) {
          hash = "";
        }
      }
    } else {
      userQueriesPath = null;
    }
    userQueries = uq;
    userQueriesHash = hash;
    userQueriesFailed = failed;
  }

  /**
   * What scraping one target gave.
   *
   * @param connected whether the server answered
   * @param error whether a query failed or a value could not be used
   * @param databases the server's other databases (only when auto-discovery asked for them)
   */
  record Outcome(boolean connected, boolean error, List<String> databases) {}

  /**
   * Scrapes one target into {@code out}, within the collection timeout, on the target's one
   * connection. A scrape that finds the previous one still running waits for it (bounded by the
   * collection timeout) rather than opening another connection.
   */
  Outcome scrapeTarget(PgConn conn, boolean master, boolean runCollectors, Families out) {
    long timeoutNanos = collectionTimeout.toNanos();
    try {
      if (!conn.lock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
        LOG.warn("Scrape of {} skipped: the previous one is still running", conn.source);
        if (runCollectors) {
          collectorsUnreachable(out);
        }
        return new Outcome(false, true, List.of());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, true, List.of());
    }
    try {
      Families own = new Families();
      long t0 = System.nanoTime();
      Future<Outcome> f = executor.submit(() -> scrapeLocked(conn, master, runCollectors, own));
      try {
        Outcome o = f.get(timeoutNanos, TimeUnit.NANOSECONDS);
        out.addAll(own);
        LOG.debug(
            "Scraped server={} database={} up={} error={} duration_seconds={}",
            conn.source.server(),
            conn.source.database(),
            o.connected(),
            o.error(),
            seconds(t0));
        return o;
      } catch (TimeoutException e) {
        LOG.warn("Scrape of {} timed out after {}", conn.source, collectionTimeout);
        f.cancel(true);
        conn.abort();
        awaitQuietly(f);
      } catch (ExecutionException e) {
        LOG.warn("Scrape of {} failed: {}", conn.source, conn.redact(e.getCause()));
        conn.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        f.cancel(true);
        conn.abort();
        awaitQuietly(f);
      }
      if (runCollectors) {
        collectorsUnreachable(out);
      }
      return new Outcome(false, true, List.of());
    } finally {
      if (conn.retired) {
        conn.close();
      }
      conn.lock.unlock();
    }
  }

  private static void awaitQuietly(Future<?> f) {
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
      // the aborted scrape ended (or will, on its closed socket)
    }
  }

  private Outcome scrapeLocked(PgConn conn, boolean master, boolean runCollectors, Families out) {
    String key = conn.source.toString();
    try {
      conn.ensureOpen();
      if (failing.remove(key + " connect")) {
        LOG.info("Connected to {} again", conn.source);
      }
    } catch (SQLException e) {
      String msg = conn.redact(e);
      if (failing.add(key + " connect")) {
        LOG.warn("Cannot connect to {}: {}", conn.source, msg);
      } else {
        LOG.debug("Cannot connect to {}: {}", conn.source, msg);
      }
      if (runCollectors) {
        collectorsUnreachable(out);
      }
      return new Outcome(false, true, List.of());
    }
    Map<String, String> labels = new LinkedHashMap<>(constantLabels);
    labels.put("server", conn.source.server());
    boolean error = false;
    String version;
    int versionNum;
    try (ResultSet rs =
        conn.statement(
                "SELECT version(), current_setting('server_version_num')::int", statementTimeout)
            .executeQuery()) {
      rs.next();
      version = rs.getString(1);
      versionNum = rs.getInt(2);
    } catch (SQLException e) {
      return lost(conn, e, runCollectors, out);
    }
    String shortVersion = PgQueries.shortVersion(version);
    try {
      if (!disableDefaultMetrics && master) {
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put("version", version);
        l.put("short_version", shortVersion);
        out.add("pg_static", MetricType.UNTYPED, "Version string as reported by postgres", 1, l);
      }
      if (!disableSettingsMetrics && master) {
        error |= !namespace(conn, "pg_settings", () -> settings(conn, labels, out));
      }
      List<Query> queries = new ArrayList<>();
      // The builtin maps read cluster-wide views: on discovered databases they would repeat the
      // master's series (0.15 then fails the whole scrape with duplicates), so only masters run
      // them.
      if (!disableDefaultMetrics && master) {
        queries.addAll(builtin);
      }
      if (userQueries != null) {
        queries.addAll(userQueries.queries);
      }
      for (Query q : queries) {
        if (q.master() && !master) {
          continue;
        }
        if (!Legacy.versionMatches(q.runOnServer(), shortVersion)) {
          continue;
        }
        error |= !userQuery(conn, q, labels, out);
      }
      List<String> databases = List.of();
      if (autoDiscover && master) {
        databases = new ArrayList<>();
        try (ResultSet rs =
            conn.statement(
                    "SELECT datname FROM pg_database WHERE datallowconn = true AND datistemplate ="
                        + " false AND datname != current_database()",
                    statementTimeout)
                .executeQuery()) {
          while (rs.next()) {
            databases.add(rs.getString(1));
          }
        } catch (SQLException e) {
          if (PgConn.isConnectionError(e)) {
            throw e;
          }
          LOG.warn("Cannot list the databases of {}: {}", conn.source, conn.redact(e));
          error = true;
        }
      }
      if (runCollectors) {
        runCollectors(conn, versionNum, out);
      }
      return new Outcome(true, error, databases);
    } catch (SQLException e) {
      return lost(conn, e, runCollectors, out);
    }
  }

  private Outcome lost(PgConn conn, SQLException e, boolean runCollectors, Families out) {
    LOG.warn("Lost the connection to {}: {}", conn.source, conn.redact(e));
    conn.close();
    if (runCollectors) {
      collectorsUnreachable(out);
    }
    return new Outcome(false, true, List.of());
  }

  interface Step {
    void run() throws SQLException;
  }

  /**
   * Runs one namespace; a connection error is rethrown (the target is gone), anything else is
   * logged once while it lasts and reported as false.
   */
  private boolean namespace(PgConn conn, String name, Step step) throws SQLException {
    String key = conn.source + " " + name;
    long t0 = System.nanoTime();
    try {
      step.run();
      LOG.debug(
          "Querying namespace namespace={} server={} duration_seconds={}",
          name,
          conn.source.server(),
          seconds(t0));
      if (failing.remove(key)) {
        LOG.info("Query {} on {} works again", name, conn.source);
      }
      return true;
    } catch (SQLException e) {
      if (PgConn.isConnectionError(e)) {
        throw e;
      }
      if (failing.add(key)) {
        LOG.warn("Query {} on {} failed: {}", name, conn.source, conn.redact(e));
      } else {
        LOG.debug(
            "Query {} on {} failed: {} duration_seconds={}",
            name,
            conn.source,
            conn.redact(e),
            seconds(t0));
      }
      return false;
    }
  }

  /** Seconds since {@code t0} (a {@link System#nanoTime()}), as Go's {@code Duration.Seconds()}. */
  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** A collector run: as {@link #namespace}, its lines written by the caller. */
  private boolean collector(PgConn conn, String name, Step step) throws SQLException {
    String key = conn.source + " collector " + name;
    try {
      step.run();
      if (failing.remove(key)) {
        LOG.info("Collector {} on {} works again", name, conn.source);
      }
      return true;
    } catch (SQLException e) {
      if (PgConn.isConnectionError(e)) {
        throw e;
      }
      if (failing.add(key)) {
        LOG.warn("Collector {} on {} failed: {}", name, conn.source, conn.redact(e));
      }
      return false;
    }
  }

  private boolean userQuery(PgConn conn, Query q, Map<String, String> labels, Families out)
      throws SQLException {
    long now = System.nanoTime();
    if (q.cacheSeconds() > 0) {
      PgConn.Cached c = conn.cache.get(q.namespace());
      if (c != null && now < c.expiresNanos()) {
        out.addAll(c.families());
        LOG.debug(
            "Querying namespace namespace={} server={} from cache (cache_seconds={})",
            q.namespace(),
            conn.source.server(),
            q.cacheSeconds());
        return true;
      }
    }
    Legacy.Result[] result = new Legacy.Result[1];
    boolean ok =
        namespace(
            conn,
            q.namespace(),
            () -> {
              try {
                result[0] = Legacy.run(conn, q, statementTimeout, labels);
              } catch (SQLException e) {
                conn.forget(q.sql());
                throw e;
              }
            });
    if (!ok) {
      return false;
    }
    out.addAll(result[0].families());
    if (q.cacheSeconds() > 0) {
      conn.cache.put(
          q.namespace(),
          new PgConn.Cached(
              now + TimeUnit.SECONDS.toNanos(q.cacheSeconds()), result[0].families()));
    }
    if (result[0].nonFatalError()) {
      // As in Go: logged, not an error of the scrape.
      LOG.debug("Query {} on {}: some values could not be used", q.namespace(), conn.source);
    }
    return true;
  }

  private void settings(PgConn conn, Map<String, String> labels, Families out) throws SQLException {
    try (ResultSet rs =
        conn.statement(
                "SELECT name, setting, COALESCE(unit, ''), short_desc, vartype FROM pg_settings"
                    + " WHERE vartype IN ('bool', 'integer', 'real') AND name !="
                    + " 'sync_commit_cancel_wait'",
                statementTimeout)
            .executeQuery()) {
      while (rs.next()) {
        PgQueries.Setting s;
        try {
          s =
              PgQueries.setting(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5));
        } catch (IllegalArgumentException e) {
          LOG.debug("pg_settings: {}", e.getMessage());
          continue;
        }
        out.add(s.name(), MetricType.GAUGE, s.help(), s.value(), labels);
      }
    }
  }

  private void runCollectors(PgConn conn, int versionNum, Families out) throws SQLException {
    Collectors.Ctx ctx = new Collectors.Ctx(conn, statementTimeout, excludeDatabases, versionNum);
    Map<String, double[]> results = new LinkedHashMap<>();
    SQLException lost = null;
    for (String name : collectors) {
      long t0 = System.nanoTime();
      boolean ok = false;
      if (lost == null) {
        Families own = new Families();
        String err = null;
        try {
          ok = collector(conn, name, () -> Collectors.ALL.get(name).body().collect(ctx, own));
        } catch (SQLException e) {
          lost = e;
          err = conn.redact(e);
        } catch (RuntimeException e) {
          err = conn.redact(e);
          LOG.warn("Collector {} on {} failed: {}", name, conn.source, err);
        }
        if (ok) {
          out.addAll(own);
        }
        double took = seconds(t0);
        if (ok) {
          LOG.debug(
              "collector succeeded name={} server={} duration_seconds={}",
              name,
              conn.source.server(),
              took);
        } else {
          LOG.debug(
              "collector failed name={} server={} duration_seconds={}{}",
              name,
              conn.source.server(),
              took,
              err == null ? "" : " err=" + err);
        }
      }
      results.put(name, new double[] {ok ? 1 : 0, seconds(t0)});
    }
    collectorFamilies(results, out);
    if (lost != null) {
      throw lost;
    }
  }

  /** {@code pg_scrape_collector_*} with 0 for every enabled collector: the target is down. */
  void collectorsUnreachable(Families out) {
    Map<String, double[]> results = new HashMap<>();
    for (String name : collectors) {
      results.put(name, new double[] {0, 0});
    }
    collectorFamilies(results, out);
  }

  private void collectorFamilies(Map<String, double[]> results, Families out) {
    for (String name : collectors) {
      double[] r = results.get(name);
      out.add(
          "pg_scrape_collector_duration_seconds",
          MetricType.GAUGE,
          "postgres_exporter: Duration of a collector scrape.",
          r[1],
          "collector",
          name);
    }
    for (String name : collectors) {
      out.add(
          "pg_scrape_collector_success",
          MetricType.GAUGE,
          "postgres_exporter: Whether a collector succeeded.",
          results.get(name)[0],
          "collector",
          name);
    }
  }

  /** {@code pg_up}, {@code pg_exporter_*}: only the constant labels. */
  void exporterFamilies(Families out, long start, long scrapes, boolean error, boolean up) {
    Map<String, String> l = constantLabels;
    out.add(
        "pg_exporter_last_scrape_duration_seconds",
        MetricType.GAUGE,
        "Duration of the last scrape of metrics from PostgreSQL.",
        (System.nanoTime() - start) / 1e9,
        l);
    out.add(
        "pg_exporter_scrapes_total",
        MetricType.COUNTER,
        "Total number of times PostgreSQL was scraped for metrics.",
        scrapes,
        l);
    out.add(
        "pg_exporter_last_scrape_error",
        MetricType.GAUGE,
        "Whether the last scrape of metrics from PostgreSQL resulted in an error (1 for error, 0"
            + " for success).",
        error ? 1 : 0,
        l);
    out.add(
        "pg_up",
        MetricType.GAUGE,
        "Whether the last scrape of metrics from PostgreSQL was able to connect to the server (1"
            + " for yes, 0 for no).",
        up ? 1 : 0,
        l);
    if (userQueriesPath != null) {
      Map<String, String> ul = new LinkedHashMap<>(l);
      ul.put("filename", userQueriesPath);
      ul.put("hashsum", userQueriesHash);
      out.add(
          "pg_exporter_user_queries_load_error",
          MetricType.GAUGE,
          "Whether the user queries file was loaded and parsed successfully (1 for error, 0 for"
              + " success).",
          userQueriesFailed ? 1 : 0,
          ul);
    }
  }

  /** {@code postgres_exporter_config_last_reload_*} when a config file was given. */
  void configFamilies(Families out) {
    if (configReloadSuccessful == null) {
      return;
    }
    out.add(
        "postgres_exporter_config_last_reload_successful",
        MetricType.GAUGE,
        "Postgres exporter config loaded successfully.",
        configReloadSuccessful ? 1 : 0);
    out.add(
        "postgres_exporter_config_last_reload_success_timestamp_seconds",
        MetricType.GAUGE,
        "Timestamp of the last successful configuration reload.",
        configReloadSuccessful ? configReloadTime.getEpochSecond() : 0);
  }

  void closeQuietly(PgConn c) {
    try {
      if (c.lock.tryLock(collectionTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        try {
          c.close();
        } finally {
          c.lock.unlock();
        }
      } else {
        c.abort();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.abort();
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
