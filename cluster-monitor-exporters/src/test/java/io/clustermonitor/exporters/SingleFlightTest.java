package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.exporters.web.WebHandler;
import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleFlightTest {

  /** Every thread of {@code threads} is parked (waiting), not running toward the call. */
  private static boolean allParked(List<Thread> threads, int expected) {
    return threads.size() == expected
        && threads.stream()
            .allMatch(
                t ->
                    t.getState() == Thread.State.WAITING
                        || t.getState() == Thread.State.TIMED_WAITING);
  }

  /** A pool of {@code size} threads that adds each thread it creates to {@code threads}. */
  private static ExecutorService recordingPool(int size, List<Thread> threads) {
    return Executors.newFixedThreadPool(
        size,
        r -> {
          Thread t = new Thread(r);
          synchronized (threads) {
            threads.add(t);
          }
          return t;
        });
  }

  @Test
  void callersThatArriveDuringARunShareItAndALaterCallRunsAgain() throws Exception {
    SingleFlight<String, Object> flight = new SingleFlight<>();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    ExecutorService pool = recordingPool(8, threads);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(
            pool.submit(
                () ->
                    flight.get(
                        "k",
                        () -> {
                          runs.incrementAndGet();
                          try {
                            release.await(60, TimeUnit.SECONDS);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return new Object();
                        })));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> allParked(threads, 8));
      release.countDown();
      Object first = results.get(0).get(30, TimeUnit.SECONDS);
      for (Future<Object> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isSameAs(first);
      }
      assertThat(runs).hasValue(1);
      assertThat(flight.inFlight()).isZero();

      assertThat(flight.get("k", Object::new)).isNotSameAs(first);
      assertThat(flight.get("other", () -> "x")).isEqualTo("x");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailureReachesTheCallerAndTheNextCallRunsAgain() {
    SingleFlight<String, String> flight = new SingleFlight<>();
    assertThatThrownBy(
            () ->
                flight.get(
                    "k",
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
    assertThat(flight.inFlight()).isZero();
    assertThat(flight.get("k", () -> "ok")).isEqualTo("ok");
  }

  @Test
  void concurrentScrapesOfMetricsCostOneCollectAndShareTheBody() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger collects = new AtomicInteger();
    MetricsCollector slow =
        new MetricsCollector() {
          @Override
          public String name() {
            return "slow";
          }

          @Override
          public List<MetricFamily> collect() {
            int n = collects.incrementAndGet();
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return List.of(
                MetricFamily.builder("t_collects", MetricType.GAUGE)
                    .help("Collects so far.")
                    .sample(n)
                    .build());
          }
        };
    List<Thread> threads = new ArrayList<>();
    ExecutorService pool = recordingPool(6, threads);
    Map<String, List<String>> plain = Map.of("Accept", List.of("text/plain"));
    try (ExporterServer.Endpoints e =
        ExporterServer.builder()
            .namespace("t")
            .register(slow)
            .collectorTimeout(Duration.ofSeconds(60))
            .buildEndpoints()) {
      List<Future<WebResponse>> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(pool.submit(() -> e.handle(WebRequest.of("GET", "/metrics", plain))));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> allParked(threads, 6));
      // a different encoding is a different body: it does not join the plain scrape
      Map<String, List<String>> gzip =
          Map.of("Accept", List.of("text/plain"), "Accept-Encoding", List.of("gzip"));
      Future<WebResponse> zipped =
          pool.submit(() -> e.handle(WebRequest.of("GET", "/metrics", gzip)));
      release.countDown();

      WebResponse first = answers.get(0).get(30, TimeUnit.SECONDS);
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.bodyText()).contains("t_collects 1");
      // one scrape, one body: every answer is sent from the same pooled buffer
      for (Future<WebResponse> f : answers) {
        assertThat(f.get(30, TimeUnit.SECONDS).body()).isEqualTo(first.body());
      }
      assertThat(zipped.get(30, TimeUnit.SECONDS).header("Content-Encoding")).isEqualTo("gzip");
      assertThat(collects).hasValue(2);

      // the next scrape is a fresh one
      assertThat(e.handle(WebRequest.of("GET", "/metrics", plain)).bodyText())
          .contains("t_collects 3");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aPooledBodyIsNotReusedUntilEveryAnswerHoldingItIsReleased() throws Exception {
    AtomicInteger collects = new AtomicInteger();
    MetricsCollector counting = counting(collects);
    Map<String, List<String>> plain = Map.of("Accept", List.of("text/plain"));
    try (ExporterServer.Endpoints e =
        ExporterServer.builder().namespace("t").register(counting).buildEndpoints()) {
      List<WebResponse> held = new ArrayList<>();
      // more answers held at once than the pool has buffers: none may overwrite another
      for (int i = 1; i <= 6; i++) {
        held.add(e.handle(WebRequest.of("GET", "/metrics", plain)));
      }
      for (int i = 1; i <= 6; i++) {
        assertThat(held.get(i - 1).bodyText()).contains("t_collects " + i + "\n");
        assertThat(held.get(i - 1).bodyLength()).isEqualTo(held.get(i - 1).body().length);
      }
      // released ones go back to the pool; the scrapes after them reuse their buffers
      for (int i = 0; i < 5; i++) {
        held.get(i).release();
        held.get(i).release(); // idempotent: a second release must not free it twice
      }
      WebResponse last = held.get(5);
      for (int i = 7; i <= 20; i++) {
        WebResponse r = e.handle(WebRequest.of("GET", "/metrics", plain));
        assertThat(r.bodyText()).contains("t_collects " + i + "\n");
        r.release();
        assertThat(last.bodyText()).contains("t_collects 6\n");
      }
    }
  }

  private static MetricsCollector counting(AtomicInteger collects) {
    return new MetricsCollector() {
      @Override
      public String name() {
        return "counting";
      }

      @Override
      public List<MetricFamily> collect() {
        return List.of(
            MetricFamily.builder("t_collects", MetricType.GAUGE)
                .help("Collects so far.")
                .sample(collects.incrementAndGet())
                .build());
      }
    };
  }

  @Test
  void oncePooledBodiesAreReleasedAtMostFourAreAliveAndTheNextScrapeWaitsForOne() throws Exception {
    AtomicInteger collects = new AtomicInteger();
    Map<String, List<String>> plain = Map.of("Accept", List.of("text/plain"));
    List<Thread> threads = new ArrayList<>();
    ExecutorService pool = recordingPool(1, threads);
    try (CollectorRunner runner =
        new CollectorRunner(List.of(counting(collects)), Duration.ofSeconds(10))) {
      Handlers.Writers writers = new Handlers.Writers(Duration.ofSeconds(60));
      WebHandler metrics = Handlers.metrics(new Scraper(runner, "t", null), false, writers);
      // a server that releases what it wrote
      metrics.handle(WebRequest.of("GET", "/metrics", plain)).release();
      assertThat(writers.live()).isZero();
      List<WebResponse> held = new ArrayList<>();
      for (int i = 0; i < Handlers.MAX_LIVE_BODIES; i++) {
        held.add(metrics.handle(WebRequest.of("GET", "/metrics", plain)));
      }
      assertThat(writers.live()).isEqualTo(Handlers.MAX_LIVE_BODIES);
      Future<WebResponse> next =
          pool.submit(() -> metrics.handle(WebRequest.of("GET", "/metrics", plain)));
      await().atMost(Duration.ofSeconds(30)).until(() -> allParked(threads, 1));
      assertThat(next).isNotDone();
      assertThat(collects).hasValue(1 + Handlers.MAX_LIVE_BODIES);

      held.get(0).release();
      WebResponse answer = next.get(30, TimeUnit.SECONDS);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.bodyText()).contains("t_collects " + (2 + Handlers.MAX_LIVE_BODIES) + "\n");
      answer.release();
      held.forEach(WebResponse::release);
      assertThat(writers.live()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aScrapeThatWaitedOutTheBoundIsA503WithRetryAfterAndCostsNothing() throws Exception {
    AtomicInteger collects = new AtomicInteger();
    Map<String, List<String>> plain = Map.of("Accept", List.of("text/plain"));
    try (CollectorRunner runner =
        new CollectorRunner(List.of(counting(collects)), Duration.ofSeconds(10))) {
      Handlers.Writers writers = new Handlers.Writers(Duration.ofMillis(200));
      WebHandler metrics = Handlers.metrics(new Scraper(runner, "t", null), false, writers);
      metrics.handle(WebRequest.of("GET", "/metrics", plain)).release();
      List<WebResponse> held = new ArrayList<>();
      for (int i = 0; i < Handlers.MAX_LIVE_BODIES; i++) {
        held.add(metrics.handle(WebRequest.of("GET", "/metrics", plain)));
      }
      WebResponse busy = metrics.handle(WebRequest.of("GET", "/metrics", plain));
      assertThat(busy.status()).isEqualTo(503);
      assertThat(busy.header("Retry-After")).isEqualTo("1");
      assertThat(busy.bodyText()).doesNotContain("Exception");
      assertThat(collects).hasValue(1 + Handlers.MAX_LIVE_BODIES);
      assertThat(writers.live()).isEqualTo(Handlers.MAX_LIVE_BODIES);
      held.forEach(WebResponse::release);
      WebResponse after = metrics.handle(WebRequest.of("GET", "/metrics", plain));
      assertThat(after.status()).isEqualTo(200);
      after.release();
      assertThat(writers.live()).isZero();
    }
  }
}
