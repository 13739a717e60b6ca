package io.clustermonitor.examples;

import io.clustermonitor.exporters.postgres.DataSource;
import io.clustermonitor.exporters.postgres.PostgresCollector;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The PostgreSQL collector's settings; targets come from postgres_exporter's variables ({@code
 * DATA_SOURCE_NAME}, or {@code DATA_SOURCE_URI} + {@code DATA_SOURCE_USER} + {@code
 * DATA_SOURCE_PASS}, each also as {@code _FILE}). A picocli mixin shared by {@code
 * postgres-exporter} and {@code serve}.
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

  /**
   * Builds the collector from the environment.
   *
   * @throws IllegalArgumentException when no data source is configured or a value is invalid (never
   *     showing a password)
   */
  PostgresCollector collector(Map<String, String> env) {
    if (statementTimeoutSeconds <= 0 || collectionTimeoutSeconds <= 0) {
      throw new IllegalArgumentException("PostgreSQL timeouts must be positive seconds");
    }
    return PostgresCollector.builder()
        .dataSources(DataSource.fromEnvironment(env))
        .statementTimeout(Duration.ofSeconds(statementTimeoutSeconds))
        .collectionTimeout(Duration.ofSeconds(collectionTimeoutSeconds))
        .build();
  }
}
