package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The prometheus-metrics the tests run against, and the server's formats written by it. Under
 * {@code -Pprometheus-oldest} every prometheus-metrics jar must be the oldest supported version
 * (the profile sets {@code cm.prometheus.expected}), otherwise the swap silently tested the newest
 * again; the OpenMetrics and protobuf answers are checked without the version-specific generated
 * protobuf classes, so this runs on both ends of the range.
 */
class PrometheusOldestTest {
  private static final MetricFamily COMMITS =
      MetricFamily.builder("pg_stat_database_xact_commit", MetricType.COUNTER)
          .help("commits")
          .sample(7, "datname", "postgres")
          .build();
  private static final MetricFamily REQUESTS =
      MetricFamily.builder("app_requests_total", MetricType.COUNTER).help("reqs").sample(3).build();

  @Test
  void everyPrometheusMetricsJarIsTheExpectedVersion() {
    String expected = System.getProperty("cm.prometheus.expected", "1.10.0");
    for (Class<?> c :
        new Class<?>[] {
          PrometheusRegistry.class, OpenMetricsTextFormatWriter.class, HTTPServer.class
        }) {
      String location = c.getProtectionDomain().getCodeSource().getLocation().toString();
      assertThat(location).as(c.getName()).contains("-" + expected + ".jar");
    }
  }

  @Test
  void exporterServerWritesOpenMetricsAndProtobufWithThisVersion() throws Exception {
    try (ExporterServer server =
        ExporterServer.builder().register(TestCollectors.fixed("db", COMMITS, REQUESTS)).start()) {
      HttpResponse<byte[]> om = get(server, "application/openmetrics-text; version=1.0.0");
      assertThat(om.statusCode()).isEqualTo(200);
      assertThat(om.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/openmetrics-text");
      assertThat(new String(om.body(), StandardCharsets.UTF_8))
          .contains("# TYPE app_requests counter\n")
          .contains("app_requests_total 3")
          .contains("pg_stat_database_xact_commit{datname=\"postgres\"} 7")
          .endsWith("# EOF\n");

      HttpResponse<byte[]> pb =
          get(
              server,
              "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                  + "encoding=delimited");
      assertThat(pb.statusCode()).isEqualTo(200);
      assertThat(pb.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/vnd.google.protobuf");
      String raw = new String(pb.body(), StandardCharsets.ISO_8859_1);
      assertThat(raw).contains("pg_stat_database_xact_commit", "app_requests_total", "datname");
    }
  }

  private static HttpResponse<byte[]> get(ExporterServer server, String accept) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.uri() + "metrics"))
                .header("Accept", accept)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }
}
