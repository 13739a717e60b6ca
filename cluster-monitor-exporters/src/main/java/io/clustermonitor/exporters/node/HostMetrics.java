package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.CollectorBridge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * node_exporter-compatible host metrics ({@link NodeCollector}'s sub-collectors) in your own
 * prometheus-metrics registry, client_java style. Each sub-collector ({@code cpu}, {@code meminfo},
 * ...) runs on its own with the timeout and gets node_exporter's {@code
 * node_scrape_collector_success{collector}} and {@code node_scrape_collector_duration_seconds}.
 *
 * <pre>{@code
 * CollectorBridge host =
 *     HostMetrics.builder()
 *         .procfs(Path.of("/host/proc"))
 *         .sysfs(Path.of("/host/sys"))
 *         .configure(n -> n.disableDefaults().enable("cpu").enable("meminfo"))
 *         .register(registry);
 * }</pre>
 */
public final class HostMetrics {
  private HostMetrics() {}

  /** Starts a builder with node_exporter's defaults ({@code /proc}, {@code /sys}, {@code /}). */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures the host bridge. Not thread-safe. */
  public static final class Builder {
    private final NodeCollector.Builder node = NodeCollector.builder();
    private final CollectorBridge.Builder bridge = CollectorBridge.builder();

    private Builder() {
      bridge.namespace("node");
    }

    /** procfs mount point ({@code --path.procfs}, default {@code /proc}). */
    public Builder procfs(Path path) {
      node.procfs(Objects.requireNonNull(path, "procfs"));
      return this;
    }

    /** sysfs mount point ({@code --path.sysfs}, default {@code /sys}). */
    public Builder sysfs(Path path) {
      node.sysfs(Objects.requireNonNull(path, "sysfs"));
      return this;
    }

    /** Root filesystem mount point ({@code --path.rootfs}, default {@code /}). */
    public Builder rootfs(Path path) {
      node.rootfs(Objects.requireNonNull(path, "rootfs"));
      return this;
    }

    /** Sets node_exporter options (enabled collectors, excludes, per-collector options). */
    public Builder configure(Consumer<NodeCollector.Builder> options) {
      Objects.requireNonNull(options, "options").accept(node);
      return this;
    }

    /** Prefix of the success and duration families; default {@code node}. */
    public Builder namespace(String namespace) {
      bridge.namespace(namespace);
      return this;
    }

    /** How long a registry scrape waits for the sub-collectors; default 5 s; must be positive. */
    public Builder timeout(Duration timeout) {
      bridge.timeout(timeout);
      return this;
    }

    /** Builds the bridge without registering it. */
    public CollectorBridge build() {
      return bridge.collectors(node.build().subCollectors()).build();
    }

    /** Builds the bridge and registers it with {@code registry}. */
    public CollectorBridge register(PrometheusRegistry registry) {
      Objects.requireNonNull(registry, "registry");
      return bridge.collectors(node.build().subCollectors()).register(registry);
    }
  }
}
