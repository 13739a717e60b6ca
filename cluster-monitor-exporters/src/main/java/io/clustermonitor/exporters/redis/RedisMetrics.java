package io.clustermonitor.exporters.redis;

import io.clustermonitor.exporters.CollectorBridge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * redis_exporter-compatible metrics ({@link RedisCollector}) in your own prometheus-metrics
 * registry, client_java style. Needs Jedis ({@code redis.clients:jedis}) on the class path.
 *
 * <pre>{@code
 * CollectorBridge redis = RedisMetrics.builder("redis://127.0.0.1:6379")
 *     .configure(r -> r.passwordFile(Path.of("/run/secrets/redis")))
 *     .register(registry);
 * }</pre>
 *
 * Families are redis_exporter's ({@code redis_up}, {@code redis_connected_clients}, {@code
 * redis_commands_total}, ...), plus {@code redis_exporter_scrape_collector_success{collector=
 * "redis"}}.
 */
public final class RedisMetrics {
  private RedisMetrics() {}

  /**
   * Starts a builder for one server: {@code redis://}, {@code rediss://}, {@code unix://} or {@code
   * host:port}.
   *
   * @throws IllegalArgumentException for a blank or malformed address
   */
  public static Builder builder(String address) {
    Objects.requireNonNull(address, "address");
    if (address.isBlank()) {
      throw new IllegalArgumentException("RedisMetrics needs a Redis address");
    }
    return new Builder(address);
  }

  /** Configures the Redis bridge. Not thread-safe. */
  public static final class Builder {
    private final RedisCollector.Builder collector = RedisCollector.builder();
    private final CollectorBridge.Builder bridge = CollectorBridge.builder();

    private Builder(String address) {
      collector.address(address);
      bridge.namespace("redis_exporter");
    }

    /** Sets redis_exporter options (password, key checks, TLS, ...). */
    public Builder configure(Consumer<RedisCollector.Builder> options) {
      Objects.requireNonNull(options, "options").accept(collector);
      return this;
    }

    /** Prefix of the success and duration families; default {@code redis_exporter}. */
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
      RedisCollector c = collector.build();
      return bridge.collector(c).closeOnClose(c).build();
    }

    /** Builds the bridge and registers it with {@code registry}. */
    public CollectorBridge register(PrometheusRegistry registry) {
      Objects.requireNonNull(registry, "registry");
      RedisCollector c = collector.build();
      return bridge.collector(c).closeOnClose(c).register(registry);
    }
  }
}
