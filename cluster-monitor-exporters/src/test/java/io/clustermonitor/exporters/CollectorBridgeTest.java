package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bridge into a user's own prometheus-metrics registry, served by client_java's server. */
class CollectorBridgeTest {

  static final MetricFamily COUNTER_TOTAL =
      MetricFamily.builder("container_cpu_usage_seconds_total", MetricType.COUNTER)
          .help("Cumulative cpu time consumed in seconds.")
          .sample(12.5, "cpu", "total", "name", "web")
          .build();
  static final MetricFamily COUNTER_BARE =
      MetricFamily.builder("pg_stat_database_xact_commit", MetricType.COUNTER)
          .help("Number of transactions in this database that have been committed")
          .sample(1234, "datname", "postgres")
          .build();
  static final MetricFamily GAUGE_TOTAL =
      MetricFamily.builder("container_fs_inodes_total", MetricType.GAUGE)
          .help("Number of available Inodes")
          .sample(4096, "device", "/dev/sda1")
          .build();
  static final MetricFamily GAUGE_INFO =
      MetricFamily.builder("node_uname_info", MetricType.GAUGE)
          .help("Labeled system information as provided by the uname system call.")
          .sample(1, "sysname", "Linux", "release", "6.1.0")
          .build();
  static final MetricFamily GAUGE =
      MetricFamily.builder("node_load1", MetricType.GAUGE)
          .help("1m load average.")
          .sample(0.5)
          .build();

  @Test
  void servesExactNamesAndIsolatesFailuresOverHttp() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    TestCollectors.Sleeping slow = new TestCollectors.Sleeping("slow");
    try (CollectorBridge bridge =
            CollectorBridge.builder()
                .namespace("myapp")
                .timeout(Duration.ofMillis(500))
                .collector(
                    TestCollectors.fixed(
                        "fixed", COUNTER_TOTAL, COUNTER_BARE, GAUGE_TOTAL, GAUGE_INFO, GAUGE))
                .collector(TestCollectors.throwing("broken"))
                .collector(slow)
                .register(registry);
        HTTPServer server =
            HTTPServer.builder().hostname("127.0.0.1").port(0).registry(registry).buildAndStart()) {
      HttpResponse<String> r = get(server.getPort());
      slow.release.countDown();
      assertThat(r.statusCode()).isEqualTo(200);
      String text = r.body();
      assertThat(text)
          .contains("# TYPE container_cpu_usage_seconds_total counter\n")
          .contains("container_cpu_usage_seconds_total{cpu=\"total\",name=\"web\"} 12.5\n")
          .contains("# TYPE pg_stat_database_xact_commit untyped\n")
          .contains("pg_stat_database_xact_commit{datname=\"postgres\"} 1234")
          .contains(
              "# TYPE container_fs_inodes_total "
                  + (RegistrySnapshots.ANY_SUFFIX ? "gauge" : "counter")
                  + "\n")
          .contains("container_fs_inodes_total{device=\"/dev/sda1\"} 4096")
          .contains("# TYPE node_uname_info gauge\n")
          .contains("node_uname_info{release=\"6.1.0\",sysname=\"Linux\"} 1")
          .contains("# TYPE node_load1 gauge\n")
          .contains("# TYPE myapp_scrape_collector_success gauge\n")
          .contains("myapp_scrape_collector_success{collector=\"fixed\"} 1")
          .contains("myapp_scrape_collector_success{collector=\"broken\"} 0")
          .contains("myapp_scrape_collector_success{collector=\"slow\"} 0")
          .contains("# TYPE myapp_scrape_collector_duration_seconds gauge\n")
          .doesNotContain("container_cpu_usage_seconds_total_total")
          .doesNotContain("pg_stat_database_xact_commit_total")
          .doesNotContain("slow_late");
      assertThat(bridge.collectorNames()).containsExactly("fixed", "broken", "slow");
    }
  }

  @Test
  void aFamilyTheModelRejectsCostsOnlyThatFamily() {
    MetricFamily duplicateLabels =
        new MetricFamily(
            "dup_gauge",
            "",
            MetricType.GAUGE,
            List.of(
                new MetricFamily.Sample(java.util.Map.of("a", "1"), 1),
                new MetricFamily.Sample(java.util.Map.of("a", "1"), 2)));
    try (CollectorBridge bridge =
        CollectorBridge.builder()
            .collector(TestCollectors.fixed("x", duplicateLabels, GAUGE))
            .build()) {
      assertThat(bridge.collect().stream().map(s -> s.getMetadata().getPrometheusName()))
          .contains("node_load1", "cluster_monitor_scrape_collector_success")
          .doesNotContain("dup_gauge");
    }
  }

  @Test
  void theRegistryRefusesASecondBridgeWithTheSameNamespace() {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (CollectorBridge first =
        CollectorBridge.builder().collector(TestCollectors.fixed("a", GAUGE)).register(registry)) {
      assertThat(first.collectorNames()).containsExactly("a");
      assertThatThrownBy(
              () ->
                  CollectorBridge.builder()
                      .collector(TestCollectors.fixed("b", GAUGE_INFO))
                      .register(registry))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("namespace 'cluster_monitor'");
      try (CollectorBridge other =
          CollectorBridge.builder()
              .namespace("other")
              .collector(TestCollectors.fixed("b", GAUGE_INFO))
              .register(registry)) {
        assertThat(other.namespace()).isEqualTo("other");
        assertThat(names(registry)).contains("node_load1", "other_scrape_collector_success");
      }
    }
    // closing unregistered both, and freed the namespace
    assertThat(names(registry)).isEmpty();
    try (CollectorBridge again =
        CollectorBridge.builder().collector(TestCollectors.fixed("c", GAUGE)).register(registry)) {
      assertThat(again.collectorNames()).containsExactly("c");
      assertThat(names(registry)).contains("node_load1");
    }
  }

  private static List<String> names(PrometheusRegistry registry) {
    return registry.scrape().stream().map(s -> s.getMetadata().getPrometheusName()).toList();
  }

  @Test
  void badInputGivesAClearError() {
    CollectorBridge.Builder b = CollectorBridge.builder();
    assertThatThrownBy(() -> b.collector(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("collector");
    assertThatThrownBy(() -> b.timeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> b.timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> b.timeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> b.namespace("9bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace must match");
    assertThatThrownBy(() -> b.namespace(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.register(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("registry");
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one collector");
    b.collector(TestCollectors.fixed("same", GAUGE));
    assertThatThrownBy(() -> b.collector(TestCollectors.fixed("same", GAUGE_INFO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'same' is already in this bridge");
    assertThatThrownBy(() -> b.collector(TestCollectors.fixed("bad name", GAUGE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid name 'bad name'");
    assertThatThrownBy(() -> b.closeOnClose(null)).isInstanceOf(NullPointerException.class);
  }

  private static HttpResponse<String> get(int port) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
