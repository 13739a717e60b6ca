package io.clustermonitor.exporters.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueDepthCollectorTest {

  @Test
  void collectorRendersTheDocumentedExposition() {
    QueueDepthCollector collector = new QueueDepthCollector(() -> Map.of("orders", 3), () -> 42L);

    CollectorTestKit.assertValid(collector);
    CollectorTestKit.assertGolden(
        """
        # HELP myapp_queue_depth Messages waiting in the queue.
        # TYPE myapp_queue_depth gauge
        myapp_queue_depth{queue="orders"} 3
        # HELP myapp_messages_processed_total Messages processed since start.
        # TYPE myapp_messages_processed_total counter
        myapp_messages_processed_total 42
        """,
        collector);
  }

  @Test
  void collectorIsServedOverHttp() throws Exception {
    QueueDepthCollector collector = new QueueDepthCollector(() -> Map.of("orders", 3), () -> 42L);
    try (ExporterServer server =
        ExporterServer.builder().namespace("myapp").register(collector).start()) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("myapp_queue_depth{queue=\"orders\"} 3")
          .contains("myapp_scrape_collector_success{collector=\"queues\"} 1");
    }
  }

  @Test
  void sdkGuideShowsThisCollectorVerbatim() throws Exception {
    Path source =
        Path.of("src/test/java/io/clustermonitor/exporters/example/QueueDepthCollector.java");
    Path guide = Path.of("../docs/sdk.md");
    assertThat(Files.readString(guide)).contains(Files.readString(source));
  }
}
