package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clustermonitor.core.health.HealthChecks;
import io.clustermonitor.core.health.HealthReport;
import io.clustermonitor.core.health.HealthSuite;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service's monitoring, end to end against the real engine and Redis. */
class EmbeddingTest {
  private static final String NAME = "shop-embed-" + UUID.randomUUID().toString().substring(0, 8);
  private static final CountDownLatch NEVER = new CountDownLatch(1);
  private static String containerId;
  private static Monitoring monitoring;

  /** A custom collector that always fails. */
  static final class Boom implements MetricsCollector {
    @Override
    public String name() {
      return "boom";
    }

    @Override
    public List<MetricFamily> collect() {
      throw new IllegalStateException("boom");
    }
  }

  /** A custom collector that never answers within the timeout. */
  static final class Slow implements MetricsCollector {
    @Override
    public String name() {
      return "slow";
    }

    @Override
    public List<MetricFamily> collect() throws InterruptedException {
      NEVER.await();
      return List.of();
    }
  }

  /** A custom collector that works. */
  static final class Orders implements MetricsCollector {
    @Override
    public String name() {
      return "orders";
    }

    @Override
    public List<MetricFamily> collect() {
      return List.of(
          MetricFamily.builder("shop_open_carts", MetricType.GAUGE)
              .help("Open carts.")
              .sample(3)
              .build());
    }
  }

  @BeforeAll
  static void start() {
    TestServices.requireEngine();
    containerId = TestServices.startHealthyContainer(NAME);
    monitoring =
        Monitoring.start(
            TestServices.DOCKER_HOST,
            Path.of("target", "no-cgroup-here").toAbsolutePath(),
            TestServices.REDIS,
            List.of(new Boom(), new Slow(), new Orders()));
  }

  @AfterAll
  static void stop() {
    NEVER.countDown();
    if (monitoring != null) {
      monitoring.close();
    }
    if (containerId != null) {
      TestServices.remove(containerId);
    }
  }

  @Test
  void runsWithTheVersionsThisBuildAskedFor() {
    assertEquals(
        System.getProperty("expected.prometheus.version"),
        Versions.of("io.prometheus", "prometheus-metrics-model"));
    assertEquals(
        System.getProperty("expected.slf4j.version"), Versions.of("org.slf4j", "slf4j-api"));
  }

  @Test
  void containerAndRedisMetricsAndFailingCollectorsAnswer200() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    String body = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = get(monitoring.metricsUrl());
      assertEquals(200, r.statusCode(), r.body());
      body = r.body();
      if (body.contains("name=\"" + NAME + "\"")
          && body.contains("container_memory_usage_bytes{")) {
        break;
      }
      Thread.sleep(500);
    }
    assertTrue(
        Pattern.compile("container_memory_usage_bytes\\{[^}]*name=\"" + NAME + "\"")
            .matcher(body)
            .find(),
        "our container's memory series in:\n" + body);
    assertEquals(1.0, value(body, "redis_up"), body);
    assertEquals(0.0, value(body, "shop_scrape_collector_success{collector=\"boom\"}"), body);
    assertEquals(0.0, value(body, "shop_scrape_collector_success{collector=\"slow\"}"), body);
    assertEquals(1.0, value(body, "shop_scrape_collector_success{collector=\"orders\"}"), body);
    assertEquals(
        1.0,
        value(body, "cluster_monitor_scrape_collector_success{collector=\"container\"}"),
        body);
    assertEquals(
        1.0, value(body, "redis_exporter_scrape_collector_success{collector=\"redis\"}"), body);
    assertEquals(3.0, value(body, "shop_open_carts"), body);
  }

  @Test
  void healthChecksShareTheMonitor() {
    HealthReport report =
        HealthSuite.of("shop", HealthChecks.containerHealthy(monitoring.docker(), NAME))
            .waitUntilHealthy(Duration.ofMinutes(2));
    assertTrue(report.healthy(), report.toTable());
  }

  @Test
  void theMonitorUsesTheEngineApiAsConfigured() {
    assertEquals("engine-api", monitoring.docker().snapshot().statsSource());
  }

  @Test
  void theServiceKeepsItsOwnMetrics() throws Exception {
    monitoring.orderPlaced();
    HttpResponse<String> r = get(monitoring.metricsUrl());
    assertEquals(200, r.statusCode());
    assertTrue(value(r.body(), "shop_orders_total") >= 1.0, r.body());
  }

  @Test
  void ourLibraryLogsThroughTheServicesSlf4j() throws Exception {
    monitoring.docker().snapshot();
    Path log = Path.of("target", "service.log");
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    String text = "";
    while (Instant.now().isBefore(deadline)) {
      text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      if (text.contains("io.clustermonitor.core.stats.StatsEngine")) {
        break;
      }
      Thread.sleep(200);
    }
    assertTrue(
        text.contains("io.clustermonitor.core.stats.StatsEngine")
            && text.contains("stats source engine-api"),
        "the stats engine's start line in target/service.log:\n" + text);
  }

  static HttpResponse<String> get(String url) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the first sample whose name and labels start with {@code series}. */
  static double value(String body, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*\\})? ([^ \\n]+)")
            .matcher(body);
    if (!m.find()) {
      throw new AssertionError("no sample " + series + " in:\n" + body);
    }
    return Double.parseDouble(m.group(1));
  }
}
