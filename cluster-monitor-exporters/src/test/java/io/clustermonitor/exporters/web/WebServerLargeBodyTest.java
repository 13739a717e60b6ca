package io.clustermonitor.exporters.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Large bodies (a 1 MB scrape at 100 containers) are written in slices: the JDK caches one
 * temporary direct buffer per writing thread of the size of its largest write, so whole-body writes
 * from a pool of threads filled the direct-memory limit and stalled scrapes for up to 650 ms.
 */
class WebServerLargeBodyTest {
  private static final int BODY = 1 << 20;
  private static final int REQUESTS = 40;

  private static long directBytes() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(b -> b.getName().equals("direct"))
        .mapToLong(BufferPoolMXBean::getMemoryUsed)
        .sum();
  }

  @Test
  void manyWritingThreadsDoNotEachKeepABodySizedDirectBuffer() throws Exception {
    byte[] body = new byte[BODY];
    new Random(42).nextBytes(body);
    try (WebServer s =
        WebServer.builder()
            .listen("127.0.0.1", 0)
            .handler(r -> WebResponse.of(200, "application/octet-stream", body))
            .start()) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      URI uri = URI.create("http://127.0.0.1:" + s.ports().get(0) + "/big");
      long before = directBytes();
      // Sequential requests: the server's pool starts a new thread for each until it is full,
      // so each request is written by a thread that has not written before.
      for (int i = 0; i < REQUESTS; i++) {
        HttpResponse<byte[]> answer =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Arrays.equals(answer.body(), body)).as("body %d intact", i).isTrue();
      }
      long grown = directBytes() - before;
      // Whole-body writes kept about REQUESTS x 1 MiB (40 MiB); slices keep one slice (16 KiB) per
      // thread.
      assertThat(grown)
          .as("direct memory kept after %d writes of %d bytes", REQUESTS, BODY)
          .isLessThan(12L << 20);
    }
  }
}
