package com.example.shop;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.stats.StatsSourceChoice;
import io.clustermonitor.exporters.CollectorBridge;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.container.ContainerMetrics;
import io.clustermonitor.exporters.redis.RedisMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the shop service embeds cluster-monitor (docs/embedding.md quotes this file): one monitor,
 * configured from code, serves everything; our metrics go into the service's own prometheus-metrics
 * registry, next to the service's metrics, served by client_java's {@link HTTPServer}.
 */
public final class Monitoring implements AutoCloseable {
  private final DockerMonitor docker;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter orders;
  private final List<CollectorBridge> bridges;
  private final HTTPServer server;

  private Monitoring(
      String dockerHost, Path cgroupRoot, String redisAddress, List<MetricsCollector> custom) {
    // [monitor] one engine connection, every setting from code (no environment variable is read)
    docker =
        DockerMonitor.builder(DockerEndpoint.builder(dockerHost).build())
            .statsSource(StatsSourceChoice.ENGINE_API)
            .cgroupRoot(cgroupRoot)
            .samplingInterval(Duration.ofSeconds(1))
            .build();
    // [monitor]

    // [registry] our collectors in the service's registry, client_java style
    CollectorBridge containers =
        ContainerMetrics.builder(docker).timeout(Duration.ofSeconds(5)).register(registry);
    CollectorBridge redis =
        RedisMetrics.builder(redisAddress).timeout(Duration.ofSeconds(5)).register(registry);
    CollectorBridge own =
        CollectorBridge.builder()
            .namespace("shop")
            .collectors(custom)
            .timeout(Duration.ofSeconds(2))
            .register(registry);
    orders = Counter.builder().name("shop_orders_total").help("Orders placed.").register(registry);
    // [registry]
    bridges = List.of(containers, redis, own);

    try {
      // [server]
      server =
          HTTPServer.builder().hostname("127.0.0.1").port(0).registry(registry).buildAndStart();
      // [server]
    } catch (IOException e) {
      close(bridges, docker);
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts monitoring the engine at {@code dockerHost} (stats from the Engine API; {@code
   * cgroupRoot} is where cgroup files would be read from) and the Redis at {@code redisAddress},
   * plus the service's own collectors.
   */
  public static Monitoring start(
      String dockerHost, Path cgroupRoot, String redisAddress, List<MetricsCollector> custom) {
    return new Monitoring(dockerHost, cgroupRoot, redisAddress, custom);
  }

  /** The shared monitor, for health checks and the service's own queries. */
  public DockerMonitor docker() {
    return docker;
  }

  /** The service's registry. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Counts an order (the service's own metric). */
  public void orderPlaced() {
    orders.inc();
  }

  /** The service's /metrics URL. */
  public String metricsUrl() {
    return "http://127.0.0.1:" + server.getPort() + "/metrics";
  }

  @Override
  public void close() {
    server.close();
    close(bridges, docker);
  }

  private static void close(List<CollectorBridge> bridges, DockerMonitor docker) {
    bridges.forEach(CollectorBridge::close);
    docker.close();
  }
}
