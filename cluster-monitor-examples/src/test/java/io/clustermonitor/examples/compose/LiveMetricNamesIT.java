package io.clustermonitor.examples.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.examples.compose.ComposeFiles.Alert;
import io.clustermonitor.examples.compose.ComposeFiles.DashboardQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric name in an alert rule or a dashboard query is one our collectors emit: checked
 * against a live scrape of {@code cluster-monitor.jar serve} plus its node, PostgreSQL and Redis
 * exporters, with a running container (limits, health check) and a stopped one on the engine so the
 * per-container families are present. Only {@link ForeignMetrics} may be used besides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveMetricNamesIT {

  private static final String PG_DSN =
      "postgresql://%s:%s@%s:%s/%s?sslmode=disable"
          .formatted(
              env("CM_TEST_PG_USER", "cmtest"),
              env("CM_TEST_PG_PASSWORD", "cmtest-secret-pw"),
              env("CM_TEST_PG_HOST", "127.0.0.1"),
              env("CM_TEST_PG_PORT", "55432"),
              env("CM_TEST_PG_DB", "cmtest"));
  private static final String REDIS_ADDR =
      "redis://%s:%s"
          .formatted(env("CM_TEST_REDIS_HOST", "127.0.0.1"), env("CM_TEST_REDIS_PORT", "56379"));

  private Path logs;
  private final List<ManagedProcess> processes = new ArrayList<>();
  private final Map<String, String> metricsUrls = new TreeMap<>();
  private TestContainers containers;
  private String runningName;

  @BeforeAll
  void startExportersAndContainers(@TempDir Path dir) {
    logs = dir;
    Path jar = jar();
    containers = new TestContainers("compose-live");
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    runningName = "cm-compose-live-" + suffix;
    containers.run(
        runningName,
        List.of(
            "--cpus", "0.5", "--memory", "64m", "--health-cmd", "true", "--health-interval", "2s"),
        "sleep",
        "600");
    containers.run("cm-compose-exited-" + suffix, List.of(), "sh", "-c", "exit 3");

    Map<String, String> env =
        Map.of(
            "DOCKER_HOST", TestContainers.DOCKER_HOST,
            "DATA_SOURCE_NAME", PG_DSN,
            "REDIS_ADDR", REDIS_ADDR);
    // The flags docker-compose.yml gives these services (cAdvisor's default kinds plus process,
    // postgres_exporter's defaults plus postmaster).
    String kinds =
        "--disable_metrics=memory_numa,tcp,udp,advtcp,sched,hugetlb,referenced_memory,"
            + "cpu_topology,resctrl,cpuset";
    start(jar, env, "serve", "/metrics", kinds, "--collector.postmaster");
    start(jar, env, "node-exporter", "/metrics");
    start(jar, env, "postgres-exporter", "/metrics", "--collector.postmaster");
    start(jar, env, "redis-exporter", "/metrics");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .failFast("an exporter exited", this::assertAllAlive)
        .ignoreExceptions()
        .until(() -> !scrapeAll().isEmpty());
  }

  private void start(
      Path jar, Map<String, String> env, String command, String path, String... flags) {
    int port = ManagedProcess.freePort();
    List<String> args = new ArrayList<>(List.of(command, "--listen", "127.0.0.1:" + port));
    args.addAll(List.of(flags));
    processes.add(
        ManagedProcess.start(
            command, logs, env, ManagedProcess.jar(jar, args.toArray(String[]::new))));
    metricsUrls.put(command, "http://127.0.0.1:" + port + path);
  }

  @AfterAll
  void stopEverything() {
    processes.forEach(ManagedProcess::close);
    if (containers != null) {
      containers.close();
    }
  }

  @Test
  void everyMetricInTheRulesAndDashboardsIsEmittedByOurCollectors() {
    Map<String, Set<String>> used = usedMetricNames();
    Set<String> needed = new TreeSet<>();
    used.forEach(
        (name, where) -> {
          if (!ForeignMetrics.allowed(name)) {
            needed.add(name);
          }
        });
    assertThat(needed).hasSizeGreaterThan(50);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(3))
        .failFast("an exporter exited", this::assertAllAlive)
        .untilAsserted(
            () -> {
              Set<String> scraped = scrapeAll();
              assertThat(scraped).as("our container is scraped").contains("container_last_seen");
              List<String> missing = new ArrayList<>();
              for (String n : needed) {
                if (!scraped.contains(n)) {
                  missing.add(n + " (used in " + used.get(n) + ")");
                }
              }
              assertThat(missing).as("metric names no collector emits").isEmpty();
            });
  }

  @Test
  void theCheckRejectsANameNoCollectorEmits() {
    Set<String> scraped = scrapeAll();
    assertThat(scraped).doesNotContain("container_cpu_usage_seconds", "node_memory_MemAvailable");
    assertThat(scraped).contains("node_memory_MemAvailable_bytes", "pg_up", "redis_up");
  }

  private void assertAllAlive() {
    for (ManagedProcess p : processes) {
      assertThat(p.alive()).as(p.tail()).isTrue();
    }
  }

  private Set<String> scrapeAll() {
    Set<String> names = new TreeSet<>();
    metricsUrls.forEach(
        (command, url) -> {
          try {
            names.addAll(Exposition.sampleNames(ManagedProcess.get(url)));
          } catch (RuntimeException e) {
            ManagedProcess p =
                processes.stream()
                    .filter(x -> x.toString().startsWith(command + " "))
                    .findFirst()
                    .orElseThrow();
            throw new AssertionError(
                "scrape of " + url + " failed: " + e.getMessage() + "\n" + p.tail(), e);
          }
        });
    return names;
  }

  /** Metric name -> where it is used (rule or dashboard panel). */
  static Map<String, Set<String>> usedMetricNames() {
    Map<String, Set<String>> used = new TreeMap<>();
    for (Alert a : ComposeFiles.alerts()) {
      for (String n : PromQlMetricNames.of(a.expr())) {
        used.computeIfAbsent(n, k -> new TreeSet<>()).add("rule " + a.name());
      }
    }
    for (DashboardQuery q : ComposeFiles.dashboardQueries()) {
      Set<String> names =
          q.variable()
              ? PromQlMetricNames.ofGrafanaVariable(q.expr())
              : PromQlMetricNames.of(q.expr());
      for (String n : names) {
        used.computeIfAbsent(n, k -> new TreeSet<>()).add(q.dashboard() + " \"" + q.where() + "\"");
      }
    }
    return used;
  }

  static Path jar() {
    Path jar =
        ComposeFiles.dir()
            .getParent()
            .resolve("cluster-monitor-examples/target/cluster-monitor.jar");
    assertThat(Files.isRegularFile(jar)).as(jar + " is built by the package phase").isTrue();
    return jar;
  }

  private static String env(String name, String def) {
    return System.getenv().getOrDefault(name, def);
  }
}
