package io.clustermonitor.exporters.postgres;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one JDBC connection kept for one target: opened on first use, checked at the start of every
 * scrape (so {@code pg_up} says whether the server can be reached now), reused, and dropped after a
 * connection error. Whoever uses it holds {@link #lock}.
 */
final class PgConn {
  private static final Logger LOG = LoggerFactory.getLogger(PgConn.class);
  static final String APPLICATION_NAME = "cluster-monitor postgres-exporter";

  final DataSource source;
  final ReentrantLock lock = new ReentrantLock();
  private final Duration connectTimeout;
  private Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  volatile long lastUsedNanos = System.nanoTime();

  /** Set when a pool dropped this target: the connection is closed after its running scrape. */
  volatile boolean retired;

  /** A {@code cache_seconds} result of one namespace on this target. */
  record Cached(long expiresNanos, Families families) {}

  /** The cached namespace results; used under the lock. */
  final Map<String, Cached> cache = new HashMap<>();

  PgConn(DataSource source, Duration connectTimeout) {
    this.source = source;
    this.connectTimeout = connectTimeout;
  }

  /**
   * Makes sure a working connection is open: an open one is validated with a round trip and
   * replaced when it is dead. Caller holds the lock.
   *
   * @throws SQLException when the server cannot be reached or refuses the login
   */
  void ensureOpen() throws SQLException {
    lastUsedNanos = System.nanoTime();
    if (connection != null) {
      boolean ok;
      try {
        ok = connection.isValid(seconds(connectTimeout));
      } catch (SQLException e) {
        ok = false;
      }
      if (!ok) {
        close();
      }
    }
    if (connection == null) {
      connection = open();
    }
  }

  boolean isOpen() {
    return connection != null;
  }

  /** A prepared statement of this connection with the given timeout. Caller holds the lock. */
  PreparedStatement statement(String sql, Duration timeout) throws SQLException {
    if (connection == null) {
      throw new SQLException("not connected", "08003");
    }
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    ps.setQueryTimeout(seconds(timeout));
    return ps;
  }

  /** Forgets one statement (after it failed: a catalog change may have made it stale). */
  void forget(String sql) {
    PreparedStatement ps = statements.remove(sql);
    if (ps != null) {
      try {
        ps.close();
      } catch (SQLException e) {
        LOG.debug("closing a statement for {}: {}", source, redact(e));
      }
    }
  }

  private Connection open() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", source.user());
    if (source.password() != null) {
      p.setProperty("password", source.password().reveal());
    }
    int connectSec = seconds(connectTimeout);
    p.setProperty("connectTimeout", Integer.toString(connectSec));
    p.setProperty("loginTimeout", Integer.toString(connectSec));
    p.setProperty("ApplicationName", APPLICATION_NAME);
    // The query timeout is enforced per statement with setQueryTimeout (a cancel request), not with
    // the statement_timeout setting: that would show up in pg_settings_statement_timeout.
    p.setProperty("sslmode", source.params().getOrDefault("sslmode", "prefer"));
    for (String k : new String[] {"sslcert", "sslkey", "sslrootcert", "sslpassword"}) {
      if (source.params().containsKey(k)) {
        p.setProperty(k, source.params().get(k));
      }
    }
    String ct = source.params().get("connect_timeout");
    if (ct != null && ct.matches("\\d+") && Integer.parseInt(ct) > 0) {
      p.setProperty("connectTimeout", ct);
      p.setProperty("loginTimeout", ct);
    }
    String url =
        "jdbc:postgresql://"
            + (source.host().contains(":") ? "[" + source.host() + "]" : source.host())
            + ":"
            + source.port()
            + "/"
            + URLEncoder.encode(source.database(), StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    Connection c = DriverManager.getConnection(url, p);
    try {
      c.setAutoCommit(true);
      c.setReadOnly(true);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    LOG.debug(
        "Established new database connection server={} database={} user={} duration_seconds={}",
        source.server(),
        source.database(),
        source.user(),
        Engine.seconds(t0));
    return c;
  }

  /** Closes the connection; the next {@link #ensureOpen()} opens a new one. Holds the lock. */
  void close() {
    statements.clear();
    Connection c = connection;
    connection = null;
    if (c != null) {
      LOG.debug(
          "Closing the database connection server={} database={}",
          source.server(),
          source.database());
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing connection to {}: {}", source, redact(e));
      }
    }
  }

  /**
   * Tears the connection down from another thread (a scrape that ran past its deadline): the socket
   * is closed at once, so the server ends the backend.
   */
  void abort() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.abort(Runnable::run);
      } catch (SQLException | RuntimeException e) {
        LOG.debug("aborting connection to {}: {}", source, redact(e));
      }
    }
  }

  /** A message of {@code e} without this source's password. */
  String redact(Throwable e) {
    String msg = e == null ? "" : String.valueOf(e.getMessage());
    return redact(msg);
  }

  String redact(String msg) {
    if (source.password() != null && !source.password().isEmpty()) {
      msg = msg.replace(source.password().reveal(), "<redacted>");
    }
    return msg;
  }

  static boolean isConnectionError(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  static int seconds(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (d.toMillis() + 999) / 1000));
  }
}
