package io.clustermonitor.exporters.postgres;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL metrics named as postgres_exporter 0.11 names them: {@code pg_up}, {@code
 * pg_exporter_last_scrape_error}, {@code pg_static}, {@code pg_stat_database_*} (counters keep
 * their names, without {@code _total}), {@code pg_stat_bgwriter_*_total}, {@code
 * pg_database_size_bytes}, {@code pg_locks_count{datname,mode}}, {@code pg_stat_activity_count},
 * {@code pg_settings_*} (units converted to seconds and bytes), {@code
 * pg_postmaster_start_time_seconds}, {@code pg_replication_lag_seconds}, {@code
 * pg_stat_user_tables_*}. Every per-server sample carries {@code server="host:port"}.
 *
 * <p>Each target has exactly one JDBC connection, opened on the first scrape, reused, and replaced
 * after a failure; so the collector never holds more than one connection per target whatever the
 * scrape rate. Queries run with a statement timeout and the whole collection of a target with a
 * collection timeout; an unreachable server or a wrong password gives {@code pg_up 0} in the same
 * scrape. Passwords never appear in logs, metrics or exception messages. Needs the PostgreSQL JDBC
 * driver ({@code org.postgresql:postgresql}) on the class path.
 *
 * <pre>{@code
 * PostgresCollector pg = PostgresCollector.builder()
 *     .dataSources(DataSource.fromEnvironment(System.getenv()))
 *     .build();
 * List<MetricFamily> families = pg.collect();
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} closes the connections.
 */
public final class PostgresCollector implements MetricsCollector, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresCollector.class);

  private final List<Target> targets;
  private final Duration statementTimeout;
  private final Duration collectionTimeout;
  private final ExecutorService executor;
  private long scrapes;
  private final Object scrapeLock = new Object();

  private PostgresCollector(Builder b) {
    try {
      Class.forName("org.postgresql.Driver");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "The PostgreSQL JDBC driver (org.postgresql:postgresql) is not on the class path", e);
    }
    this.statementTimeout = b.statementTimeout;
    this.collectionTimeout = b.collectionTimeout;
    List<Target> list = new ArrayList<>();
    for (DataSource d : b.dataSources) {
      list.add(new Target(d));
    }
    this.targets = List.copyOf(list);
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "postgres-collector");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "postgres";
  }

  /** The targets, without passwords. */
  public List<DataSource> dataSources() {
    return targets.stream().map(t -> t.source).toList();
  }

  @Override
  public List<MetricFamily> collect() {
    long start = System.nanoTime();
    Families out = new Families();
    boolean allUp = true;
    boolean anyError = false;
    Map<String, double[]> sub = new LinkedHashMap<>();
    sub.put("bgwriter", new double[] {1, 0});
    sub.put("database", new double[] {1, 0});
    for (Target t : targets) {
      Map<String, double[]> ownSub = new LinkedHashMap<>();
      Families own = t.scrapeWithTimeout(ownSub);
      if (own == null) {
        allUp = false;
        anyError = true;
      } else if (targets.size() == 1) {
        // The usual case: the target's families become the output, no copy.
        out = own;
      } else {
        out.addAll(own);
      }
      for (String c : sub.keySet()) {
        double[] r = ownSub.getOrDefault(c, new double[] {0, 0});
        sub.get(c)[0] = Math.min(sub.get(c)[0], r[0]);
        sub.get(c)[1] += r[1];
      }
    }
    long n;
    synchronized (scrapeLock) {
      n = ++scrapes;
    }
    for (Map.Entry<String, double[]> e : sub.entrySet()) {
      out.add(
          "pg_scrape_collector_duration_seconds",
          MetricType.GAUGE,
          "postgres_exporter: Duration of a collector scrape.",
          e.getValue()[1],
          "collector",
          e.getKey());
    }
    for (Map.Entry<String, double[]> e : sub.entrySet()) {
      out.add(
          "pg_scrape_collector_success",
          MetricType.GAUGE,
          "postgres_exporter: Whether a collector succeeded.",
          e.getValue()[0],
          "collector",
          e.getKey());
    }
    out.add(
        "pg_exporter_last_scrape_duration_seconds",
        MetricType.GAUGE,
        "Duration of the last scrape of metrics from PostgreSQL.",
        (System.nanoTime() - start) / 1e9);
    out.add(
        "pg_exporter_last_scrape_error",
        MetricType.GAUGE,
        "Whether the last scrape of metrics from PostgreSQL resulted in an error (1 for error, 0"
            + " for success).",
        anyError ? 1 : 0);
    out.add(
        "pg_exporter_scrapes_total",
        MetricType.COUNTER,
        "Total number of times PostgreSQL was scraped for metrics.",
        n);
    out.add(
        "pg_up",
        MetricType.GAUGE,
        "Whether the last scrape of metrics from PostgreSQL was able to connect to the server (1"
            + " for yes, 0 for no).",
        allUp && !targets.isEmpty() ? 1 : 0);
    return out.build();
  }

  /** Closes every connection; a later scrape reopens them. */
  @Override
  public void close() {
    for (Target t : targets) {
      t.lock.lock();
      try {
        t.closeConnection();
      } finally {
        t.lock.unlock();
      }
    }
  }

  private final class Target {
    final DataSource source;
    final ReentrantLock lock = new ReentrantLock();
    Connection connection;
    final Map<String, PreparedStatement> statements = new java.util.HashMap<>();

    Target(DataSource source) {
      this.source = source;
    }

    /** The target's families, or null when it failed or timed out. */
    Families scrapeWithTimeout(Map<String, double[]> sub) {
      long timeoutNanos = collectionTimeout.toNanos();
      try {
        if (!lock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
          LOG.warn("scrape of {} skipped: the previous one is still running", source);
          return null;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      try {
        Map<String, double[]> ownSub = new LinkedHashMap<>();
        Future<Families> f =
            executor.submit(
                () -> {
                  Families out = new Families();
                  scrape(out, ownSub, true);
                  return out;
                });
        try {
          Families result = f.get(timeoutNanos, TimeUnit.NANOSECONDS);
          sub.putAll(ownSub);
          return result;
        } catch (TimeoutException e) {
          LOG.warn("scrape of {} timed out after {}", source, collectionTimeout);
          f.cancel(true);
          abortConnection();
          return null;
        } catch (ExecutionException e) {
          LOG.warn("scrape of {} failed: {}", source, redact(e.getCause()));
          closeConnection();
          return null;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          f.cancel(true);
          abortConnection();
          return null;
        }
      } finally {
        lock.unlock();
      }
    }

    private Void scrape(Families out, Map<String, double[]> sub, boolean mayRetry)
        throws SQLException {
      boolean reused = connection != null;
      try {
        if (connection == null) {
          connection = open();
        }
        queries(out, sub);
        return null;
      } catch (SQLException e) {
        closeConnection();
        String state = e.getSQLState();
        boolean connectionLost =
            state != null && (state.startsWith("08") || state.startsWith("57P"));
        if (reused && mayRetry && connectionLost) {
          out.clear();
          sub.clear();
          return scrape(out, sub, false);
        }
        throw e;
      }
    }

    private Connection open() throws SQLException {
      Properties p = new Properties();
      p.setProperty("user", source.user());
      if (source.password() != null) {
        p.setProperty("password", source.password());
      }
      long socketSec = Math.max(1, (collectionTimeout.toMillis() + 999) / 1000 + 1);
      p.setProperty("connectTimeout", Long.toString(Math.max(1, socketSec - 1)));
      p.setProperty("loginTimeout", Long.toString(Math.max(1, socketSec - 1)));
      p.setProperty("socketTimeout", Long.toString(socketSec));
      p.setProperty("ApplicationName", "cluster-monitor postgres-exporter");
      // The statement timeout is enforced per query with setQueryTimeout (a cancel request), not
      // with the statement_timeout setting: that would show up in pg_settings_statement_timeout.
      p.setProperty("sslmode", source.params().getOrDefault("sslmode", "prefer"));
      for (String k : new String[] {"sslcert", "sslkey", "sslrootcert"}) {
        if (source.params().containsKey(k)) {
          p.setProperty(k, source.params().get(k));
        }
      }
      String url =
          "jdbc:postgresql://"
              + (source.host().contains(":") ? "[" + source.host() + "]" : source.host())
              + ":"
              + source.port()
              + "/"
              + java.net.URLEncoder.encode(
                  source.database(), java.nio.charset.StandardCharsets.UTF_8);
      Connection c = DriverManager.getConnection(url, p);
      c.setAutoCommit(true);
      c.setReadOnly(true);
      return c;
    }

    private void queries(Families out, Map<String, double[]> sub) throws SQLException {
      String server = source.server();
      try (ResultSet rs = prepared(PgQueries.SERVER).executeQuery()) {
        rs.next();
        String version = rs.getString(1);
        out.add(
            "pg_static",
            MetricType.UNTYPED,
            "Version string as reported by postgres",
            1,
            "server",
            server,
            "short_version",
            PgQueries.shortVersion(version),
            "version",
            version);
        out.add(
            "pg_postmaster_start_time_seconds",
            MetricType.GAUGE,
            "Time at which postmaster started",
            rs.getDouble(2),
            "server",
            server);
        out.add(
            "pg_replication_lag_seconds",
            MetricType.GAUGE,
            "Replication lag behind master in seconds",
            rs.getDouble(3),
            "server",
            server);
        out.add(
            "pg_replication_is_replica",
            MetricType.GAUGE,
            "Indicates if the server is a replica",
            rs.getDouble(4),
            "server",
            server);
        out.add(
            "pg_stat_archiver_archived_count",
            MetricType.COUNTER,
            "Number of WAL files that have been successfully archived",
            rs.getDouble(5),
            "server",
            server);
        out.add(
            "pg_stat_archiver_failed_count",
            MetricType.COUNTER,
            "Number of failed attempts for archiving WAL files",
            rs.getDouble(6),
            "server",
            server);
        double age = rs.getDouble(7);
        out.add(
            "pg_stat_archiver_last_archive_age",
            MetricType.GAUGE,
            "Time in seconds since last WAL segment was successfully archived",
            rs.wasNull() ? Double.NaN : age,
            "server",
            server);
      }
      try (ResultSet rs = prepared(PgQueries.SETTINGS).executeQuery()) {
        while (rs.next()) {
          PgQueries.Setting s =
              PgQueries.setting(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5));
          out.add(s.name(), MetricType.GAUGE, s.help(), s.value(), "server", server);
        }
      }
      PgQueries.view(
          this::prepared,
          "SELECT * FROM pg_stat_database",
          "pg_stat_database",
          "pg_stat_database",
          PgQueries.STAT_DATABASE,
          server,
          out);
      PgQueries.view(
          this::prepared,
          "SELECT * FROM pg_stat_database_conflicts",
          "pg_stat_database_conflicts",
          "pg_stat_database_conflicts",
          PgQueries.STAT_DATABASE_CONFLICTS,
          server,
          out);
      try (ResultSet rs = prepared(PgQueries.LOCKS).executeQuery()) {
        while (rs.next()) {
          out.add(
              "pg_locks_count",
              MetricType.GAUGE,
              "Number of locks",
              rs.getDouble(3),
              "datname",
              rs.getString(1),
              "mode",
              rs.getString(2),
              "server",
              server);
        }
      }
      try (ResultSet rs = prepared(PgQueries.ACTIVITY).executeQuery()) {
        while (rs.next()) {
          String[] labels = {
            "datname", rs.getString(1), "server", server, "state", rs.getString(2)
          };
          out.add(
              "pg_stat_activity_count",
              MetricType.GAUGE,
              "number of connections in this state",
              rs.getDouble(3),
              labels);
          out.add(
              "pg_stat_activity_max_tx_duration",
              MetricType.GAUGE,
              "max duration in seconds any active transaction has been running",
              rs.getDouble(4),
              labels);
        }
      }
      long t0 = System.nanoTime();
      boolean dbOk = true;
      try (ResultSet rs = prepared(PgQueries.DATABASE).executeQuery()) {
        while (rs.next()) {
          out.add(
              "pg_database_size_bytes",
              MetricType.GAUGE,
              "Disk space used by the database",
              rs.getDouble(2),
              "datname",
              rs.getString(1),
              "server",
              server);
          out.add(
              "pg_database_connection_limit",
              MetricType.GAUGE,
              "Connection limit set for the database",
              rs.getDouble(3),
              "datname",
              rs.getString(1),
              "server",
              server);
        }
      } catch (SQLException e) {
        if (isConnectionError(e)) {
          throw e;
        }
        dbOk = false;
      }
      sub.put("database", new double[] {dbOk ? 1 : 0, (System.nanoTime() - t0) / 1e9});
      t0 = System.nanoTime();
      boolean bgOk = true;
      try (ResultSet rs = prepared("SELECT * FROM pg_stat_bgwriter").executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        if (rs.next()) {
          for (int i = 1; i <= md.getColumnCount(); i++) {
            String col = md.getColumnLabel(i);
            String help = PgQueries.BGWRITER.get(col);
            if (help != null) {
              out.add(
                  "pg_stat_bgwriter_" + col + "_total",
                  MetricType.COUNTER,
                  help,
                  PgQueries.number(rs, i, md.getColumnType(i)),
                  "server",
                  server);
            }
          }
        }
      } catch (SQLException e) {
        if (isConnectionError(e)) {
          throw e;
        }
        bgOk = false;
      }
      sub.put("bgwriter", new double[] {bgOk ? 1 : 0, (System.nanoTime() - t0) / 1e9});
      try (ResultSet rs = prepared(PgQueries.USER_TABLES).executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          String[] labels = {
            "datname",
            rs.getString(1),
            "schemaname",
            rs.getString(2),
            "relname",
            rs.getString(3),
            "server",
            server
          };
          for (int i = 4; i <= md.getColumnCount(); i++) {
            String col = md.getColumnLabel(i);
            PgQueries.Column k = PgQueries.STAT_USER_TABLES.get(col);
            double v = PgQueries.number(rs, i, md.getColumnType(i));
            out.add("pg_stat_user_tables_" + col, k.type(), k.help(), v, labels);
          }
        }
      }
    }

    private boolean isConnectionError(SQLException e) {
      String state = e.getSQLState();
      return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private PreparedStatement prepared(String sql) throws SQLException {
      PreparedStatement ps = statements.get(sql);
      if (ps == null) {
        ps = connection.prepareStatement(sql);
        ps.setQueryTimeout((int) Math.max(1, (statementTimeout.toMillis() + 999) / 1000));
        statements.put(sql, ps);
      }
      return ps;
    }

    void closeConnection() {
      statements.clear();
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException e) {
          LOG.debug("closing connection to {}: {}", source, redact(e));
        }
        connection = null;
      }
    }

    private void abortConnection() {
      Connection c = connection;
      connection = null;
      statements.clear();
      if (c != null) {
        try {
          c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
          LOG.debug("aborting connection to {}: {}", source, redact(e));
        }
      }
    }

    private String redact(Throwable e) {
      String msg = e == null ? "" : String.valueOf(e.getMessage());
      if (source.password() != null && !source.password().isEmpty()) {
        msg = msg.replace(source.password(), "<redacted>");
      }
      return msg;
    }
  }

  /** Builder for {@link PostgresCollector}; not thread-safe. */
  public static final class Builder {
    private List<DataSource> dataSources = List.of();
    private Duration statementTimeout = Duration.ofSeconds(5);
    private Duration collectionTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** The targets (at least one). */
    public Builder dataSources(List<DataSource> sources) {
      Objects.requireNonNull(sources, "sources");
      if (sources.isEmpty()) {
        throw new IllegalArgumentException("at least one PostgreSQL data source is needed");
      }
      this.dataSources = List.copyOf(sources);
      return this;
    }

    /** Per-query timeout, whole seconds, enforced with a cancel request (default 5 s). */
    public Builder statementTimeout(Duration timeout) {
      this.statementTimeout = positive(timeout);
      return this;
    }

    /** Upper bound on collecting one target, connection included (default 10 s). */
    public Builder collectionTimeout(Duration timeout) {
      this.collectionTimeout = positive(timeout);
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
     * @throws IllegalArgumentException when no data source was given
     */
    public PostgresCollector build() {
      if (dataSources.isEmpty()) {
        throw new IllegalArgumentException("at least one PostgreSQL data source is needed");
      }
      return new PostgresCollector(this);
    }
  }
}
