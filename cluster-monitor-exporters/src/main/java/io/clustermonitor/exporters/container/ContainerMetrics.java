package io.clustermonitor.exporters.container;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.exporters.CollectorBridge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * cAdvisor-compatible container metrics ({@link ContainerCollector}) in your own prometheus-metrics
 * registry, client_java style.
 *
 * <pre>{@code
 * PrometheusRegistry registry = new PrometheusRegistry();
 * CollectorBridge containers =
 *     ContainerMetrics.builder(monitor)
 *         .configure(c -> c.include("^web-.*"))
 *         .timeout(Duration.ofSeconds(3))
 *         .register(registry);
 * }</pre>
 *
 * The families are cAdvisor's ({@code container_cpu_usage_seconds_total}, {@code
 * container_memory_working_set_bytes}, {@code container_fs_inodes_total} as a gauge, ...), plus
 * {@code cluster_monitor_scrape_collector_success{collector="container"}} and its duration (see
 * {@link CollectorBridge} for the naming rules). The monitor stays yours: closing the bridge does
 * not close it.
 */
public final class ContainerMetrics {
  private ContainerMetrics() {}

  /** Starts a builder over {@code monitor} (shared, not closed by the bridge). */
  public static Builder builder(DockerMonitor monitor) {
    return new Builder(ContainerCollector.builder(Objects.requireNonNull(monitor, "monitor")));
  }

  /** Configures the container bridge. Not thread-safe. */
  public static final class Builder {
    private final ContainerCollector.Builder collector;
    private final CollectorBridge.Builder bridge = CollectorBridge.builder();

    private Builder(ContainerCollector.Builder collector) {
      this.collector = collector;
      bridge.namespace("cluster_monitor");
    }

    /** Sets cAdvisor options on the collector (include/exclude, label allow-lists, kinds, ...). */
    public Builder configure(Consumer<ContainerCollector.Builder> options) {
      Objects.requireNonNull(options, "options").accept(collector);
      return this;
    }

    /** Prefix of the success and duration families; default {@code cluster_monitor}. */
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
      return bridge.collector(collector.build()).build();
    }

    /** Builds the bridge and registers it with {@code registry}. */
    public CollectorBridge register(PrometheusRegistry registry) {
      Objects.requireNonNull(registry, "registry");
      return bridge.collector(collector.build()).register(registry);
    }
  }
}
