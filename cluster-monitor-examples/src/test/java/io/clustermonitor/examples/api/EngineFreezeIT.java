package io.clustermonitor.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.livetest.SecondDockerd;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.container.ContainerCollector;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A frozen engine (a second dockerd stopped with SIGSTOP: its sockets stay open, nothing answers)
 * must not freeze the server: in-memory endpoints keep answering fast while engine-bound requests
 * wait in their bulkhead and end with 503/504 by their deadline; {@code /health} says why.
 */
class EngineFreezeIT {
  private static final Duration DEADLINE = Duration.ofSeconds(3);

  record Answer(int status, String body, long millis) {}

  private static Answer get(int port, String path) throws IOException {
    long t0 = System.nanoTime();
    HttpURLConnection c =
        (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(60_000);
    try {
      int code = c.getResponseCode();
      String body = "";
      try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (in != null) {
          body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return new Answer(code, body, (System.nanoTime() - t0) / 1_000_000);
    } finally {
      c.disconnect();
    }
  }

  private static void signal(long pid, String sig) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  /** The median of several samples, so one hiccup of a loaded machine does not decide. */
  private static long medianMillis(int port, String path, int samples) throws IOException {
    long[] ms = new long[samples];
    for (int i = 0; i < samples; i++) {
      Answer a = get(port, path);
      assertThat(a.status()).as(path + " -> " + a.body()).isEqualTo(200);
      ms[i] = a.millis();
    }
    Arrays.sort(ms);
    return ms[samples / 2];
  }

  @Test
  void aFrozenEngineCostsOnlyTheEngineBoundRequestsAndTurnsHealthUnhealthy() throws Exception {
    try (SecondDockerd dockerd = new SecondDockerd()) {
      dockerd.start();
      long pid = dockerd.pid();
      DockerEndpoint endpoint = DockerEndpoint.builder(dockerd.host()).build();
      ExecutorService pool = Executors.newFixedThreadPool(50);
      boolean stopped = false;
      try (DockerMonitor monitor = DockerMonitor.connect(endpoint);
          RestApi rest =
              RestApi.builder(monitor).engineDeadline(DEADLINE).engineConcurrency(16).build()) {
        ExporterServer.Builder b =
            ExporterServer.builder()
                .errorBodies(RestApi.errorBodies())
                .register(ContainerCollector.builder(monitor).build());
        rest.contexts().forEach(b::handler);
        try (ExporterServer serve = b.start()) {
          int port = serve.port();
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> get(port, "/health").status() == 200);
          assertThat(get(port, "/api/system/info").status()).isEqualTo(200);
          assertThat(get(port, "/metrics").status()).isEqualTo(200);

          signal(pid, "STOP");
          stopped = true;
          List<Future<Answer>> waiting = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            String path = i % 2 == 0 ? "/api/system/info" : "/api/containers/abc" + i + "def";
            waiting.add(pool.submit(() -> get(port, path)));
          }
          // While they wait: the in-memory endpoints answer in milliseconds.
          for (String path : List.of("/health", "/metrics", "/api/containers")) {
            assertThat(medianMillis(port, path, 5)).as(path + " median ms").isLessThan(100);
          }
          for (Future<Answer> f : waiting) {
            Answer a = f.get(60, TimeUnit.SECONDS);
            assertThat(a.status()).as(a.body()).isIn(503, 504);
            assertThat(a.millis())
                .as("an engine-bound request ends by its deadline")
                .isLessThan(DEADLINE.toMillis() + 5_000);
            assertThat(a.body()).doesNotContain("Exception", "java.");
          }
          Answer health = get(port, "/health");
          assertThat(health.status()).isEqualTo(503);
          assertThat(health.body()).contains("\"status\":\"unhealthy\"").contains("time out");

          signal(pid, "CONT");
          stopped = false;
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .untilAsserted(
                  () -> {
                    assertThat(get(port, "/api/system/info").status()).isEqualTo(200);
                    Answer h = get(port, "/health");
                    assertThat(h.status()).as(h.body()).isEqualTo(200);
                    assertThat(h.body()).contains("\"status\":\"healthy\"");
                  });
          assertThat(get(port, "/api/containers").status()).isEqualTo(200);
          assertThat(get(port, "/metrics").status()).isEqualTo(200);
        }
      } finally {
        if (stopped) {
          signal(pid, "CONT");
        }
        pool.shutdownNow();
      }
    }
  }
}
