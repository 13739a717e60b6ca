package com.example.shop;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.container.ContainerCollector;
import io.clustermonitor.exporters.redis.RedisCollector;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * How the shop service embeds cluster-monitor: one monitor (one engine connection) for everything,
 * and the service's own prometheus-metrics registry served by client_java's HTTPServer.
 */
public final class Monitoring implements AutoCloseable {
  private final DockerMonitor docker;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter orders;
  private final HTTPServer server;
  private final ExporterServer exporter;
  private final RedisCollector redis;

  private Monitoring(String dockerHost, String redisAddress, List<MetricsCollector> extra) {
    docker = DockerMonitor.connect(DockerEndpoint.builder(dockerHost).build());
    orders = Counter.builder().name("shop_orders_total").help("Orders placed.").register(registry);
    redis = RedisCollector.builder().address(redisAddress).build();
    ExporterServer.Builder b =
        ExporterServer.builder()
            .host("127.0.0.1")
            .port(0)
            .namespace("shop")
            .collectorTimeout(Duration.ofSeconds(2))
            .register(ContainerCollector.builder(docker).build(), redis);
    extra.forEach(b::register);
    exporter = b.start();
    try {
      server =
          HTTPServer.builder().hostname("127.0.0.1").port(0).registry(registry).buildAndStart();
    } catch (IOException e) {
      exporter.close();
      docker.close();
      throw new UncheckedIOException(e);
    }
  }

  /** Starts monitoring the engine at {@code dockerHost} and the Redis at {@code redisAddress}. */
  public static Monitoring start(
      String dockerHost, String redisAddress, List<MetricsCollector> extraCollectors) {
    return new Monitoring(dockerHost, redisAddress, extraCollectors);
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
  public String serviceMetricsUrl() {
    return "http://127.0.0.1:" + server.getPort() + "/metrics";
  }

  /** The exporter's /metrics URL. */
  public String exporterMetricsUrl() {
    return exporter.uri().resolve("/metrics").toString();
  }

  @Override
  public void close() {
    server.close();
    exporter.close();
    redis.close();
    docker.close();
  }
}
