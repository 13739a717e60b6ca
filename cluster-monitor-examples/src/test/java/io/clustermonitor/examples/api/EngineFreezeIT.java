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

  /** Each in-memory request, however loaded the machine: far from the engine's deadline. */
  private static final Duration IN_MEMORY_BOUND = Duration.ofSeconds(2);

  /**
   * Asks the in-memory endpoints in turn while any engine-bound request still waits (at most 300
   * requests and 60 s): every answer comes within {@link #IN_MEMORY_BOUND}, 200 (or 503 from {@code
   * /health} once it noticed the stuck engine).
   *
   * @return how many requests of each path were answered while engine-bound ones waited
   */
  private static int[] inMemoryWhileWaiting(
      int port, List<String> paths, List<Future<Answer>> waiting) throws IOException {
    int[] answered = new int[paths.size()];
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int i = 0; i < 300 && System.nanoTime() < end; i++) {
      if (waiting.stream().allMatch(Future::isDone)) {
        break;
      }
      int k = i % paths.size();
      Answer a = get(port, paths.get(k));
      if (paths.get(k).equals("/health")) {
        // healthy until the first engine call misses its deadline, then 503 "unhealthy"
        assertThat(a.status()).as(paths.get(k) + " -> " + a.body()).isIn(200, 503);
      } else {
        assertThat(a.status()).as(paths.get(k) + " -> " + a.body()).isEqualTo(200);
      }
      assertThat(a.millis())
          .as(paths.get(k) + " ms while the engine is frozen")
          .isLessThan(IN_MEMORY_BOUND.toMillis());
      if (waiting.stream().anyMatch(f -> !f.isDone())) {
        answered[k]++;
      }
    }
    return answered;
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
          // While they wait: every in-memory request answers, each well within a bound that a
          // frozen engine (or a full engine bulkhead) would break.
          List<String> inMemory = List.of("/health", "/metrics", "/api/containers");
          int[] answered = inMemoryWhileWaiting(port, inMemory, waiting);
          for (int k = 0; k < inMemory.size(); k++) {
            assertThat(answered[k])
                .as(inMemory.get(k) + " answered while engine-bound requests waited")
                .isPositive();
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

  /**
   * The first sync waits for a frozen engine: {@code /health} still answers at once, 503
   * "starting", while the warm-up's first snapshot waits; healthy once the engine answers.
   */
  @Test
  void healthAnswersStartingAtOnceWhileTheFirstSyncWaits() throws Exception {
    try (SecondDockerd dockerd = new SecondDockerd()) {
      dockerd.start();
      long pid = dockerd.pid();
      signal(pid, "STOP");
      boolean stopped = true;
      ExecutorService warmup = Executors.newSingleThreadExecutor();
      DockerEndpoint endpoint =
          DockerEndpoint.builder(dockerd.host()).readTimeout(Duration.ofSeconds(5)).build();
      try (DockerMonitor monitor =
              DockerMonitor.builder(endpoint).firstSyncTimeout(Duration.ofSeconds(60)).build();
          RestApi rest = RestApi.builder(monitor).build()) {
        ExporterServer.Builder b = ExporterServer.builder().errorBodies(RestApi.errorBodies());
        rest.contexts().forEach(b::handler);
        try (ExporterServer serve = b.start()) {
          int port = serve.port();
          Future<?> first = warmup.submit(monitor::snapshot); // waits for the first sync
          for (int i = 0; i < 5; i++) {
            Answer h = get(port, "/health");
            assertThat(h.millis()).as("/health while the first sync waits, ms").isLessThan(2_000);
            assertThat(h.status()).as(h.body()).isEqualTo(503);
            assertThat(h.body()).contains("\"status\":\"unhealthy\"", "starting: first sync");
          }
          assertThat(first).as("the first snapshot still waits for the frozen engine").isNotDone();
          signal(pid, "CONT");
          stopped = false;
          first.get(90, TimeUnit.SECONDS);
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .untilAsserted(
                  () -> {
                    Answer h = get(port, "/health");
                    assertThat(h.status()).as(h.body()).isEqualTo(200);
                    assertThat(h.body()).contains("\"status\":\"healthy\"");
                  });
        }
      } finally {
        if (stopped) {
          signal(pid, "CONT");
        }
        warmup.shutdownNow();
      }
    }
  }
}
