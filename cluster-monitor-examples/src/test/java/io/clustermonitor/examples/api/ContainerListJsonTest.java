package io.clustermonitor.examples.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.core.events.ContainerEvent;
import io.clustermonitor.core.events.ContainerRegistry;
import io.clustermonitor.core.events.EngineClient;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.HealthStatus;
import io.clustermonitor.core.model.ResourceLimits;
import io.clustermonitor.core.model.StatsSample;
import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The streamed container list and its cache: the same bytes as the map-and-mapper serialization,
 * and every request answered from the latest snapshot.
 */
class ContainerListJsonTest {
  private final List<RestApi> apis = new ArrayList<>();

  @AfterEach
  void tearDown() {
    apis.forEach(RestApi::close);
  }

  private RestApi api(FakeDockerMonitor docker) {
    RestApi api =
        RestApi.builder(docker)
            .procRoot(null)
            .clock(Clock.fixed(FakeDockerMonitor.T0, ZoneOffset.UTC))
            .build();
    apis.add(api);
    return api;
  }

  private static ContainerSummary summary(
      String id, String name, String image, Map<String, String> labels, ResourceLimits limits) {
    return new ContainerSummary(
        id,
        name,
        image,
        ContainerState.RUNNING,
        HealthStatus.UNHEALTHY,
        Instant.parse("2026-03-04T05:06:07.123456789Z"),
        null,
        Instant.EPOCH,
        -1,
        true,
        Integer.MAX_VALUE,
        labels,
        limits,
        null);
  }

  @Test
  void streamedListHasExactlyTheBytesOfTheMapSerialization() {
    Map<String, String> odd = new LinkedHashMap<>();
    odd.put("z", "last");
    odd.put("a", "quote \" backslash \\ tab \t newline \n nul \u0000 del \u007f");
    odd.put("ünïcode", "日本語 😀 \u2028");
    odd.put("com.docker.compose.project", "proj");
    odd.put("com.docker.compose.service", "svc");
    odd.put("A", "");
    List<ContainerSummary> cs =
        List.of(
            summary(
                "a".repeat(64),
                "n",
                "img",
                odd,
                new ResourceLimits(Long.MAX_VALUE, -1, 33_333, 100_000, 1024, 1, 0)),
            summary("b", "</script>", "", Map.of(), null),
            summary(
                "c".repeat(64),
                "x",
                "i",
                Map.of("k", "v"),
                new ResourceLimits(0, 0, 1, 3, 0, 0, 0)),
            new ContainerSummary(
                "d".repeat(64),
                "plain",
                null,
                ContainerState.EXITED,
                HealthStatus.NONE,
                null,
                null,
                null,
                137,
                false,
                0,
                null,
                null,
                "remote"));
    List<Object> maps = new ArrayList<>();
    cs.forEach(c -> maps.add(Json.summary(c)));
    assertThat(new String(Json.summaries(cs), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(Json.text(maps));
    assertThat(Json.summaries(List.of())).isEqualTo(Json.bytes(List.of()));
  }

  @Test
  void everyListRequestReflectsTheLatestSnapshot() {
    FakeDockerMonitor docker = new FakeDockerMonitor();
    for (int i = 1; i <= 20; i++) {
      docker.add(
          i,
          "c-" + i,
          i % 4 == 0 ? ContainerState.EXITED : ContainerState.RUNNING,
          Map.of("tier", i % 2 == 0 ? "web" : "db"),
          "none");
    }
    RestApi cached = api(docker);
    List<String> targets =
        List.of(
            "/api/containers",
            "/api/containers",
            "/api/containers?all=true",
            "/api/containers?label=tier=web",
            "/api/containers");
    Random random = new Random(11);
    int hits = 0;
    int changes = 0;
    byte[] last = null;
    String lastTarget = null;
    for (int step = 0; step < 120; step++) {
      String target = targets.get(step % targets.size());
      WebResponse got = cached.handler().handle(get(target));
      // The oracle: a new API (empty cache) computing the answer from the same monitor state.
      RestApi fresh = api(docker);
      WebResponse want = fresh.handler().handle(get(target));
      apis.remove(fresh);
      fresh.close();
      assertThat(got.status()).isEqualTo(200);
      assertThat(got.bodyText()).as("step %d %s", step, target).isEqualTo(want.bodyText());
      if (got.body() == last && target.equals(lastTarget)) {
        hits++;
      }
      last = got.body();
      lastTarget = target;
      if (random.nextBoolean()) {
        mutate(docker, random, step);
        changes++;
      }
    }
    // Both paths were taken: answers from the cache and recomputed ones after changes.
    assertThat(hits).isPositive();
    assertThat(changes).isGreaterThan(20);
  }

  @Test
  void aChangeOfOneFieldOfOneContainerShowsInTheVeryNextAnswer() {
    FakeDockerMonitor docker =
        new FakeDockerMonitor()
            .add(1, "one", ContainerState.RUNNING, Map.of("tier", "web"), "none")
            .add(2, "two", ContainerState.RUNNING, Map.of(), "none");
    RestApi api = api(docker);
    byte[] body = api.handler().handle(get("/api/containers")).body();
    String first = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    // Unchanged: served from the cache (the very same bytes).
    assertThat(api.handler().handle(get("/api/containers")).body()).isSameAs(body);
    ContainerSummary c = docker.containers.get(0);
    docker.containers.set(0, withRestarts(c, c.restartCount() + 1));
    String second = api.handler().handle(get("/api/containers")).bodyText();
    assertThat(second).isNotEqualTo(first).contains("\"restartCount\":1");
    docker.containers.set(0, c);
    assertThat(api.handler().handle(get("/api/containers")).bodyText()).isEqualTo(first);
    docker.engineUp = false;
    assertThat(api.handler().handle(get("/api/containers")).status()).isEqualTo(503);
    docker.engineUp = true;
    docker.containers.remove(1);
    assertThat(api.handler().handle(get("/api/containers")).bodyText())
        .contains("\"name\":\"one\"")
        .doesNotContain("\"name\":\"two\"");
  }

  /**
   * Against a real {@link ContainerRegistry} (as the live engine lists it): the registry hands out
   * the same list while its generation stands, so the cached answer is reused by identity; a change
   * that keeps the size and the ids but changes one state bumps the generation and shows in the
   * very next answer, byte-identical to a fresh computation.
   */
  @Test
  void answersFollowTheRegistryGenerationIncludingAStateOnlyChange() {
    ListEngine engine = new ListEngine();
    FakeDockerMonitor seed = new FakeDockerMonitor();
    for (int i = 1; i <= 5; i++) {
      seed.add(i, "c-" + i, ContainerState.RUNNING, Map.of("tier", "web"), "none");
    }
    seed.containers.forEach(c -> engine.containers.put(c.id(), c));
    try (ContainerRegistry registry =
        ContainerRegistry.builder(engine).resyncInterval(Duration.ofMinutes(5)).buildAndStart()) {
      assertThat(registry.awaitFirstSync(Duration.ofSeconds(10))).isTrue();
      FakeDockerMonitor docker = new FakeDockerMonitor();
      docker.registry = registry;
      RestApi api = api(docker);
      byte[] first = api.handler().handle(get("/api/containers")).body();
      assertThat(api.handler().handle(get("/api/containers")).body()).isSameAs(first);
      assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(oracle(docker));

      // Pause c-3: same size, same ids, one state differs.
      String id = FakeDockerMonitor.hexId(3);
      long before = registry.generation();
      engine.emit(id, "pause");
      await().atMost(Duration.ofSeconds(10)).until(() -> registry.generation() > before);
      WebResponse paused = api.handler().handle(get("/api/containers?all=true"));
      WebResponse pausedDefault = api.handler().handle(get("/api/containers"));
      assertThat(paused.bodyText()).contains("\"state\":\"paused\"");
      assertThat(pausedDefault.body()).isNotSameAs(first);
      assertThat(pausedDefault.bodyText()).isEqualTo(oracle(docker)).isNotEqualTo(text(first));
      byte[] again = api.handler().handle(get("/api/containers")).body();
      assertThat(api.handler().handle(get("/api/containers")).body()).isSameAs(again);

      long paused1 = registry.generation();
      engine.emit(id, "unpause");
      await().atMost(Duration.ofSeconds(10)).until(() -> registry.generation() > paused1);
      assertThat(api.handler().handle(get("/api/containers")).bodyText())
          .isEqualTo(text(first))
          .isEqualTo(oracle(docker));
    }
  }

  private String oracle(FakeDockerMonitor docker) {
    RestApi fresh = api(docker);
    try {
      return fresh.handler().handle(get("/api/containers")).bodyText();
    } finally {
      apis.remove(fresh);
      fresh.close();
    }
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** An engine holding fixed containers whose events the test emits. */
  private static final class ListEngine implements EngineClient {
    final Map<String, ContainerSummary> containers = new ConcurrentHashMap<>();
    volatile StreamHandler<ContainerEvent> events;

    @Override
    public String host() {
      return "local";
    }

    @Override
    public List<ContainerSummary> listContainers() {
      return List.copyOf(containers.values());
    }

    @Override
    public Optional<Inspection> inspect(String id) {
      return Optional.ofNullable(containers.get(id)).map(c -> new Inspection(c, 1));
    }

    @Override
    public AutoCloseable events(StreamHandler<ContainerEvent> handler) {
      events = handler;
      return () -> events = null;
    }

    @Override
    public AutoCloseable stats(String id, StreamHandler<StatsSample> handler) {
      return () -> {};
    }

    void emit(String id, String action) {
      events.onItem(
          new ContainerEvent(
              id, ContainerEvent.Action.parse(action), action, "", Map.of(), Instant.now()));
    }

    @Override
    public void close() {}
  }

  /** One random change to the monitor's containers. */
  private static void mutate(FakeDockerMonitor docker, Random random, int step) {
    List<ContainerSummary> cs = docker.containers;
    int i = random.nextInt(cs.size());
    ContainerSummary c = cs.get(i);
    switch (random.nextInt(4)) {
      case 0 -> cs.set(i, withRestarts(c, c.restartCount() + 1));
      case 1 ->
          cs.set(i, withState(c, c.running() ? ContainerState.EXITED : ContainerState.RUNNING));
      case 2 -> docker.add(100 + step, "new-" + step, ContainerState.RUNNING, Map.of(), "none");
      default -> {
        if (cs.size() > 2) {
          cs.remove(i);
        }
      }
    }
  }

  private static ContainerSummary withRestarts(ContainerSummary c, int restarts) {
    return new ContainerSummary(
        c.id(),
        c.name(),
        c.image(),
        c.state(),
        c.health(),
        c.createdAt(),
        c.startedAt(),
        c.finishedAt(),
        c.exitCode(),
        c.oomKilled(),
        restarts,
        c.labels(),
        c.limits(),
        c.host());
  }

  private static ContainerSummary withState(ContainerSummary c, ContainerState s) {
    return new ContainerSummary(
        c.id(),
        c.name(),
        c.image(),
        s,
        c.health(),
        c.createdAt(),
        c.startedAt(),
        c.finishedAt(),
        c.exitCode(),
        c.oomKilled(),
        c.restartCount(),
        c.labels(),
        c.limits(),
        c.host());
  }

  private static WebRequest get(String target) {
    return WebRequest.of("GET", target, Map.of());
  }
}
