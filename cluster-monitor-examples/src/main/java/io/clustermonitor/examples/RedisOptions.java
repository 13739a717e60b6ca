package io.clustermonitor.examples;

import io.clustermonitor.exporters.redis.RedisCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * redis_exporter 1.55's own flags, each in Go's {@code -flag} and {@code --flag} spelling, with its
 * environment variable ({@code REDIS_ADDR}, {@code REDIS_USER}, {@code REDIS_PASSWORD}, {@code
 * REDIS_PASSWORD_FILE}, {@code REDIS_EXPORTER_*}); a flag wins over its variable. Booleans take
 * Go's forms ({@code -is-cluster}, {@code -is-cluster=false}, {@code =1}, {@code =t}). Valid 1.55
 * flags that are not implemented are accepted with one warning each. The web and log flags live
 * elsewhere. A picocli mixin shared by {@code redis-exporter} and {@code serve}.
 */
final class RedisOptions {
  private static final Logger LOG = LoggerFactory.getLogger(RedisOptions.class);

  @Option(
      names = {"-redis.addr", "--redis.addr"},
      paramLabel = "ADDR",
      description =
          "redis://host:port, rediss://host:port or unix:///path; empty for /scrape only (env:"
              + " REDIS_ADDR; default redis://localhost:6379).")
  String addr;

  @Option(
      names = {"-redis.user", "--redis.user"},
      paramLabel = "USER",
      description = "ACL user (env: REDIS_USER).")
  String user;

  @Option(
      names = {"-redis.password", "--redis.password"},
      paramLabel = "PASSWORD",
      description =
          "Password of --redis.addr only, never sent to other /scrape targets (env:"
              + " REDIS_PASSWORD; prefer REDIS_PASSWORD or the password file: flags show in ps).")
  String password;

  @Option(
      names = {"-redis.password-file", "--redis.password-file"},
      paramLabel = "FILE",
      description =
          "JSON map of address to password, e.g. {\"redis://host:6379\":\"pw\"}, used for"
              + " --redis.addr and /scrape targets; or a file with just the password (env:"
              + " REDIS_PASSWORD_FILE).")
  Path passwordFile;

  @Option(
      names = {"-namespace", "--namespace"},
      paramLabel = "NS",
      description = "Metric name prefix (env: REDIS_EXPORTER_NAMESPACE; default redis).")
  String namespace;

  @Option(
      names = {"-connection-timeout", "--connection-timeout"},
      paramLabel = "DURATION",
      description =
          "Connect and read timeout, e.g. 15s (env: REDIS_EXPORTER_CONNECTION_TIMEOUT; default"
              + " 15s).")
  String timeout;

  @Option(
      names = {"-check-keys", "--check-keys"},
      paramLabel = "PATTERNS",
      description =
          "Comma separated [dbN=]patterns of keys to export size and value of, found with SCAN"
              + " (env: REDIS_EXPORTER_CHECK_KEYS).")
  String checkKeys;

  @Option(
      names = {"-check-single-keys", "--check-single-keys"},
      paramLabel = "KEYS",
      description =
          "Comma separated [dbN=]keys to export size and value of (env:"
              + " REDIS_EXPORTER_CHECK_SINGLE_KEYS).")
  String checkSingleKeys;

  @Option(
      names = {"-check-streams", "--check-streams"},
      paramLabel = "PATTERNS",
      description =
          "Comma separated [dbN=]patterns of streams to export, found with SCAN (env:"
              + " REDIS_EXPORTER_CHECK_STREAMS).")
  String checkStreams;

  @Option(
      names = {"-check-single-streams", "--check-single-streams"},
      paramLabel = "STREAMS",
      description =
          "Comma separated [dbN=]streams to export (env: REDIS_EXPORTER_CHECK_SINGLE_STREAMS).")
  String checkSingleStreams;

  @Option(
      names = {"-count-keys", "--count-keys"},
      paramLabel = "PATTERNS",
      description =
          "Comma separated [dbN=]patterns to count keys of, e.g. db0=production_*  (env:"
              + " REDIS_EXPORTER_COUNT_KEYS).")
  String countKeys;

  @Option(
      names = {"-check-keys-batch-size", "--check-keys-batch-size"},
      paramLabel = "N",
      description =
          "SCAN COUNT of the key checks (env: REDIS_EXPORTER_CHECK_KEYS_BATCH_SIZE; 1000).")
  Long checkKeysBatchSize;

  @Option(
      names = {"-config-command", "--config-command"},
      paramLabel = "NAME",
      description =
          "Name of the CONFIG command, - to skip it (env: REDIS_EXPORTER_CONFIG_COMMAND; CONFIG).")
  String configCommand;

  @Option(
      names = {"-tls-ca-cert-file", "--tls-ca-cert-file"},
      paramLabel = "FILE",
      description = "PEM CA to verify rediss:// servers (env: REDIS_EXPORTER_TLS_CA_CERT_FILE).")
  Path tlsCaCertFile;

  @Option(
      names = {"-tls-client-cert-file", "--tls-client-cert-file"},
      paramLabel = "FILE",
      description = "PEM client certificate (env: REDIS_EXPORTER_TLS_CLIENT_CERT_FILE).")
  Path tlsClientCertFile;

  @Option(
      names = {"-tls-client-key-file", "--tls-client-key-file"},
      paramLabel = "FILE",
      description = "PEM client key (env: REDIS_EXPORTER_TLS_CLIENT_KEY_FILE).")
  Path tlsClientKeyFile;

  // Booleans: Go's -flag / -flag=value forms.

  @Option(
      names = {"-skip-tls-verification", "--skip-tls-verification"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Trust any rediss:// certificate (env: REDIS_EXPORTER_SKIP_TLS_VERIFICATION).")
  String skipTlsVerification;

  @Option(
      names = {"-is-cluster", "--is-cluster"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "The target is a cluster node: key checks follow MOVED/ASK to every master, in db0"
              + " (env: REDIS_EXPORTER_IS_CLUSTER).")
  String isCluster;

  @Option(
      names = {"-include-system-metrics", "--include-system-metrics"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Also export redis_total_system_memory_bytes (env: REDIS_EXPORTER_INCL_SYSTEM_METRICS).")
  String includeSystemMetrics;

  @Option(
      names = {"-include-config-metrics", "--include-config-metrics"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Export every config setting (env: REDIS_EXPORTER_INCL_CONFIG_METRICS).")
  String includeConfigMetrics;

  @Option(
      names = {"-redact-config-metrics", "--redact-config-metrics"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Leave passwords out of the config metrics (env: REDIS_EXPORTER_REDACT_CONFIG_METRICS;"
              + " default true).")
  String redactConfigMetrics;

  @Option(
      names = {"-set-client-name", "--set-client-name"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "CLIENT SETNAME redis_exporter (env: REDIS_EXPORTER_SET_CLIENT_NAME; default true).")
  String setClientName;

  @Option(
      names = {"-ping-on-connect", "--ping-on-connect"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "PING after connecting (env: REDIS_EXPORTER_PING_ON_CONNECT).")
  String pingOnConnect;

  @Option(
      names = {"-exclude-latency-histogram-metrics", "--exclude-latency-histogram-metrics"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Skip LATENCY HISTOGRAM (env: REDIS_EXPORTER_EXCLUDE_LATENCY_HISTOGRAM_METRICS).")
  String excludeLatencyHistogramMetrics;

  @Option(
      names = {"-disable-exporting-key-values", "--disable-exporting-key-values"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Export key sizes but not values (env: REDIS_EXPORTER_DISABLE_EXPORTING_KEY_VALUES).")
  String disableExportingKeyValues;

  @Option(
      names = {"-skip-checkkeys-for-role-master", "--skip-checkkeys-for-role-master"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "No key checks on masters (env: REDIS_EXPORTER_SKIP_CHECKKEYS_FOR_ROLE_MASTER).")
  String skipCheckKeysForRoleMaster;

  @Option(
      names = {"-streams-exclude-consumer-metrics", "--streams-exclude-consumer-metrics"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "No per-consumer stream metrics (env: REDIS_EXPORTER_STREAMS_EXCLUDE_CONSUMER_METRICS).")
  String streamsExcludeConsumerMetrics;

  @Option(
      names = {"-check-key-groups", "--check-key-groups"},
      paramLabel = "PATTERNS",
      description =
          "Comma separated (CSV) Lua patterns; each key is counted in the group named by the"
              + " captures of the first that matches, else unclassified (env:"
              + " REDIS_EXPORTER_CHECK_KEY_GROUPS).")
  String checkKeyGroups;

  @Option(
      names = {"-max-distinct-key-groups", "--max-distinct-key-groups"},
      paramLabel = "N",
      description =
          "Key groups per database with the most memory to report; the rest are summed as"
              + " 'overflow' (env: REDIS_EXPORTER_MAX_DISTINCT_KEY_GROUPS; 100).")
  Long maxDistinctKeyGroups;

  @Option(
      names = {"-script", "--script"},
      paramLabel = "FILES",
      description =
          "Comma separated Lua script files returning name/value pairs, run with EVAL on each"
              + " scrape (env: REDIS_EXPORTER_SCRIPT).")
  String script;

  @Option(
      names = {"-export-client-list", "--export-client-list"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Export CLIENT LIST as redis_connected_clients_details (env:"
              + " REDIS_EXPORTER_EXPORT_CLIENT_LIST).")
  String exportClientList;

  @Option(
      names = {"-export-client-port", "--export-client-port"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Add the client's port to the client list, one series per connection (env:"
              + " REDIS_EXPORTER_EXPORT_CLIENT_PORT).")
  String exportClientPort;

  // Accepted for drop-in command lines, not implemented: one warning each.

  @Option(
      names = {"-is-tile38", "--is-tile38"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Not implemented (accepted with a warning).")
  String isTile38;

  @Option(
      names = {"-include-modules-metrics", "--include-modules-metrics"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Not implemented (accepted with a warning).")
  String includeModulesMetrics;

  /** The flags given that are not implemented, as {@code name} (for one warning each). */
  List<String> unimplemented(Map<String, String> env) {
    List<String> out = new ArrayList<>();
    Object[][] flags = {
      {"is-tile38", isTile38, "REDIS_EXPORTER_IS_TILE38"},
      {"include-modules-metrics", includeModulesMetrics, "REDIS_EXPORTER_INCL_MODULES_METRICS"},
    };
    for (Object[] f : flags) {
      String v = f[1] != null ? (String) f[1] : env.get((String) f[2]);
      if (v == null || v.isEmpty() || Boolean.FALSE.equals(RedisCollector.parseGoBool(v))) {
        continue;
      }
      out.add((String) f[0]);
    }
    return out;
  }

  private static void bool(String name, String value, Consumer<Boolean> to) {
    if (value == null) {
      return;
    }
    Boolean b = RedisCollector.parseGoBool(value);
    if (b == null) {
      throw new IllegalArgumentException(
          "invalid boolean value \"" + value + "\" for flag -" + name);
    }
    to.accept(b);
  }

  /**
   * Builds the collector builder from the environment and the flags.
   *
   * @throws IllegalArgumentException on a bad address, duration, number, key pattern or password
   *     file (never echoing a password)
   */
  RedisCollector.Builder builder(Map<String, String> env) {
    RedisCollector.Builder b = RedisCollector.fromEnvironment(env);
    if (addr != null) {
      b.address(addr);
    }
    if (user != null) {
      b.user(user);
    }
    if (password != null) {
      b.password(password);
    }
    if (passwordFile != null) {
      b.passwordFile(passwordFile);
    }
    if (namespace != null) {
      b.namespace(namespace);
    }
    if (timeout != null) {
      b.timeout(RedisCollector.parseGoDuration(timeout));
    }
    if (checkKeys != null) {
      b.checkKeys(checkKeys);
    }
    if (checkSingleKeys != null) {
      b.checkSingleKeys(checkSingleKeys);
    }
    if (checkStreams != null) {
      b.checkStreams(checkStreams);
    }
    if (checkSingleStreams != null) {
      b.checkSingleStreams(checkSingleStreams);
    }
    if (countKeys != null) {
      b.countKeys(countKeys);
    }
    if (checkKeysBatchSize != null) {
      b.checkKeysBatchSize(checkKeysBatchSize);
    }
    if (configCommand != null) {
      b.configCommand(configCommand);
    }
    if (tlsCaCertFile != null) {
      b.tlsCaCertFile(tlsCaCertFile);
    }
    if (tlsClientCertFile != null) {
      b.tlsClientCertFile(tlsClientCertFile);
    }
    if (tlsClientKeyFile != null) {
      b.tlsClientKeyFile(tlsClientKeyFile);
    }
    bool("skip-tls-verification", skipTlsVerification, b::skipTlsVerification);
    bool("is-cluster", isCluster, b::isCluster);
    bool("include-system-metrics", includeSystemMetrics, b::includeSystemMetrics);
    bool("include-config-metrics", includeConfigMetrics, b::includeConfigMetrics);
    bool("redact-config-metrics", redactConfigMetrics, b::redactConfigMetrics);
    bool("set-client-name", setClientName, b::setClientName);
    bool("ping-on-connect", pingOnConnect, b::pingOnConnect);
    bool(
        "exclude-latency-histogram-metrics",
        excludeLatencyHistogramMetrics,
        b::excludeLatencyHistogramMetrics);
    bool("disable-exporting-key-values", disableExportingKeyValues, b::disableExportingKeyValues);
    bool(
        "skip-checkkeys-for-role-master",
        skipCheckKeysForRoleMaster,
        b::skipCheckKeysForRoleMaster);
    bool(
        "streams-exclude-consumer-metrics",
        streamsExcludeConsumerMetrics,
        b::streamsExcludeConsumerMetrics);
    bool("is-tile38", isTile38, v -> {});
    bool("export-client-list", exportClientList, b::exportClientList);
    bool("export-client-port", exportClientPort, b::exportClientPort);
    if (checkKeyGroups != null) {
      b.checkKeyGroups(checkKeyGroups);
    }
    if (maxDistinctKeyGroups != null) {
      b.maxDistinctKeyGroups(maxDistinctKeyGroups);
    }
    if (script != null) {
      b.script(script);
    }
    bool("include-modules-metrics", includeModulesMetrics, v -> {});
    for (String flag : unimplemented(env)) {
      LOG.warn("-{} is accepted for compatibility but not implemented; it has no effect", flag);
    }
    return b;
  }

  /**
   * Builds the collector.
   *
   * @throws IllegalArgumentException on a bad address, timeout or password file
   */
  RedisCollector collector(Map<String, String> env) {
    return builder(env).build();
  }
}
