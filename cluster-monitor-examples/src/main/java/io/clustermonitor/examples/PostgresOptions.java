package io.clustermonitor.examples;

import io.clustermonitor.exporters.postgres.AuthModules;
import io.clustermonitor.exporters.postgres.DataSource;
import io.clustermonitor.exporters.postgres.PostgresCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The PostgreSQL collector's settings, with postgres_exporter 0.15's flags and {@code
 * PG_EXPORTER_*} variables; targets come from its variables ({@code DATA_SOURCE_NAME}, or {@code
 * DATA_SOURCE_URI} + {@code DATA_SOURCE_USER} + {@code DATA_SOURCE_PASS}, each also as {@code
 * _FILE}). A picocli mixin shared by {@code postgres-exporter} and {@code serve}.
 */
final class PostgresOptions {
  @Option(
      names = "--statement-timeout",
      paramLabel = "SECONDS",
      defaultValue = "${env:CM_PG_STATEMENT_TIMEOUT:-5}",
      description = "Per-query timeout (env: CM_PG_STATEMENT_TIMEOUT; default ${DEFAULT-VALUE}).")
  int statementTimeoutSeconds;

  @Option(
      names = "--collection-timeout",
      paramLabel = "SECONDS",
      defaultValue = "${env:CM_PG_COLLECTION_TIMEOUT:-10}",
      description =
          "Upper bound on one server's collection (env: CM_PG_COLLECTION_TIMEOUT; default"
              + " ${DEFAULT-VALUE}).")
  int collectionTimeoutSeconds;

  @Option(
      names = "--config.file",
      paramLabel = "FILE",
      description =
          "Postgres exporter configuration file with auth_modules for /probe (default"
              + " postgres_exporter.yml, ignored when it does not exist).")
  Path configFile;

  @Option(
      names = "--disable-default-metrics",
      negatable = true,
      defaultValue = "${env:PG_EXPORTER_DISABLE_DEFAULT_METRICS:-false}",
      fallbackValue = "true",
      description = "Do not include default metrics (env: PG_EXPORTER_DISABLE_DEFAULT_METRICS).")
  boolean disableDefaultMetrics;

  @Option(
      names = "--disable-settings-metrics",
      negatable = true,
      defaultValue = "${env:PG_EXPORTER_DISABLE_SETTINGS_METRICS:-false}",
      fallbackValue = "true",
      description =
          "Do not include pg_settings metrics (env: PG_EXPORTER_DISABLE_SETTINGS_METRICS).")
  boolean disableSettingsMetrics;

  @Option(
      names = "--auto-discover-databases",
      negatable = true,
      defaultValue = "${env:PG_EXPORTER_AUTO_DISCOVER_DATABASES:-false}",
      fallbackValue = "true",
      description =
          "Whether to discover the databases on a server dynamically (env:"
              + " PG_EXPORTER_AUTO_DISCOVER_DATABASES).")
  boolean autoDiscoverDatabases;

  @Option(
      names = "--extend.query-path",
      paramLabel = "FILE",
      defaultValue = "${env:PG_EXPORTER_EXTEND_QUERY_PATH:-}",
      description = "Path to custom queries to run (env: PG_EXPORTER_EXTEND_QUERY_PATH).")
  String queryPath;

  @Option(
      names = "--constantLabels",
      paramLabel = "LABELS",
      defaultValue = "${env:PG_EXPORTER_CONSTANT_LABELS:-}",
      description =
          "A list of label=value separated by comma(,) (env: PG_EXPORTER_CONSTANT_LABELS).")
  String constantLabels;

  @Option(
      names = "--exclude-databases",
      paramLabel = "DBS",
      defaultValue = "${env:PG_EXPORTER_EXCLUDE_DATABASES:-}",
      description =
          "A list of databases to remove when autoDiscoverDatabases is enabled (env:"
              + " PG_EXPORTER_EXCLUDE_DATABASES).")
  String excludeDatabases;

  @Option(
      names = "--include-databases",
      paramLabel = "DBS",
      defaultValue = "${env:PG_EXPORTER_INCLUDE_DATABASES:-}",
      description =
          "A list of databases to include when autoDiscoverDatabases is enabled (env:"
              + " PG_EXPORTER_INCLUDE_DATABASES).")
  String includeDatabases;

  @Option(
      names = "--metric-prefix",
      paramLabel = "PREFIX",
      defaultValue = "${env:PG_EXPORTER_METRIC_PREFIX:-pg}",
      description =
          "A metric prefix for the builtin legacy metrics instead of pg (env:"
              + " PG_EXPORTER_METRIC_PREFIX).")
  String metricPrefix;

  /** {@code --[no-]collector.<name>} given on the command line, in order. */
  private final Map<String, Boolean> collectorOverrides = new LinkedHashMap<>();

  @Option(
      names = "--collector.database",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the database collector (default: enabled; --no-collector.database turns it off).")
  void collectorDatabase(boolean on) {
    collectorOverrides.put("database", on);
  }

  @Option(names = "--no-collector.database", hidden = true)
  void noCollectorDatabase(boolean on) {
    collectorOverrides.put("database", !on);
  }

  @Option(
      names = "--collector.database_wraparound",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the database_wraparound collector (default: disabled; --no-collector.database_wraparound turns it off).")
  void collectorDatabaseWraparound(boolean on) {
    collectorOverrides.put("database_wraparound", on);
  }

  @Option(names = "--no-collector.database_wraparound", hidden = true)
  void noCollectorDatabaseWraparound(boolean on) {
    collectorOverrides.put("database_wraparound", !on);
  }

  @Option(
      names = "--collector.locks",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the locks collector (default: enabled; --no-collector.locks turns it off).")
  void collectorLocks(boolean on) {
    collectorOverrides.put("locks", on);
  }

  @Option(names = "--no-collector.locks", hidden = true)
  void noCollectorLocks(boolean on) {
    collectorOverrides.put("locks", !on);
  }

  @Option(
      names = "--collector.long_running_transactions",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the long_running_transactions collector (default: disabled; --no-collector.long_running_transactions turns it off).")
  void collectorLongRunningTransactions(boolean on) {
    collectorOverrides.put("long_running_transactions", on);
  }

  @Option(names = "--no-collector.long_running_transactions", hidden = true)
  void noCollectorLongRunningTransactions(boolean on) {
    collectorOverrides.put("long_running_transactions", !on);
  }

  @Option(
      names = "--collector.postmaster",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the postmaster collector (default: disabled; --no-collector.postmaster turns it off).")
  void collectorPostmaster(boolean on) {
    collectorOverrides.put("postmaster", on);
  }

  @Option(names = "--no-collector.postmaster", hidden = true)
  void noCollectorPostmaster(boolean on) {
    collectorOverrides.put("postmaster", !on);
  }

  @Option(
      names = "--collector.process_idle",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the process_idle collector (default: disabled; --no-collector.process_idle turns it off).")
  void collectorProcessIdle(boolean on) {
    collectorOverrides.put("process_idle", on);
  }

  @Option(names = "--no-collector.process_idle", hidden = true)
  void noCollectorProcessIdle(boolean on) {
    collectorOverrides.put("process_idle", !on);
  }

  @Option(
      names = "--collector.replication",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the replication collector (default: enabled; --no-collector.replication turns it off).")
  void collectorReplication(boolean on) {
    collectorOverrides.put("replication", on);
  }

  @Option(names = "--no-collector.replication", hidden = true)
  void noCollectorReplication(boolean on) {
    collectorOverrides.put("replication", !on);
  }

  @Option(
      names = "--collector.replication_slot",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the replication_slot collector (default: enabled; --no-collector.replication_slot turns it off).")
  void collectorReplicationSlot(boolean on) {
    collectorOverrides.put("replication_slot", on);
  }

  @Option(names = "--no-collector.replication_slot", hidden = true)
  void noCollectorReplicationSlot(boolean on) {
    collectorOverrides.put("replication_slot", !on);
  }

  @Option(
      names = "--collector.stat_activity_autovacuum",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the stat_activity_autovacuum collector (default: disabled; --no-collector.stat_activity_autovacuum turns it off).")
  void collectorStatActivityAutovacuum(boolean on) {
    collectorOverrides.put("stat_activity_autovacuum", on);
  }

  @Option(names = "--no-collector.stat_activity_autovacuum", hidden = true)
  void noCollectorStatActivityAutovacuum(boolean on) {
    collectorOverrides.put("stat_activity_autovacuum", !on);
  }

  @Option(
      names = "--collector.stat_bgwriter",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the stat_bgwriter collector (default: enabled; --no-collector.stat_bgwriter turns it off).")
  void collectorStatBgwriter(boolean on) {
    collectorOverrides.put("stat_bgwriter", on);
  }

  @Option(names = "--no-collector.stat_bgwriter", hidden = true)
  void noCollectorStatBgwriter(boolean on) {
    collectorOverrides.put("stat_bgwriter", !on);
  }

  @Option(
      names = "--collector.stat_database",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the stat_database collector (default: enabled; --no-collector.stat_database turns it off).")
  void collectorStatDatabase(boolean on) {
    collectorOverrides.put("stat_database", on);
  }

  @Option(names = "--no-collector.stat_database", hidden = true)
  void noCollectorStatDatabase(boolean on) {
    collectorOverrides.put("stat_database", !on);
  }

  @Option(
      names = "--collector.stat_statements",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the stat_statements collector (default: disabled; --no-collector.stat_statements turns it off).")
  void collectorStatStatements(boolean on) {
    collectorOverrides.put("stat_statements", on);
  }

  @Option(names = "--no-collector.stat_statements", hidden = true)
  void noCollectorStatStatements(boolean on) {
    collectorOverrides.put("stat_statements", !on);
  }

  @Option(
      names = "--collector.stat_user_tables",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the stat_user_tables collector (default: enabled; --no-collector.stat_user_tables turns it off).")
  void collectorStatUserTables(boolean on) {
    collectorOverrides.put("stat_user_tables", on);
  }

  @Option(names = "--no-collector.stat_user_tables", hidden = true)
  void noCollectorStatUserTables(boolean on) {
    collectorOverrides.put("stat_user_tables", !on);
  }

  @Option(
      names = "--collector.stat_wal_receiver",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the stat_wal_receiver collector (default: disabled; --no-collector.stat_wal_receiver turns it off).")
  void collectorStatWalReceiver(boolean on) {
    collectorOverrides.put("stat_wal_receiver", on);
  }

  @Option(names = "--no-collector.stat_wal_receiver", hidden = true)
  void noCollectorStatWalReceiver(boolean on) {
    collectorOverrides.put("stat_wal_receiver", !on);
  }

  @Option(
      names = "--collector.statio_user_indexes",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the statio_user_indexes collector (default: disabled; --no-collector.statio_user_indexes turns it off).")
  void collectorStatioUserIndexes(boolean on) {
    collectorOverrides.put("statio_user_indexes", on);
  }

  @Option(names = "--no-collector.statio_user_indexes", hidden = true)
  void noCollectorStatioUserIndexes(boolean on) {
    collectorOverrides.put("statio_user_indexes", !on);
  }

  @Option(
      names = "--collector.statio_user_tables",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the statio_user_tables collector (default: enabled; --no-collector.statio_user_tables turns it off).")
  void collectorStatioUserTables(boolean on) {
    collectorOverrides.put("statio_user_tables", on);
  }

  @Option(names = "--no-collector.statio_user_tables", hidden = true)
  void noCollectorStatioUserTables(boolean on) {
    collectorOverrides.put("statio_user_tables", !on);
  }

  @Option(
      names = "--collector.wal",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Enable the wal collector (default: enabled; --no-collector.wal turns it off).")
  void collectorWal(boolean on) {
    collectorOverrides.put("wal", on);
  }

  @Option(names = "--no-collector.wal", hidden = true)
  void noCollectorWal(boolean on) {
    collectorOverrides.put("wal", !on);
  }

  @Option(
      names = "--collector.xlog_location",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Enable the xlog_location collector (default: disabled; --no-collector.xlog_location turns it off).")
  void collectorXlogLocation(boolean on) {
    collectorOverrides.put("xlog_location", on);
  }

  @Option(names = "--no-collector.xlog_location", hidden = true)
  void noCollectorXlogLocation(boolean on) {
    collectorOverrides.put("xlog_location", !on);
  }

  /** Every collector with whether it runs: 0.15's default, changed by the flags. */
  Map<String, Boolean> collectorFlags() {
    Map<String, Boolean> c = new LinkedHashMap<>();
    for (String name : PostgresCollector.knownCollectors()) {
      c.put(name, PostgresCollector.defaultCollectors().contains(name));
    }
    c.putAll(collectorOverrides);
    return c;
  }

  /** When {@code --config.file} was read (or failed). */
  private Boolean configLoaded;

  private Instant configTime = Instant.now();

  /**
   * Reads {@code --config.file}. The default {@code postgres_exporter.yml} may be missing (no
   * modules, as upstream); a file named on the command line must exist and be valid.
   *
   * @throws IllegalArgumentException naming the file and the problem, never a password
   */
  AuthModules authModules() {
    Path file = configFile == null ? Path.of("postgres_exporter.yml") : configFile;
    if (configFile == null && !Files.exists(file)) {
      configLoaded = false;
      return AuthModules.empty();
    }
    AuthModules m = AuthModules.load(file);
    configLoaded = true;
    configTime = Instant.now();
    return m;
  }

  /**
   * Builds the collector from the flags and the environment.
   *
   * @throws IllegalArgumentException when a value is invalid (never showing a password)
   */
  PostgresCollector collector(Map<String, String> env) {
    if (statementTimeoutSeconds <= 0 || collectionTimeoutSeconds <= 0) {
      throw new IllegalArgumentException("PostgreSQL timeouts must be positive seconds");
    }
    PostgresCollector.Builder b =
        PostgresCollector.builder()
            .dataSources(DataSource.fromEnvironment(env))
            .statementTimeout(Duration.ofSeconds(statementTimeoutSeconds))
            .collectionTimeout(Duration.ofSeconds(collectionTimeoutSeconds))
            .disableDefaultMetrics(disableDefaultMetrics)
            .disableSettingsMetrics(disableSettingsMetrics)
            .autoDiscoverDatabases(
                autoDiscoverDatabases, list(includeDatabases), list(excludeDatabases))
            .constantLabels(labels(constantLabels))
            .metricPrefix(metricPrefix);
    collectorFlags().forEach(b::collector);
    if (queryPath != null && !queryPath.isBlank()) {
      b.userQueries(Path.of(queryPath.trim()));
    }
    if (configLoaded != null) {
      b.configReload(configLoaded, configTime);
    }
    return b.build();
  }

  static Set<String> list(String csv) {
    Set<String> out = new LinkedHashSet<>();
    if (csv != null) {
      for (String s : csv.split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }

  /** {@code a=b,c=d} as postgres_exporter's {@code parseConstLabels}. */
  static Map<String, String> labels(String csv) {
    Map<String, String> out = new LinkedHashMap<>();
    if (csv == null || csv.isBlank()) {
      return out;
    }
    for (String pair : csv.split(",")) {
      String p = pair.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0 || !p.substring(0, eq).trim().matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new IllegalArgumentException(
            "--constantLabels: '" + p + "' is not label=value (e.g. env=prod,team=db)");
      }
      out.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
    }
    return out;
  }
}
