package io.clustermonitor.exporters.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.exporters.CollectorBridge;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.container.ContainerCollector;
import io.clustermonitor.exporters.container.ContainerMetrics;
import io.clustermonitor.exporters.livetest.LiveDocker;
import io.clustermonitor.exporters.redis.RedisCollector;
import io.clustermonitor.exporters.redis.RedisMetrics;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Container metrics (real engine) and Redis metrics (real Redis at {@code CM_TEST_REDIS_*})
 * registered into a fresh {@link PrometheusRegistry}, served by client_java's {@link HTTPServer}
 * and scraped over HTTP: every family our own {@link ExporterServer} serves for the same collectors
 * is there with the same name, and with the same type wherever the registry's model can express it
 * (see {@link CollectorBridge}); a throwing and a hanging collector in the same registry give
 * success 0 and the scrape still answers 200. Runs under {@code -Pprometheus-oldest} too.
 */
class RegistryBridgeIT {
  private static final String REDIS_HOST =
      System.getenv().getOrDefault("CM_TEST_REDIS_HOST", "127.0.0.1");
  private static final int REDIS_PORT =
      Integer.parseInt(System.getenv().getOrDefault("CM_TEST_REDIS_PORT", "56379"));
  private static final String REDIS = "redis://" + REDIS_HOST + ":" + REDIS_PORT;
  private static final Pattern TYPE = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static LiveDocker docker;
  private static DockerMonitor monitor;
  private static String container;
  private static final PrometheusRegistry REGISTRY = new PrometheusRegistry();
  private static final CountDownLatch RELEASE = new CountDownLatch(1);
  private static CollectorBridge containers;
  private static CollectorBridge redis;
  private static CollectorBridge app;
  private static HTTPServer httpServer;
  private static ExporterServer reference;

  @BeforeAll
  static void start() throws IOException {
    docker = new LiveDocker(RegistryBridgeIT.class);
    boolean engine = docker.engineAvailable();
    boolean redisUp = reachable(REDIS_HOST, REDIS_PORT);
    if (LiveDocker.servicesRequired()) {
      assertThat(engine).as("Docker engine at " + LiveDocker.DOCKER_HOST).isTrue();
      assertThat(redisUp).as("Redis at " + REDIS).isTrue();
    }
    assumeTrue(engine, "no Docker engine at " + LiveDocker.DOCKER_HOST);
    assumeTrue(redisUp, "no Redis at " + REDIS);
    container = docker.uniqueName("cm-bridge");
    docker.run("--name", container, "--memory", "64m", "IMAGE", "sleep", "600");
    monitor = DockerMonitor.connect(DockerEndpoint.builder(LiveDocker.DOCKER_HOST).build());

    containers =
        ContainerMetrics.builder(monitor)
            .configure(c -> c.include("cm-bridge-.*"))
            .timeout(Duration.ofSeconds(20))
            .register(REGISTRY);
    redis = RedisMetrics.builder(REDIS).timeout(Duration.ofSeconds(20)).register(REGISTRY);
    app =
        CollectorBridge.builder()
            .namespace("app")
            .timeout(Duration.ofSeconds(2))
            .collector(
                named(
                    "broken",
                    () -> {
                      throw new IllegalStateException("queue backend down");
                    }))
            .collector(
                named(
                    "hanging",
                    () -> {
                      RELEASE.await();
                      return List.of();
                    }))
            .register(REGISTRY);
    httpServer =
        HTTPServer.builder().hostname("127.0.0.1").port(0).registry(REGISTRY).buildAndStart();

    // The same collectors in our own server: the reference for names and types.
    reference =
        ExporterServer.builder()
            .namespace("reference")
            .collectorTimeout(Duration.ofSeconds(20))
            .register(
                ContainerCollector.builder(monitor).include("cm-bridge-.*").build(),
                RedisCollector.builder().address(REDIS).build())
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    RELEASE.countDown();
    if (httpServer != null) {
      httpServer.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {app, redis, containers, reference, monitor}) {
      if (c != null) {
        c.close();
      }
    }
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void registryServesOurExactFamilyNamesAndTypes() throws Exception {
    String[] registryText = new String[1];
    // Disk usage is measured in the background, so its families appear after a while: compare a
    // registry scrape taken after a reference scrape until every reference family is there.
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              Map<String, String> ours = types(get(reference.uri().resolve("/metrics")));
              ours.remove("cluster_monitor_build_info"); // the server's own, not a collector's
              ours.remove("reference_scrape_collector_success");
              ours.remove("reference_scrape_collector_duration_seconds");
              registryText[0] =
                  get(URI.create("http://127.0.0.1:" + httpServer.getPort() + "/metrics"));
              assertThat(registryText[0]).contains("name=\"" + container + "\"");
              Map<String, String> expected = new TreeMap<>();
              ours.forEach((name, type) -> expected.put(name, expectedInRegistry(name, type)));
              Map<String, String> got = new TreeMap<>(types(registryText[0]));
              got.keySet().retainAll(expected.keySet());
              assertThat(got).isEqualTo(expected);
              assertThat(expected).containsKeys("container_fs_inodes_total", "redis_up");
            });
    Map<String, String> served = types(registryText[0]);
    assertThat(served)
        .containsEntry("container_cpu_usage_seconds_total", "counter")
        .containsEntry("container_memory_usage_bytes", "gauge")
        .containsEntry("container_fs_inodes_total", suffixFreeModel() ? "gauge" : "counter")
        .containsEntry("container_memory_failcnt", "untyped")
        .containsEntry("container_last_seen", "gauge")
        .containsEntry("redis_up", "gauge")
        .containsEntry("redis_commands_total", "counter")
        .containsEntry("redis_instance_info", "gauge")
        .containsEntry("cluster_monitor_scrape_collector_success", "gauge")
        .containsEntry("redis_exporter_scrape_collector_success", "gauge")
        .containsEntry("app_scrape_collector_duration_seconds", "gauge");
    assertThat(registryText[0])
        .contains("redis_up 1")
        .contains("cluster_monitor_scrape_collector_success{collector=\"container\"} 1")
        .contains("redis_exporter_scrape_collector_success{collector=\"redis\"} 1")
        .doesNotContain("_total_total");
  }

  @Test
  void aThrowingAndAHangingCollectorGiveSuccessZeroWithHttp200() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpServer.getPort() + "/metrics"))
                .timeout(Duration.ofMinutes(1))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("app_scrape_collector_success{collector=\"broken\"} 0")
        .contains("app_scrape_collector_success{collector=\"hanging\"} 0")
        .contains("redis_exporter_scrape_collector_success{collector=\"redis\"} 1");
  }

  /** What the registry's text format must say for a family we serve with {@code type}. */
  private static String expectedInRegistry(String name, String type) {
    boolean total = name.endsWith("_total");
    return switch (type) {
      case "counter" -> total ? "counter" : "untyped";
      case "gauge" -> total && !suffixFreeModel() ? "counter" : "gauge";
      default -> type;
    };
  }

  /** Whether the model takes a gauge named {@code *_total} (prometheus-metrics 1.4 and later). */
  private static boolean suffixFreeModel() {
    try {
      io.prometheus.metrics.model.snapshots.GaugeSnapshot.builder().name("x_total").build();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Map<String, String> types(String text) {
    Map<String, String> out = new TreeMap<>();
    Matcher m = TYPE.matcher(text);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  private static String get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(uri.toString()).isEqualTo(200);
    return r.body();
  }

  private static boolean reachable(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 3000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private interface Body {
    List<MetricFamily> collect() throws Exception;
  }

  private static MetricsCollector named(String name, Body body) {
    return new MetricsCollector() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<MetricFamily> collect() throws Exception {
        return body.collect();
      }
    };
  }
}
