package com.example.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.core.DockerMonitor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The service of docs/embedding.md on a random port: {@code /actuator/prometheus} serves our host
 * and container families next to Spring's and Micrometer's own ({@code jvm_*}, {@code http_*}),
 * from the one prometheus-metrics registry Micrometer is built on, at the version Spring Boot
 * manages.
 */
// Spring Boot's tests turn metrics export off (no PrometheusMeterRegistry bean) unless asked:
// docs/embedding.md quotes the region below verbatim (verify.groovy checks it).
// [spring-test]
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
// [spring-test]
class ActuatorPrometheusTest {
  @LocalServerPort int port;

  @Autowired DockerMonitor docker;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private HttpResponse<String> scrape() throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void springBootManagesTheOldestSupportedPrometheusMetrics() {
    // Spring Boot 3.5.7 brings prometheus-metrics 1.3.10: the bottom of our supported range
    // (docs/embedding.md says so; this fails when the line changes under it)
    assertThat(
            PrometheusRegistry.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .endsWith("/prometheus-metrics-model-1.3.10.jar");
  }

  @Test
  void hostMetricsAreServedNextToSpringsOwnJvmMetrics() throws Exception {
    HttpResponse<String> r = scrape();

    assertThat(r.statusCode()).isEqualTo(200);
    String body = r.body();
    assertThat(body).containsPattern("(?m)^jvm_memory_used_bytes\\{");
    assertThat(body).containsPattern("(?m)^node_scrape_collector_success\\{collector=\"cpu\"} 1");
    assertThat(body).containsPattern("(?m)^node_load1 \\d");
    assertThat(body).containsPattern("(?m)^node_memory_MemTotal_bytes [1-9]");
    assertThat(body).contains("# TYPE node_cpu_seconds_total counter");
  }

  @Test
  void containerMetricsFromTheSharedMonitorAreServedToo() throws Exception {
    requireEngine();
    HttpResponse<String> r = scrape();

    assertThat(r.statusCode()).isEqualTo(200);
    String body = r.body();
    assertThat(body)
        .containsPattern(
            "(?m)^cluster_monitor_scrape_collector_success\\{collector=\"container\"} 1");
    assertThat(body).containsPattern("(?m)^machine_cpu_cores\\{[^}]*} [1-9]");
    assertThat(body).containsPattern("(?m)^jvm_threads_live_threads ");
  }

  /** Skips (or, under CM_REQUIRE_SERVICES, fails) when the engine of the snippet is not there. */
  private void requireEngine() {
    try {
      docker.systemInfo();
    } catch (RuntimeException e) {
      String why = "no Docker engine at " + docker.endpoint() + ": " + e.getMessage();
      String required = System.getenv("CM_REQUIRE_SERVICES");
      if ("true".equals(required) || "1".equals(required)) {
        throw new AssertionError(why, e);
      }
      Assumptions.abort(why);
    }
  }
}
