package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.TargetScraper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --web.max-requests} as node_exporter enforces it through promhttp's {@code
 * MaxRequestsInFlight}: N scrapes held open by a slow collector, the next one gets 503 with Go's
 * body; 0 disables the limit; the default is 40.
 *
 * <p>The held scrapes go to a target path ({@code /m}, served like a {@code /probe} target), where
 * every request runs the collector itself (on {@code /metrics} and the telemetry path concurrent
 * scrapes share one running call), so the test knows exactly how many requests are inside the
 * handler. Targets and metrics paths share the one limit.
 */
class MaxRequestsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Map<String, String> ENV =
      Map.of("CM_COLLECTOR_TIMEOUT", "120s", "CM_WEB_REQUEST_TIMEOUT", "120s");

  /** Blocks every collect() until released, counting the calls that entered. */
  static final class Slow implements MetricsCollector {
    final AtomicInteger entered = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String name() {
      return "slow";
    }

    @Override
    public List<MetricFamily> collect() throws InterruptedException {
      entered.incrementAndGet();
      if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released");
      }
      return List.of();
    }
  }

  /** A node-exporter command line served with the {@link Slow} collector. */
  static final class Served implements AutoCloseable {
    final Slow slow = new Slow();
    final NodeExporterCommand cmd = new NodeExporterCommand();
    final Running running = new Running();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    volatile ExporterServer server;
    final Thread thread;

    Served(String... args) {
      CommandLine line = new CommandLine(cmd);
      line.setOut(new PrintWriter(new StringWriter()));
      line.parseArgs(args);
      thread =
          new Thread(
              () -> {
                try {
                  ExporterCommands.serving(cmd.spec, "node-exporter", "node", cmd.listen)
                      .web(cmd.web, cmd.unmatched)
                      .env(ENV)
                      .collectors(List.of(slow))
                      .targets(Map.of("/m", query -> TargetScraper.Scrape.of(List.of(slow))))
                      .until(running, s -> server = s)
                      .serve();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "max-requests-it");
      thread.start();
      await().atMost(WAIT).until(() -> server != null);
    }

    HttpRequest get(String path) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
          .timeout(Duration.ofSeconds(90))
          .build();
    }

    HttpResponse<String> send(String path) throws Exception {
      return http.send(get(path), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts {@code n} scrapes of {@code path} and waits until all are inside the collector. */
    List<CompletableFuture<HttpResponse<String>>> hold(String path, int n) {
      List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        held.add(http.sendAsync(get(path), HttpResponse.BodyHandlers.ofString()));
      }
      await().atMost(WAIT).until(() -> slow.entered.get() >= n);
      return held;
    }

    @Override
    public void close() {
      slow.release.countDown();
      running.stop();
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void assertGoRefusal(HttpResponse<String> r, int limit) {
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body())
        .isEqualTo("Limit of concurrent requests reached (" + limit + "), try again later.\n");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
  }

  @Test
  void theScrapePastTheLimitGetsGosAnswerAndTheHeldOnesSucceed() throws Exception {
    try (Served s =
        new Served("--listen", "127.0.0.1:0", "--web.telemetry-path=/t", "--web.max-requests=3")) {
      List<CompletableFuture<HttpResponse<String>>> held = s.hold("/m", 3);

      assertGoRefusal(s.send("/m"), 3);
      assertGoRefusal(s.send("/metrics"), 3); // one limit for every metrics path and target
      assertGoRefusal(s.send("/t"), 3);
      assertThat(s.send("/health").statusCode()).isEqualTo(200); // only scrapes are limited
      assertThat(s.slow.entered.get()).isEqualTo(3);

      s.slow.release.countDown();
      for (CompletableFuture<HttpResponse<String>> f : held) {
        assertThat(f.get(90, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      assertThat(s.send("/m").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void nodeExporterDefaultIsForty() throws Exception {
    try (Served s = new Served("--listen", "127.0.0.1:0")) {
      List<CompletableFuture<HttpResponse<String>>> held = s.hold("/m", 40);

      assertGoRefusal(s.send("/m"), 40);

      s.slow.release.countDown();
      for (CompletableFuture<HttpResponse<String>> f : held) {
        assertThat(f.get(90, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void zeroDisablesTheLimit() throws Exception {
    try (Served s = new Served("--listen", "127.0.0.1:0", "--web.max-requests=0")) {
      // past node_exporter's default of 40: all of them get into the collector
      List<CompletableFuture<HttpResponse<String>>> held = s.hold("/m", 45);

      s.slow.release.countDown();
      for (CompletableFuture<HttpResponse<String>> f : held) {
        assertThat(f.get(90, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
    }
  }
}
