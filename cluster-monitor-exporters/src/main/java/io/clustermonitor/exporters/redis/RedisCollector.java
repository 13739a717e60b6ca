package io.clustermonitor.exporters.redis;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis metrics named as redis_exporter 1.45 names them: {@code redis_up}, {@code
 * redis_exporter_last_scrape_error{err}}, the {@code INFO ALL} fields (gauges and counters as
 * redis_exporter maps them, {@code ok}/{@code fail} as 1/0), {@code redis_db_keys{db}}, {@code
 * redis_commands_total{cmd}}, {@code redis_instance_info{...}}, {@code redis_config_maxclients},
 * replication and slowlog metrics.
 *
 * <p>It speaks RESP2 over one socket of its own (no client library): the connection is opened on
 * the first scrape, reused, and reopened after a failure. An unreachable server or a rejected
 * password gives {@code redis_up 0} in the same scrape, never an exception. The password is never
 * logged nor written into metrics or exception messages.
 *
 * <pre>{@code
 * RedisCollector redis = RedisCollector.builder()
 *     .address("redis://127.0.0.1:6379")
 *     .password("secret")
 *     .build();
 * List<MetricFamily> families = redis.collect();
 * }</pre>
 *
 * <p>Thread-safe: scrapes are serialised on the single connection.
 */
public final class RedisCollector implements MetricsCollector, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisCollector.class);

  private final RedisTarget target;
  private final String user;
  private final String password;
  private final Duration timeout;
  private final Clock clock;
  private RespConnection connection;
  private long scrapes;

  private RedisCollector(Builder b) {
    this.target = RedisTarget.parse(b.address);
    this.user = b.user != null ? b.user : target.user();
    String pw = b.password != null ? b.password : target.password();
    if (pw == null && b.passwordFile != null) {
      try {
        pw = PasswordFile.passwordFor(b.passwordFile, b.address);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "Cannot read Redis password file " + b.passwordFile + ": " + e.getClass().getName(),
            null);
      }
    }
    this.password = pw == null || pw.isEmpty() ? null : pw;
    this.timeout = b.timeout;
    this.clock = b.clock;
  }

  /** Starts a builder (address {@code redis://localhost:6379}, timeout 15 s). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configures a collector as redis_exporter reads its environment: {@code REDIS_ADDR}, {@code
   * REDIS_USER}, {@code REDIS_PASSWORD}, {@code REDIS_PASSWORD_FILE} (a bare password or a JSON map
   * of address to password).
   */
  public static Builder fromEnvironment(Map<String, String> env) {
    Builder b = builder();
    String addr = env.get("REDIS_ADDR");
    if (addr != null && !addr.isBlank()) {
      b.address(addr);
    }
    String u = env.get("REDIS_USER");
    if (u != null && !u.isEmpty()) {
      b.user(u);
    }
    String p = env.get("REDIS_PASSWORD");
    if (p != null && !p.isEmpty()) {
      b.password(p);
    }
    String f = env.get("REDIS_PASSWORD_FILE");
    if (f != null && !f.isBlank()) {
      b.passwordFile(Path.of(f));
    }
    return b;
  }

  @Override
  public String name() {
    return "redis";
  }

  /** The target address, without credentials. */
  public String address() {
    return target.address();
  }

  @Override
  public synchronized List<MetricFamily> collect() {
    long start = System.nanoTime();
    scrapes++;
    InfoMapper m = new InfoMapper("redis");
    String error = "";
    double connectSeconds = Double.NaN;
    boolean up = false;
    try {
      connectSeconds = scrape(m, true);
      up = true;
    } catch (IOException | RuntimeException e) {
      closeConnection();
      error = describe(e);
      LOG.debug("scrape of {} failed: {}", target.address(), error);
      m = new InfoMapper("redis");
    }
    List<MetricFamily> out = new ArrayList<>(m.build());
    InfoMapper own = new InfoMapper("redis");
    own.add(
        "exporter_last_scrape_error",
        MetricType.GAUGE,
        "The last scrape error status.",
        error.isEmpty() ? 0 : 1,
        "err",
        error);
    if (!Double.isNaN(connectSeconds)) {
      own.add("exporter_last_scrape_connect_time_seconds", MetricType.GAUGE, null, connectSeconds);
    }
    own.add("exporter_scrapes_total", MetricType.COUNTER, "Current total redis scrapes.", scrapes);
    own.add("up", MetricType.GAUGE, "Information about the Redis instance", up ? 1 : 0);
    own.add(
        "exporter_last_scrape_duration_seconds",
        MetricType.GAUGE,
        null,
        (System.nanoTime() - start) / 1e9);
    out.addAll(own.build());
    return out;
  }

  /** Returns the connect time in seconds (0 when the connection was reused). */
  private double scrape(InfoMapper m, boolean mayRetry) throws IOException {
    boolean reused = connection != null;
    long t0 = System.nanoTime();
    try {
      if (connection == null) {
        connection = RespConnection.open(target, timeout);
        if (password != null) {
          if (user != null) {
            connection.command("AUTH", user, password);
          } else {
            connection.command("AUTH", password);
          }
        }
      }
      double connectSeconds = (System.nanoTime() - t0) / 1e9;
      Map<String, String> config = configGet(connection);
      Object info = connection.command("INFO", "ALL");
      if (!(info instanceof String text)) {
        throw new IOException("unexpected INFO reply");
      }
      int dbCount = 16;
      Double dbs = InfoMapper.number(config.get("databases"));
      if (dbs != null) {
        dbCount = dbs.intValue();
      }
      m.info(text, dbCount, clock.instant().getEpochSecond());
      m.config(config);
      slowlog(m, connection);
      return connectSeconds;
    } catch (IOException e) {
      closeConnection();
      if (reused && mayRetry && !(e instanceof RespConnection.RedisErrorReply)) {
        return scrape(m, false);
      }
      throw e;
    }
  }

  private static Map<String, String> configGet(RespConnection c) throws IOException {
    Map<String, String> config = new HashMap<>();
    Object reply;
    try {
      reply = c.command("CONFIG", "GET", "*");
    } catch (RespConnection.RedisErrorReply e) {
      // CONFIG may be renamed or forbidden by ACL: scrape INFO anyway, as redis_exporter does.
      return config;
    }
    if (reply instanceof List<?> list) {
      for (int i = 0; i + 1 < list.size(); i += 2) {
        if (list.get(i) instanceof String k && list.get(i + 1) instanceof String v) {
          config.put(k, v);
        }
      }
    }
    return config;
  }

  private static void slowlog(InfoMapper m, RespConnection c) throws IOException {
    try {
      if (c.command("SLOWLOG", "LEN") instanceof Long len) {
        m.add("slowlog_length", MetricType.GAUGE, "Total slowlog", len);
      }
      double lastId = 0;
      double lastDuration = 0;
      if (c.command("SLOWLOG", "GET", "1") instanceof List<?> entries
          && !entries.isEmpty()
          && entries.get(0) instanceof List<?> entry
          && entry.size() >= 3
          && entry.get(0) instanceof Long id
          && entry.get(2) instanceof Long micros) {
        lastId = id;
        lastDuration = micros / 1e6;
      }
      m.add("slowlog_last_id", MetricType.GAUGE, "Last id of slowlog", lastId);
      m.add(
          "last_slow_execution_duration_seconds",
          MetricType.GAUGE,
          "The amount of time needed for last slow execution, in seconds",
          lastDuration);
    } catch (RespConnection.RedisErrorReply e) {
      // SLOWLOG forbidden by ACL: skip these three, as redis_exporter does.
    }
  }

  private String describe(Exception e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof RespConnection.RedisErrorReply) {
      msg = "redis error: " + msg;
    } else if (!(e instanceof RuntimeException)) {
      msg = "dial redis " + target.address() + ": " + msg;
    }
    if (password != null) {
      msg = msg.replace(password, "<redacted>");
    }
    return msg;
  }

  private void closeConnection() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  /** Closes the connection; a later scrape opens a new one. */
  @Override
  public synchronized void close() {
    closeConnection();
  }

  @Override
  public String toString() {
    return "RedisCollector[" + target.address() + "]";
  }

  /** Builder for {@link RedisCollector}; not thread-safe. */
  public static final class Builder {
    private String address = "redis://localhost:6379";
    private String user;
    private String password;
    private Path passwordFile;
    private Duration timeout = Duration.ofSeconds(15);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** {@code redis://}, {@code rediss://} or {@code unix://} address, or {@code host:port}. */
    public Builder address(String address) {
      RedisTarget.parse(address);
      this.address = address;
      return this;
    }

    /** ACL user name (Redis 6+). */
    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    /** Password; takes precedence over the password file. */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** A file with the password, or redis_exporter's JSON map of address to password. */
    public Builder passwordFile(Path file) {
      this.passwordFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Connect and read timeout (default 15 s, as redis_exporter's connection timeout). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Builds the collector; no connection is made until the first scrape.
     *
     * @throws IllegalArgumentException when the address is invalid or the password file cannot be
     *     read
     */
    public RedisCollector build() {
      return new RedisCollector(this);
    }
  }
}
