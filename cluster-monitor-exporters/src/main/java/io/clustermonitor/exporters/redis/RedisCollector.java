package io.clustermonitor.exporters.redis;

import io.clustermonitor.core.GoDuration;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis metrics named as redis_exporter 1.55 names them: {@code redis_up}, {@code
 * redis_exporter_*}, the {@code INFO ALL} fields (gauges and counters as redis_exporter maps them,
 * {@code ok}/{@code fail} as 1/0), {@code redis_db_keys{db}}, commandstats, errorstats, {@code
 * redis_latency_percentiles_usec}, {@code LATENCY LATEST} and {@code LATENCY HISTOGRAM}, {@code
 * CLUSTER INFO} on cluster nodes, replication, slowlog, and the optional key, stream, config and
 * system families.
 *
 * <p>Each scrape opens one connection with Jedis, runs its commands and closes it, as
 * redis_exporter does: between scrapes the exporter is no client of the server, and during a scrape
 * {@code redis_connected_clients} counts it exactly as it counts the Go exporter (named {@code
 * redis_exporter} by {@code CLIENT SETNAME}). An unreachable server or a rejected password gives
 * {@code redis_up 0} in the same scrape, never an exception. The password is never logged nor
 * written into metrics or exception messages.
 *
 * <pre>{@code
 * RedisCollector redis =
 *     RedisCollector.builder()
 *         .address("rediss://cache.example:6380")
 *         .user("monitor")
 *         .password("secret")
 *         .checkKeys("db0=session:*")
 *         .build();
 * List<MetricFamily> families = redis.collect();
 * TargetScraper scrape = redis.targetScraper(); // for /scrape?target=...
 * }</pre>
 *
 * <p>Thread-safe; concurrent scrapes use their own connections.
 */
public final class RedisCollector implements MetricsCollector, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisCollector.class);

  private final RedisTarget target;
  private final String addressAsWritten;
  private final String user;
  private final String password;
  private final Settings settings;
  private final Clock clock;
  private final Path passwordFile;
  private final AtomicLong requestErrors;
  private final AtomicLong scrapes = new AtomicLong();
  private final Object durationLock = new Object();
  private double durationSum;
  private long durationCount;

  private RedisCollector(
      RedisTarget target,
      String addressAsWritten,
      String user,
      String password,
      Settings settings,
      Clock clock,
      Path passwordFile,
      AtomicLong requestErrors) {
    this.target = target;
    this.addressAsWritten = addressAsWritten;
    this.user = user;
    this.password = password;
    this.settings = settings;
    this.clock = clock;
    this.passwordFile = passwordFile;
    this.requestErrors = requestErrors;
  }

  /** Starts a builder (address {@code redis://localhost:6379}, timeout 15 s, namespace redis). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configures a builder as redis_exporter reads its environment: {@code REDIS_ADDR}, {@code
   * REDIS_USER}, {@code REDIS_PASSWORD}, {@code REDIS_PASSWORD_FILE} and the {@code
   * REDIS_EXPORTER_*} variables of the options this collector implements ({@code
   * REDIS_EXPORTER_NAMESPACE}, {@code REDIS_EXPORTER_CHECK_KEYS}, ..., {@code
   * REDIS_EXPORTER_TLS_CA_CERT_FILE}, {@code REDIS_EXPORTER_SKIP_TLS_VERIFICATION}). Booleans that
   * do not parse are ignored, as Go's {@code strconv.ParseBool} fallback does.
   *
   * @throws IllegalArgumentException for a bad address, number or duration
   */
  public static Builder fromEnvironment(Map<String, String> env) {
    Builder b = builder();
    EnvReader e = new EnvReader(env);
    e.str("REDIS_ADDR", b::address);
    e.str("REDIS_USER", b::user);
    e.str("REDIS_PASSWORD", b::password);
    e.str("REDIS_PASSWORD_FILE", v -> b.passwordFile(Path.of(v)));
    e.str("REDIS_EXPORTER_NAMESPACE", b::namespace);
    e.str("REDIS_EXPORTER_CHECK_KEYS", b::checkKeys);
    e.str("REDIS_EXPORTER_CHECK_SINGLE_KEYS", b::checkSingleKeys);
    e.str("REDIS_EXPORTER_CHECK_STREAMS", b::checkStreams);
    e.str("REDIS_EXPORTER_CHECK_SINGLE_STREAMS", b::checkSingleStreams);
    e.str("REDIS_EXPORTER_COUNT_KEYS", b::countKeys);
    e.str("REDIS_EXPORTER_CHECK_KEYS_BATCH_SIZE", v -> b.checkKeysBatchSize(parseLong(v)));
    e.str("REDIS_EXPORTER_CONFIG_COMMAND", b::configCommand);
    e.str("REDIS_EXPORTER_CONNECTION_TIMEOUT", v -> b.timeout(parseGoDuration(v)));
    e.str("REDIS_EXPORTER_TLS_CLIENT_KEY_FILE", v -> b.tlsClientKeyFile(Path.of(v)));
    e.str("REDIS_EXPORTER_TLS_CLIENT_CERT_FILE", v -> b.tlsClientCertFile(Path.of(v)));
    e.str("REDIS_EXPORTER_TLS_CA_CERT_FILE", v -> b.tlsCaCertFile(Path.of(v)));
    e.bool("REDIS_EXPORTER_SKIP_TLS_VERIFICATION", b::skipTlsVerification);
    e.bool("REDIS_EXPORTER_SET_CLIENT_NAME", b::setClientName);
    e.bool("REDIS_EXPORTER_IS_CLUSTER", b::isCluster);
    e.bool("REDIS_EXPORTER_PING_ON_CONNECT", b::pingOnConnect);
    e.bool("REDIS_EXPORTER_INCL_CONFIG_METRICS", b::includeConfigMetrics);
    e.bool("REDIS_EXPORTER_REDACT_CONFIG_METRICS", b::redactConfigMetrics);
    e.bool("REDIS_EXPORTER_INCL_SYSTEM_METRICS", b::includeSystemMetrics);
    e.bool("REDIS_EXPORTER_EXCLUDE_LATENCY_HISTOGRAM_METRICS", b::excludeLatencyHistogramMetrics);
    e.bool("REDIS_EXPORTER_DISABLE_EXPORTING_KEY_VALUES", b::disableExportingKeyValues);
    e.bool("REDIS_EXPORTER_SKIP_CHECKKEYS_FOR_ROLE_MASTER", b::skipCheckKeysForRoleMaster);
    e.bool("REDIS_EXPORTER_STREAMS_EXCLUDE_CONSUMER_METRICS", b::streamsExcludeConsumerMetrics);
    e.str("REDIS_EXPORTER_CHECK_KEY_GROUPS", b::checkKeyGroups);
    e.str("REDIS_EXPORTER_MAX_DISTINCT_KEY_GROUPS", v -> b.maxDistinctKeyGroups(parseLong(v)));
    e.str("REDIS_EXPORTER_SCRIPT", b::script);
    e.bool("REDIS_EXPORTER_EXPORT_CLIENT_LIST", b::exportClientList);
    e.bool("REDIS_EXPORTER_EXPORT_CLIENT_PORT", b::exportClientPort);
    return b;
  }

  /** Reads variables as Go's getEnv/getEnvBool do. */
  private record EnvReader(Map<String, String> env) {
    void str(String name, java.util.function.Consumer<String> to) {
      String v = env.get(name);
      if (v != null) {
        to.accept(v);
      }
    }

    void bool(String name, java.util.function.Consumer<Boolean> to) {
      Boolean b = parseGoBool(env.get(name));
      if (b != null) {
        to.accept(b);
      }
    }
  }

  /** Go's {@code strconv.ParseBool}; null when the text is not a boolean. */
  public static Boolean parseGoBool(String v) {
    if (v == null) {
      return null;
    }
    return switch (v) {
      case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
      case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
      default -> null;
    };
  }

  private static long parseLong(String v) {
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Not a number: '" + v + "'");
    }
  }

  /**
   * A Go duration such as {@code 15s}, {@code 500ms}, {@code 1m30s}, or a bare number of seconds,
   * as {@code --connection-timeout} and {@code REDIS_EXPORTER_CONNECTION_TIMEOUT} take it.
   *
   * @throws IllegalArgumentException when it does not parse or is not positive
   */
  public static Duration parseGoDuration(String text) {
    Duration d = GoDuration.parseOrSeconds("connection timeout", text);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("connection timeout must be positive, got '" + text + "'");
    }
    return d;
  }

  @Override
  public String name() {
    return "redis";
  }

  /** The target address without credentials, or an empty string when none is configured. */
  public String address() {
    return target == null ? "" : target.address();
  }

  /**
   * A {@code /scrape?target=} endpoint with this collector's options. The target gets this
   * collector's user and password only when it names the same server; otherwise the password of its
   * entry in the password file, otherwise no password at all (unlike redis_exporter, which sends
   * the global password to any target, issue #1104). A target with credentials in it is refused.
   */
  public RedisTargetScraper targetScraper() {
    return new RedisTargetScraper(
        target, user, password, settings, clock, passwordFile, requestErrors);
  }

  /** A collector for a {@code /scrape} target (package-private: built by the scraper). */
  static RedisCollector forTarget(
      RedisTarget target,
      String addressAsWritten,
      String user,
      String password,
      Settings settings,
      Clock clock,
      AtomicLong requestErrors) {
    return new RedisCollector(
        target, addressAsWritten, user, password, settings, clock, null, requestErrors);
  }

  /** Whether a password is configured for this collector's target (never the password). */
  boolean hasPassword() {
    return password != null;
  }

  @Override
  public List<MetricFamily> collect() {
    long start = System.nanoTime();
    long n = scrapes.incrementAndGet();
    InfoMapper m = new InfoMapper(settings.namespace(), settings.includeSystemMetrics());
    InfoMapper own = new InfoMapper(settings.namespace());
    if (target != null) {
      String error = "";
      double connectSeconds = 0;
      boolean up = false;
      long keyGroupsMillis = 0;
      RedisConnection c = null;
      try {
        long t0 = System.nanoTime();
        try {
          c = RedisConnection.open(target, user, password, settings);
        } finally {
          connectSeconds = (System.nanoTime() - t0) / 1e9;
        }
        if (settings.pingOnConnect()) {
          long p0 = System.nanoTime();
          c.command("PING");
          own.add(
              "exporter_last_scrape_ping_time_seconds",
              MetricType.GAUGE,
              null,
              (System.nanoTime() - p0) / 1e9);
        }
        RedisScrape scrape = new RedisScrape(c, settings, m, clock.instant().getEpochSecond());
        try {
          scrape.run();
        } finally {
          keyGroupsMillis = scrape.keyGroupsMillis();
        }
        up = true;
      } catch (IOException | RuntimeException e) {
        error = describe(e, c == null);
        LOG.debug("scrape of {} failed: {}", target.address(), error);
        m = new InfoMapper(settings.namespace());
      } finally {
        if (c != null) {
          c.close();
        }
      }
      own.add(
          "exporter_last_scrape_error",
          MetricType.GAUGE,
          "The last scrape error status.",
          error.isEmpty() ? 0 : 1,
          "err",
          error);
      own.add("exporter_last_scrape_connect_time_seconds", MetricType.GAUGE, null, connectSeconds);
      own.add("up", MetricType.GAUGE, "Information about the Redis instance", up ? 1 : 0);
      own.add(
          "last_key_groups_scrape_duration_milliseconds",
          MetricType.GAUGE,
          "Duration of the last key group metrics scrape in milliseconds",
          keyGroupsMillis);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double sum;
    long count;
    synchronized (durationLock) {
      durationSum += seconds;
      durationCount++;
      sum = durationSum;
      count = durationCount;
    }
    own.add("exporter_scrapes_total", MetricType.COUNTER, "Current total redis scrapes.", n);
    own.add(
        "target_scrape_request_errors_total",
        MetricType.COUNTER,
        "Errors in requests to the exporter",
        requestErrors.get());
    if (target != null) {
      own.add("exporter_last_scrape_duration_seconds", MetricType.GAUGE, null, seconds);
    }
    own.summary(
        "exporter_scrape_duration_seconds",
        "Durations of scrapes by the exporter",
        Map.of(),
        Map.of(),
        sum,
        count);
    List<MetricFamily> out = new ArrayList<>(m.build());
    out.addAll(own.build());
    return out;
  }

  private String describe(Exception e, boolean dial) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof RedisConnection.ErrorReply) {
      msg = "redis error: " + msg;
    } else if (dial) {
      msg = "dial redis " + target.address() + ": " + msg;
    }
    if (password != null && !password.isEmpty()) {
      msg = msg.replace(password, "<redacted>");
    }
    return msg;
  }

  /** Nothing to release: every scrape closes its own connection. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "RedisCollector[" + address() + "]";
  }

  /** Builder for {@link RedisCollector}; not thread-safe. */
  public static final class Builder {
    private String address = "redis://localhost:6379";
    private String user;
    private String password;
    private Path passwordFile;
    private String namespace = "redis";
    private Duration timeout = Duration.ofSeconds(15);
    private String configCommand = "CONFIG";
    private boolean setClientName = true;
    private boolean pingOnConnect;
    private boolean isCluster;
    private String checkKeys = "";
    private String checkSingleKeys = "";
    private String checkStreams = "";
    private String checkSingleStreams = "";
    private boolean streamsExcludeConsumerMetrics;
    private String countKeys = "";
    private long checkKeysBatchSize = 1000;
    private boolean includeSystemMetrics;
    private boolean includeConfigMetrics;
    private boolean redactConfigMetrics = true;
    private boolean excludeLatencyHistogramMetrics;
    private boolean disableExportingKeyValues;
    private boolean skipCheckKeysForRoleMaster;
    private Path tlsCaCertFile;
    private Path tlsClientCertFile;
    private Path tlsClientKeyFile;
    private boolean skipTlsVerification;
    private Clock clock = Clock.systemUTC();
    private List<String> keyGroups = List.of();
    private long maxDistinctKeyGroups = Extras.NONE.maxDistinctKeyGroups();
    private Map<String, String> scripts = Map.of();
    private boolean exportClientList;
    private boolean exportClientPort;

    private Builder() {}

    /**
     * Comma separated (CSV) Lua patterns grouping every key by the captures of the first that
     * matches ({@code redis_key_group_*}); an empty text turns it off.
     *
     * @throws IllegalArgumentException for bad CSV or a malformed Lua pattern
     */
    public Builder checkKeyGroups(String patterns) {
      this.keyGroups = KeyGroups.parse(patterns);
      return this;
    }

    /** Key groups per database beyond which the rest are summed as {@code overflow} (100). */
    public Builder maxDistinctKeyGroups(long max) {
      if (max < 0) {
        throw new IllegalArgumentException("max-distinct-key-groups must not be negative: " + max);
      }
      this.maxDistinctKeyGroups = max;
      return this;
    }

    /**
     * Comma separated Lua script files, read now, each run with {@code EVAL} on every scrape
     * ({@code redis_script_values}, {@code redis_script_result}); an empty text turns it off.
     *
     * @throws IllegalArgumentException when a file cannot be read
     */
    public Builder script(String files) {
      this.scripts = LuaScripts.load(files);
      return this;
    }

    /** Export {@code CLIENT LIST} as {@code redis_connected_clients_details}. */
    public Builder exportClientList(boolean on) {
      this.exportClientList = on;
      return this;
    }

    /** Add the client's port to {@code redis_connected_clients_details}. */
    public Builder exportClientPort(boolean on) {
      this.exportClientPort = on;
      return this;
    }

    /**
     * {@code redis://}, {@code rediss://} (TLS) or {@code unix://} address, or {@code host:port};
     * an empty address serves only the exporter's own metrics (for {@code /scrape}-only use).
     */
    public Builder address(String address) {
      Objects.requireNonNull(address, "address");
      if (!address.isBlank()) {
        RedisTarget.parse(address);
      }
      this.address = address.strip();
      return this;
    }

    /** ACL user name (Redis 6+); used with a password. */
    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user").isEmpty() ? null : user;
      return this;
    }

    /** Password of the configured address; takes precedence over the password file. */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password").isEmpty() ? null : password;
      return this;
    }

    /**
     * redis_exporter's JSON map of address to password (also used by {@code /scrape}), or a file
     * with just the password of the configured address.
     */
    public Builder passwordFile(Path file) {
      this.passwordFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Metric name prefix (default {@code redis}). */
    public Builder namespace(String namespace) {
      if (!namespace.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new IllegalArgumentException("Invalid namespace '" + namespace + "'");
      }
      this.namespace = namespace;
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

    /** The name of the CONFIG command (renamed commands), {@code -} to skip it. */
    public Builder configCommand(String name) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("config command must not be empty");
      }
      this.configCommand = name;
      return this;
    }

    /** Send {@code CLIENT SETNAME redis_exporter} (default true). */
    public Builder setClientName(boolean on) {
      this.setClientName = on;
      return this;
    }

    /** PING after connecting and report its time. */
    public Builder pingOnConnect(boolean on) {
      this.pingOnConnect = on;
      return this;
    }

    /**
     * The target is a cluster node: the key and stream checks use Jedis's cluster client, follow
     * {@code MOVED}/{@code ASK} to the master of each key, scan patterns on every master, in db0.
     */
    public Builder isCluster(boolean on) {
      this.isCluster = on;
      return this;
    }

    /** Comma separated {@code [dbN=]pattern}s of keys to report size and value of. */
    public Builder checkKeys(String patterns) {
      KeyChecks.parse(patterns);
      this.checkKeys = patterns;
      return this;
    }

    /** Comma separated {@code [dbN=]key}s to report size and value of. */
    public Builder checkSingleKeys(String keys) {
      KeyChecks.parse(keys);
      this.checkSingleKeys = keys;
      return this;
    }

    /** Comma separated {@code [dbN=]pattern}s of streams to report. */
    public Builder checkStreams(String patterns) {
      KeyChecks.parse(patterns);
      this.checkStreams = patterns;
      return this;
    }

    /** Comma separated {@code [dbN=]stream}s to report. */
    public Builder checkSingleStreams(String streams) {
      KeyChecks.parse(streams);
      this.checkSingleStreams = streams;
      return this;
    }

    /** Leave out the per-consumer stream families. */
    public Builder streamsExcludeConsumerMetrics(boolean on) {
      this.streamsExcludeConsumerMetrics = on;
      return this;
    }

    /** Comma separated {@code [dbN=]pattern}s to count keys of. */
    public Builder countKeys(String patterns) {
      KeyChecks.parse(patterns);
      this.countKeys = patterns;
      return this;
    }

    /** SCAN COUNT for the key checks (default 1000). */
    public Builder checkKeysBatchSize(long size) {
      if (size <= 0) {
        throw new IllegalArgumentException("check-keys-batch-size must be positive: " + size);
      }
      this.checkKeysBatchSize = size;
      return this;
    }

    /** Also report {@code redis_total_system_memory_bytes}. */
    public Builder includeSystemMetrics(boolean on) {
      this.includeSystemMetrics = on;
      return this;
    }

    /** Report every config setting ({@code redis_config_key_value}, {@code redis_config_value}). */
    public Builder includeConfigMetrics(boolean on) {
      this.includeConfigMetrics = on;
      return this;
    }

    /** Leave passwords out of the config metrics (default true). */
    public Builder redactConfigMetrics(boolean on) {
      this.redactConfigMetrics = on;
      return this;
    }

    /** Skip {@code LATENCY HISTOGRAM}. */
    public Builder excludeLatencyHistogramMetrics(boolean on) {
      this.excludeLatencyHistogramMetrics = on;
      return this;
    }

    /** Report key sizes but not their values. */
    public Builder disableExportingKeyValues(boolean on) {
      this.disableExportingKeyValues = on;
      return this;
    }

    /** Skip the key checks when the server is a master. */
    public Builder skipCheckKeysForRoleMaster(boolean on) {
      this.skipCheckKeysForRoleMaster = on;
      return this;
    }

    /** PEM CA bundle to verify a {@code rediss://} server with (default: the JDK trust store). */
    public Builder tlsCaCertFile(Path file) {
      this.tlsCaCertFile = file;
      return this;
    }

    /** PEM client certificate for servers that require one. */
    public Builder tlsClientCertFile(Path file) {
      this.tlsClientCertFile = file;
      return this;
    }

    /** PEM private key of the client certificate. */
    public Builder tlsClientKeyFile(Path file) {
      this.tlsClientKeyFile = file;
      return this;
    }

    /** Trust any server certificate and skip host name checks. */
    public Builder skipTlsVerification(boolean on) {
      this.skipTlsVerification = on;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Builds the collector; no connection is made until the first scrape.
     *
     * @throws IllegalArgumentException when the address is invalid, the password file cannot be
     *     read or the TLS files are unusable
     */
    public RedisCollector build() {
      RedisTarget target = address.isEmpty() ? null : RedisTarget.parse(address);
      ClientTls tls =
          new ClientTls(tlsCaCertFile, tlsClientCertFile, tlsClientKeyFile, skipTlsVerification);
      if (tlsCaCertFile != null || tlsClientCertFile != null) {
        tls.context();
      }
      Settings settings =
          new Settings(
              namespace,
              timeout,
              configCommand,
              setClientName,
              pingOnConnect,
              isCluster,
              checkKeys,
              checkSingleKeys,
              checkStreams,
              checkSingleStreams,
              streamsExcludeConsumerMetrics,
              countKeys,
              checkKeysBatchSize,
              includeSystemMetrics,
              includeConfigMetrics,
              redactConfigMetrics,
              excludeLatencyHistogramMetrics,
              disableExportingKeyValues,
              skipCheckKeysForRoleMaster,
              tls,
              new Extras(
                  keyGroups, maxDistinctKeyGroups, scripts, exportClientList, exportClientPort));
      String u = user;
      String pw = password;
      if (target != null) {
        if (u == null) {
          u = target.user();
        }
        if (pw == null) {
          pw = target.password();
        }
      }
      if (passwordFile != null) {
        PasswordFile file = PasswordFile.load(passwordFile);
        if (pw == null && target != null) {
          pw = file.passwordFor(target, address);
          if (pw == null) {
            pw = file.barePassword();
          }
        }
      }
      return new RedisCollector(
          target,
          address,
          u,
          pw == null || pw.isEmpty() ? null : pw,
          settings,
          clock,
          passwordFile,
          new AtomicLong());
    }
  }
}
