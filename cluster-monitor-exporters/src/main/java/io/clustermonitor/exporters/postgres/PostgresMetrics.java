package io.clustermonitor.exporters.postgres;

import io.clustermonitor.exporters.CollectorBridge;
import java.util.List;
import java.util.Objects;

/**
 * postgres_exporter-compatible metrics ({@link PostgresCollector}) in your own prometheus-metrics
 * registry, client_java style. Needs the PostgreSQL JDBC driver ({@code org.postgresql:postgresql})
 * on the class path.
 *
 * <pre>{@code
 * CollectorBridge pg =
 *     PostgresMetrics.builder(
 *             DataSource.parse("postgresql://monitor@db:5432/app?sslmode=disable")
 *                 .withPassword(Secret.of(password)))
 *         .register(registry);
 * }</pre>
 *
 * Closing the bridge closes the collector's connections.
 */
public final class PostgresMetrics {
  private PostgresMetrics() {}

  /**
   * Starts a builder over one or more servers.
   *
   * @throws IllegalArgumentException when no data source is given
   */
  public static Builder builder(DataSource... sources) {
    Objects.requireNonNull(sources, "sources");
    return builder(List.of(sources));
  }

  /**
   * Starts a builder over one or more servers.
   *
   * @throws IllegalArgumentException when the list is empty
   */
  public static Builder builder(List<DataSource> sources) {
    Objects.requireNonNull(sources, "sources");
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("PostgresMetrics needs at least one data source");
    }
    sources.forEach(s -> Objects.requireNonNull(s, "data source"));
    return new Builder(List.copyOf(sources));
  }

  /**
   * Configures the PostgreSQL bridge: {@link #configure(java.util.function.Consumer)} takes
   * postgres_exporter's options (collectors, auto-discovery, user queries, ...) on a {@link
   * PostgresCollector.Builder}. Not thread-safe.
   */
  public static final class Builder
      extends CollectorBridge.CollectorMetricsBuilder<
          PostgresCollector.Builder, PostgresCollector, Builder> {

    private Builder(List<DataSource> sources) {
      super(
          PostgresCollector.builder().dataSources(sources),
          PostgresCollector.Builder::build,
          "postgres_exporter");
    }

    @Override
    protected Builder self() {
      return this;
    }
  }
}
