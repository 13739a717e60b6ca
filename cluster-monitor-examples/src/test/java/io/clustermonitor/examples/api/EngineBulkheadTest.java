package io.clustermonitor.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Engine-bound requests wait at most their deadline, in a bulkhead of their own. */
class EngineBulkheadTest {

  private static WebResponse get(RestApi api, String path) {
    return api.handler().handle(WebRequest.of("GET", path, Map.of()));
  }

  @Test
  void aStuckEngineCostsEngineBoundRequestsTheirDeadlineAndMakesHealthUnhealthy() throws Exception {
    FakeDockerMonitor docker =
        new FakeDockerMonitor().add(1, "web-1", ContainerState.RUNNING, Map.of(), "host");
    CountDownLatch frozen = new CountDownLatch(1);
    docker.blockEngineCalls = frozen;
    try (RestApi api =
        RestApi.builder(docker)
            .engineDeadline(Duration.ofMillis(300))
            .engineConcurrency(2)
            .build()) {
      long t0 = System.nanoTime();
      WebResponse timedOut = get(api, "/api/system/info");
      assertThat(timedOut.status()).isEqualTo(504);
      assertThat(timedOut.bodyText()).contains("engine_timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));

      // Two calls are stuck now (one from above, one more): the bulkhead is full.
      assertThat(get(api, "/api/containers/web-9").status()).isEqualTo(504);
      WebResponse busy = get(api, "/api/system/info");
      assertThat(busy.status()).isEqualTo(503);
      assertThat(busy.bodyText()).contains("engine_busy");

      // The in-memory endpoints do not wait, and /health says why it is unhealthy.
      assertThat(get(api, "/api/containers").status()).isEqualTo(200);
      WebResponse health = get(api, "/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.bodyText()).contains("unhealthy").contains("time out");

      frozen.countDown();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(get(api, "/api/system/info").status()).isEqualTo(200));
      assertThat(get(api, "/health").status()).isEqualTo(200);
    } finally {
      frozen.countDown();
    }
  }

  @Test
  void requestsBeyondTheBulkheadWaitForASlotWithinTheirDeadline() throws Exception {
    FakeDockerMonitor docker = new FakeDockerMonitor();
    CountDownLatch slow = new CountDownLatch(1);
    docker.blockEngineCalls = slow;
    try (RestApi api =
        RestApi.builder(docker)
            .engineDeadline(Duration.ofSeconds(20))
            .engineConcurrency(1)
            .build()) {
      List<CompletableFuture<WebResponse>> waiting = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        waiting.add(CompletableFuture.supplyAsync(() -> get(api, "/api/system/info")));
      }
      // One call reaches the engine; the other two wait for its slot.
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> docker.engineCalls.get() >= 1);
      assertThat(docker.engineCalls.get()).isEqualTo(1);
      slow.countDown();
      for (CompletableFuture<WebResponse> f : waiting) {
        assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
      assertThat(docker.engineCalls.get()).isEqualTo(3);
    } finally {
      slow.countDown();
    }
  }
}
