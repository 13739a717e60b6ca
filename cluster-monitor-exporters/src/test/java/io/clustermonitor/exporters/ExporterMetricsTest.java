package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.selfmetrics.ExporterBuildInfo;
import io.clustermonitor.exporters.selfmetrics.ProcessCollector;
import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ExporterServer.Builder#exporterMetrics}: self-metrics outside the collector machinery. */
class ExporterMetricsTest {
  private static final MetricFamily LOAD =
      MetricFamily.builder("node_load1", MetricType.GAUGE).help("load").sample(0.5).build();
  private static final MetricFamily MEM =
      MetricFamily.builder("node_memory_MemTotal_bytes", MetricType.GAUGE).sample(1).build();

  @Test
  void servedWithoutSuccessSeriesAndKeptUnderCollectFilters() {
    try (ExporterServer.Endpoints e =
        ExporterServer.builder()
            .namespace("node")
            .register(TestCollectors.fixed("loadavg", LOAD), TestCollectors.fixed("meminfo", MEM))
            .exporterMetrics(new ProcessCollector(), ExporterBuildInfo.node())
            .metricsPath("/node-metrics")
            .target(
                "/probe", q -> TargetScraper.Scrape.of(List.of(TestCollectors.fixed("t", LOAD))))
            .buildEndpoints()) {
      String all = body(e, "/metrics", "");
      assertThat(all)
          .contains("process_resident_memory_bytes ", "node_exporter_build_info{", "node_load1 ")
          .contains("node_scrape_collector_success{collector=\"loadavg\"} 1")
          .doesNotContain("collector=\"process\"")
          .doesNotContain("collector=\"node_exporter_build_info\"");
      assertThat(e.collectorNames()).containsExactly("loadavg", "meminfo");

      String filtered = body(e, "/metrics", "collect%5B%5D=meminfo");
      assertThat(filtered)
          .contains("node_memory_MemTotal_bytes ", "process_resident_memory_bytes ")
          .contains("node_exporter_build_info{")
          .doesNotContain("node_load1 ");

      assertThat(body(e, "/node-metrics", "")).contains("process_resident_memory_bytes ");
      assertThat(body(e, "/probe", "target=x"))
          .contains("node_load1 ")
          .doesNotContain("process_resident_memory_bytes");
    }
  }

  @Test
  void aThrowingExporterMetricIsSkippedAndTheScrapeAnswers() {
    try (ExporterServer.Endpoints e =
        ExporterServer.builder()
            .register(TestCollectors.fixed("loadavg", LOAD))
            .exporterMetrics(TestCollectors.throwing("self"))
            .buildEndpoints()) {
      assertThat(body(e, "/metrics", ""))
          .contains("node_load1 ")
          .doesNotContain("collector=\"self\"");
    }
  }

  @Test
  void badInputGivesAClearError() {
    ExporterServer.Builder b = ExporterServer.builder();
    assertThatThrownBy(() -> b.exporterMetrics((MetricsCollector[]) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.exporterMetrics(new MetricsCollector[] {null}))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("exporter metrics");
    b.exporterMetrics(new ProcessCollector());
    assertThatThrownBy(() -> b.exporterMetrics(new ProcessCollector()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'process' are already added");
    assertThatThrownBy(() -> b.metricsPath("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must start with '/'");
    assertThatThrownBy(() -> b.metricsPath("/health"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already taken");
  }

  private static String body(ExporterServer.Endpoints e, String path, String query) {
    WebResponse r = e.handle(request(path, query));
    assertThat(r.status()).as(path + "?" + query).isEqualTo(200);
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static WebRequest request(String path, String query) {
    return WebRequest.of("GET", query.isEmpty() ? path : path + "?" + query, Map.of());
  }
}
