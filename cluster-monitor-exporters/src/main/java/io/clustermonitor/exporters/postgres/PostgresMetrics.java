package io.clustermonitor.exporters.postgres;

import io.clustermonitor.exporters.CollectorBridge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * postgres_exporter-compatible metrics ({@link PostgresCollector}) in your own prometheus-metrics
 * registry, client_java style. Needs the PostgreSQL JDBC driver ({@code org.postgresql:postgresql})
 * on the class path.
 *
 * <pre>{@code
 * CollectorBridge pg = PostgresMetrics.builder(
 *         DataSource.parse("postgresql://monitor@db:5432/app?sslmode=disable")
 *             .withPassword(Secret.of(password)))
 *     .register(registry);
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

  /** Configures the PostgreSQL bridge. Not thread-safe. */
  public static final class Builder {
    private final PostgresCollector.Builder collector = PostgresCollector.builder();
    private final CollectorBridge.Builder bridge = CollectorBridge.builder();

    private Builder(List<DataSource> sources) {
      collector.dataSources(sources);
      bridge.namespace("postgres_exporter");
    }

    /** Sets postgres_exporter options (collectors, auto-discovery, user queries, ...). */
    public Builder configure(Consumer<PostgresCollector.Builder> options) {
      Objects.requireNonNull(options, "options").accept(collector);
      return this;
    }

    /** Prefix of the success and duration families; default {@code postgres_exporter}. */
    public Builder namespace(String namespace) {
      bridge.namespace(namespace);
      return this;
    }

    /** How long a registry scrape waits for the collector; default 5 s; must be positive. */
    public Builder timeout(Duration timeout) {
      bridge.timeout(timeout);
      return this;
    }

    /** Builds the bridge without registering it. */
    public CollectorBridge build() {
      PostgresCollector c = collector.build();
      return bridge.collector(c).closeOnClose(c).build();
    }

    /** Builds the bridge and registers it with {@code registry}. */
    public CollectorBridge register(PrometheusRegistry registry) {
      Objects.requireNonNull(registry, "registry");
      PostgresCollector c = collector.build();
      return bridge.collector(c).closeOnClose(c).register(registry);
    }
  }
}
