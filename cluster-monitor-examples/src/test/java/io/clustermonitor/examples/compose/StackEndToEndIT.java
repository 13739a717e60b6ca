package io.clustermonitor.examples.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.clustermonitor.core.health.HealthChecks;
import io.clustermonitor.core.health.HealthReport;
import io.clustermonitor.core.health.HealthSuite;
import io.clustermonitor.examples.compose.ComposeFiles.DashboardQuery;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The stack end to end on loopback: our exporters from the jar, a real Prometheus and Alertmanager
 * (Debian packages) with a loopback variant of {@code compose/prometheus.yml} (the same jobs for
 * our targets, targets rewritten to 127.0.0.1, short intervals and {@code for} durations) and the
 * real rules and alertmanager.yml. Asserts with the health-check API that every target is up, then
 * stops this test's own redis-server and waits for {@code RedisDown} in Alertmanager.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackEndToEndIT {

  /** Jobs of compose/prometheus.yml that scrape services this test does not run (not ours). */
  private static final Set<String> NOT_STARTED_HERE = Set.of("grafana", "minio");

  private static final String PG_DSN =
      "postgresql://%s:%s@%s:%s/%s?sslmode=disable"
          .formatted(
              env("CM_TEST_PG_USER", "cmtest"),
              env("CM_TEST_PG_PASSWORD", "cmtest-secret-pw"),
              env("CM_TEST_PG_HOST", "127.0.0.1"),
              env("CM_TEST_PG_PORT", "55432"),
              env("CM_TEST_PG_DB", "cmtest"));

  private Path tmp;
  private final List<ManagedProcess> processes = new ArrayList<>();
  private final Map<String, Integer> jobPorts = new LinkedHashMap<>();
  private final List<String> staticJobs = new ArrayList<>();
  private ManagedProcess redis;
  private int redisPort;
  private String prometheus;
  private String alertmanager;

  @BeforeAll
  void startTheLoopbackStack(@TempDir Path dir) throws IOException {
    tmp = dir;
    Path jar = LiveMetricNamesIT.jar();
    Path redisServer = Tools.require("redis-server");
    Path prometheusBin = Tools.require("prometheus");
    Path alertmanagerBin = Tools.require("prometheus-alertmanager");

    redisPort = ManagedProcess.freePort();
    Files.createDirectories(tmp.resolve("redis"));
    redis =
        start(
            "redis-server",
            Map.of(),
            List.of(
                redisServer.toString(),
                "--port",
                String.valueOf(redisPort),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                tmp.resolve("redis").toString()));

    Map<String, String> env =
        Map.of(
            "DOCKER_HOST",
            TestContainers.DOCKER_HOST,
            "DATA_SOURCE_NAME",
            PG_DSN,
            "REDIS_ADDR",
            "redis://127.0.0.1:" + redisPort);
    startJar(jar, env, "containers", "container-exporter");
    startJar(jar, env, "node", "node-exporter");
    startJar(jar, env, "postgres", "postgres-exporter");
    startJar(jar, env, "redis", "redis-exporter");
    startJar(jar, env, "docker-sd", "api-proxy");

    int amPort = ManagedProcess.freePort();
    jobPorts.put("alertmanager", amPort);
    alertmanager = "http://127.0.0.1:" + amPort;
    start(
        "alertmanager",
        Map.of(),
        List.of(
            alertmanagerBin.toString(),
            "--config.file=" + ComposeFiles.dir().resolve("alertmanager.yml"),
            "--storage.path=" + tmp.resolve("alertmanager"),
            "--web.listen-address=127.0.0.1:" + amPort,
            "--cluster.listen-address="));

    int promPort = ManagedProcess.freePort();
    jobPorts.put("prometheus", promPort);
    prometheus = "http://127.0.0.1:" + promPort;
    Path config = writeLoopbackConfig(tmp.resolve("prometheus"), amPort);
    start(
        "prometheus",
        Map.of(),
        List.of(
            prometheusBin.toString(),
            "--config.file=" + config,
            "--storage.tsdb.path=" + tmp.resolve("prometheus/data"),
            "--web.listen-address=127.0.0.1:" + promPort,
            "--rules.alert.resend-delay=1s"));
  }

  @AfterAll
  void stopEverything() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }

  @Test
  @Order(1)
  void everyTargetOfTheLoopbackStackIsUp() {
    // One check per job with static targets: each job has its target and it is up. The docker-sd
    // job's targets are whatever containers on the shared engine opt in (other tests' ones too), so
    // they are not counted here.
    HealthSuite.Builder suite =
        HealthSuite.builder().timeout(Duration.ofSeconds(5)).maxPollInterval(Duration.ofSeconds(2));
    for (String job : staticJobs) {
      suite.check(job, HealthChecks.prometheusTargets(prometheus).job(job));
    }
    HealthReport report;
    try {
      report = suite.build().waitUntilHealthy(Duration.ofSeconds(90));
    } catch (RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\n" + tails(), e);
    }
    assertThat(report.healthy()).as(report.toTable()).isTrue();
    for (String job : staticJobs) {
      assertThat(report.check(job).orElseThrow().reason())
          .isEqualTo("1 target up for job '" + job + "'");
    }
    assertThat(staticJobs)
        .containsExactlyInAnyOrder(
            "containers", "node", "postgres", "redis", "prometheus", "alertmanager");
  }

  @Test
  @Order(2)
  void everyAlertRuleEvaluatesWithoutError() {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              JsonNode groups =
                  ComposeFiles.JSON
                      .readTree(ManagedProcess.get(prometheus + "/api/v1/rules"))
                      .path("data")
                      .path("groups");
              List<String> notOk = new ArrayList<>();
              int rules = 0;
              for (JsonNode g : groups) {
                for (JsonNode r : g.path("rules")) {
                  rules++;
                  if (!"ok".equals(r.path("health").asText())) {
                    notOk.add(
                        r.path("name").asText()
                            + ": "
                            + r.path("health").asText()
                            + " "
                            + r.path("lastError").asText());
                  }
                }
              }
              assertThat(rules).isEqualTo(ComposeFiles.alerts().size());
              assertThat(notOk).isEmpty();
            });
  }

  @Test
  @Order(3)
  void everyDashboardQueryIsValidPromQl() {
    List<String> failed = new ArrayList<>();
    for (DashboardQuery q : ComposeFiles.dashboardQueries()) {
      if (q.variable()) {
        continue; // label_values(...) is Grafana syntax; its selector is checked by
        // LiveMetricNamesIT
      }
      String expr =
          q.expr()
              .replace("$__rate_interval", "1m")
              .replace("$__interval", "15s")
              .replaceAll("\\$\\{?[A-Za-z_]+}?", ".*");
      try {
        JsonNode r =
            ComposeFiles.JSON.readTree(
                ManagedProcess.get(
                    prometheus
                        + "/api/v1/query?query="
                        + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
        if (!"success".equals(r.path("status").asText())) {
          failed.add(q.dashboard() + " " + q.where() + ": " + r);
        }
      } catch (RuntimeException | IOException e) {
        failed.add(q.dashboard() + " \"" + q.where() + "\": " + e.getMessage());
      }
    }
    assertThat(failed).isEmpty();
  }

  @Test
  @Order(4)
  void theForeignMetricsTheRulesUseAreEmittedByPrometheusAndAlertmanager() {
    Set<String> prom = Exposition.sampleNames(ManagedProcess.get(prometheus + "/metrics"));
    Set<String> am = Exposition.sampleNames(ManagedProcess.get(alertmanager + "/metrics"));
    assertThat(prom)
        .containsAll(
            ForeignMetrics.PROMETHEUS.keySet().stream().filter(n -> !n.equals("up")).toList());
    assertThat(am).containsAll(ForeignMetrics.ALERTMANAGER.keySet());
    assertThat(ManagedProcess.get(prometheus + "/api/v1/query?query=up"))
        .contains("\"__name__\":\"up\"");
  }

  @Test
  @Order(5)
  void stoppingRedisBringsRedisDownToAlertmanager() {
    String instance = "127.0.0.1:" + jobPorts.get("redis");
    assertThat(redisDownAlerts(instance)).as("RedisDown while Redis is up").isEmpty();
    redis.close();
    assertThat(redis.alive()).isFalse();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(redisDownAlerts(instance)).hasSize(1));
    JsonNode alert = redisDownAlerts(instance).get(0);
    assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
    assertThat(alert.path("labels").path("job").asText()).isEqualTo("redis");
    assertThat(alert.path("annotations").path("summary").asText())
        .isEqualTo("Redis is down (" + instance + ")");
  }

  private List<JsonNode> redisDownAlerts(String instance) {
    try {
      JsonNode alerts =
          ComposeFiles.JSON.readTree(
              ManagedProcess.get(
                  alertmanager
                      + "/api/v2/alerts?filter="
                      + URLEncoder.encode("alertname=\"RedisDown\"", StandardCharsets.UTF_8)));
      List<JsonNode> matching = new ArrayList<>();
      alerts.forEach(
          a -> {
            if (instance.equals(a.path("labels").path("instance").asText())) {
              matching.add(a);
            }
          });
      return matching;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes prometheus.yml and rules/ for loopback: the jobs of compose/prometheus.yml with their
   * targets on 127.0.0.1, 4 s intervals, and every rule's {@code for} cut to 3 s.
   */
  @SuppressWarnings("unchecked")
  private Path writeLoopbackConfig(Path dir, int amPort) throws IOException {
    Files.createDirectories(dir.resolve("rules"));
    Yaml yaml = yaml();
    Map<String, Object> config;
    try (var r = Files.newBufferedReader(ComposeFiles.dir().resolve("prometheus.yml"))) {
      config = yaml.load(r);
    }
    Map<String, Object> global = (Map<String, Object>) config.get("global");
    global.put("scrape_interval", "4s");
    global.put("scrape_timeout", "4s");
    global.put("evaluation_interval", "1s");
    Map<String, Object> am =
        ((List<Map<String, Object>>)
                ((Map<String, Object>) config.get("alerting")).get("alertmanagers"))
            .get(0);
    am.put("static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + amPort))));

    List<Map<String, Object>> jobs = new ArrayList<>();
    for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
      String name = (String) job.get("job_name");
      if (NOT_STARTED_HERE.contains(name)) {
        continue;
      }
      Integer port = jobPorts.get(name);
      assertThat(port)
          .as("job " + name + " of compose/prometheus.yml has no loopback target")
          .isNotNull();
      job.put("scrape_interval", "4s");
      job.remove("scrape_timeout");
      if (job.containsKey("static_configs")) {
        job.put("static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + port))));
        staticJobs.add(name);
      } else {
        Map<String, Object> sd = ((List<Map<String, Object>>) job.get("http_sd_configs")).get(0);
        assertThat((String) sd.get("url")).endsWith("/api/sd");
        sd.put("url", "http://127.0.0.1:" + port + "/api/sd");
        sd.put("refresh_interval", "5s");
      }
      jobs.add(job);
    }
    config.put("scrape_configs", jobs);
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, yaml.dump(config));

    for (Path rules : ComposeFiles.ruleFiles()) {
      Map<String, Object> doc;
      try (var r = Files.newBufferedReader(rules)) {
        doc = yaml.load(r);
      }
      for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
          if (rule.containsKey("for")) {
            rule.put("for", "3s");
          }
        }
      }
      Files.writeString(dir.resolve("rules").resolve(rules.getFileName()), yaml.dump(doc));
    }
    return file;
  }

  private static Yaml yaml() {
    DumperOptions dump = new DumperOptions();
    dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(dump), dump);
  }

  private void startJar(Path jar, Map<String, String> env, String job, String command) {
    int port = ManagedProcess.freePort();
    jobPorts.put(job, port);
    start(command, env, ManagedProcess.jar(jar, command, "--listen", "127.0.0.1:" + port));
  }

  private ManagedProcess start(String name, Map<String, String> env, List<String> command) {
    ManagedProcess p = ManagedProcess.start(name, tmp, env, command);
    processes.add(p);
    if (name.equals("redis-server")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .failFast("redis-server exited", () -> !p.alive())
          .until(() -> ping(redisPort));
    }
    return p;
  }

  private static boolean ping(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String line =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return "+PONG".equals(line);
    } catch (IOException e) {
      return false;
    }
  }

  private String tails() {
    StringBuilder b = new StringBuilder();
    processes.forEach(p -> b.append(p.tail()).append("\n"));
    return b.toString();
  }

  private static String env(String name, String def) {
    return System.getenv().getOrDefault(name, def);
  }
}
