package io.clustermonitor.exporters.redis;

import io.clustermonitor.exporters.CollectorBridge;
import java.util.Objects;

/**
 * redis_exporter-compatible metrics ({@link RedisCollector}) in your own prometheus-metrics
 * registry, client_java style. Needs Jedis ({@code redis.clients:jedis}) on the class path.
 *
 * <pre>{@code
 * CollectorBridge redis =
 *     RedisMetrics.builder("redis://127.0.0.1:6379")
 *         .configure(r -> r.passwordFile(Path.of("/run/secrets/redis")))
 *         .register(registry);
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

  /**
   * Configures the Redis bridge: {@link #configure(java.util.function.Consumer)} takes
   * redis_exporter's options (password, key checks, TLS, ...) on a {@link RedisCollector.Builder}.
   * Not thread-safe.
   */
  public static final class Builder
      extends CollectorBridge.CollectorMetricsBuilder<
          RedisCollector.Builder, RedisCollector, Builder> {

    private Builder(String address) {
      super(
          RedisCollector.builder().address(address),
          RedisCollector.Builder::build,
          "redis_exporter");
    }

    @Override
    protected Builder self() {
      return this;
    }
  }
}
