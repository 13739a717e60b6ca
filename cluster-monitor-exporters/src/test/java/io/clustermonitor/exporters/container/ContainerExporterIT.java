package io.clustermonitor.exporters.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.stats.StatsEngine;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.livetest.LiveDocker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container exporter against the real engine, through {@link DockerMonitor#snapshot()}: a
 * {@code --cpus 0.5} burner, a short-lived container, promtool and a real Prometheus scraping the
 * exporter.
 */
class ContainerExporterIT {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir static Path tmp;
  private static LiveDocker docker;
  private static DockerMonitor monitor;
  private static ExporterServer server;
  private static String burner;
  private static String burnerId;
  private static Process prometheus;

  @BeforeAll
  static void start() {
    docker = new LiveDocker(ContainerExporterIT.class);
    boolean available = docker.engineAvailable();
    if (LiveDocker.servicesRequired()) {
      assertThat(available).as("Docker engine at " + LiveDocker.DOCKER_HOST).isTrue();
    }
    assumeTrue(available, "no Docker engine at " + LiveDocker.DOCKER_HOST);
    burner = docker.uniqueName("cm-sdk-burner");
    burnerId =
        docker.run(
            "--name",
            burner,
            "--cpus",
            "0.5",
            "--memory",
            "64m",
            "IMAGE",
            "sh",
            "-c",
            "yes > /dev/null");
    monitor = DockerMonitor.connect(DockerEndpoint.builder(LiveDocker.DOCKER_HOST).build());
    server =
        ExporterServer.builder()
            .namespace("cluster_monitor")
            .register(ContainerCollector.builder(monitor).include("cm-sdk-.*").build())
            .start();
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.destroy();
      try {
        if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly();
        }
      } catch (InterruptedException e) {
        prometheus.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (server != null) {
      server.close();
    }
    if (monitor != null) {
      monitor.close();
    }
    if (docker != null) {
      docker.close();
    }
  }

  private static String scrape() throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(server.uri().resolve("/metrics"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /**
   * The sum of the samples of {@code metric} whose labels include name="{@code name}" (one sample,
   * or one per CPU for container_cpu_usage_seconds_total with cAdvisor's default percpu kind).
   */
  static OptionalDouble value(String text, String metric, String name) {
    Pattern p =
        Pattern.compile(
            "^"
                + Pattern.quote(metric)
                + "\\{[^}]*name=\""
                + Pattern.quote(name)
                + "\"[^}]*} (\\S+)$",
            Pattern.MULTILINE);
    Matcher m = p.matcher(text);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
      found = true;
    }
    return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  /**
   * The burner's CPU seconds read straight from its cgroup (v1 cgroupfs, v2 cgroupfs or systemd),
   * or empty when the tree is not readable here. Used only to tell "the exporter is wrong" from
   * "the shared 2-core machine did not give the burner its 0.5 CPU" (other test JVMs compete for
   * CPU).
   */
  static OptionalDouble groundTruthCpuSeconds(String id) {
    try {
      Path v1 = Path.of("/sys/fs/cgroup/cpuacct/docker", id, "cpuacct.usage");
      return OptionalDouble.of(Long.parseLong(Files.readString(v1).trim()) / 1e9);
    } catch (IOException | RuntimeException e) {
      // not cgroup v1 cgroupfs: try v2
    }
    for (Path p :
        List.of(
            Path.of("/sys/fs/cgroup/docker", id, "cpu.stat"),
            Path.of("/sys/fs/cgroup/system.slice", "docker-" + id + ".scope", "cpu.stat"))) {
      try {
        for (String line : Files.readAllLines(p)) {
          if (line.startsWith("usage_usec ")) {
            return OptionalDouble.of(Long.parseLong(line.substring(11).trim()) / 1e6);
          }
        }
      } catch (IOException | RuntimeException e) {
        // try the next layout
      }
    }
    return OptionalDouble.empty();
  }

  /**
   * The band for a {@code --cpus 0.5} burner is 0.35..0.65. The upper bound always holds
   * (the quota caps it). The lower bound is required whenever the cgroup shows the burner actually
   * got at least 0.4 CPU in the window; on a starved machine the exporter must instead agree with
   * the cgroup within 0.1.
   */
  static void assertBurnerRate(double measured, OptionalDouble truth) {
    assertThat(measured).isPositive().isLessThanOrEqualTo(0.65);
    if (truth.isEmpty() || truth.getAsDouble() >= 0.4) {
      assertThat(measured).isBetween(0.35, 0.65);
    }
    if (truth.isPresent()) {
      assertThat(measured).isCloseTo(truth.getAsDouble(), within(0.1));
    }
  }

  @Test
  void twoScrapesTenSecondsApartShowHalfACpuForTheBurner() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> value(scrape(), "container_cpu_usage_seconds_total", burner).isPresent());
    String first = scrape();
    long t1 = System.nanoTime();
    OptionalDouble truth1 = groundTruthCpuSeconds(burnerId);
    Thread.sleep(10_000); // the measurement window, not a wait for a condition
    String second = scrape();
    long t2 = System.nanoTime();
    OptionalDouble truth2 = groundTruthCpuSeconds(burnerId);

    double cpu1 = value(first, "container_cpu_usage_seconds_total", burner).orElseThrow();
    double cpu2 = value(second, "container_cpu_usage_seconds_total", burner).orElseThrow();
    double rate = (cpu2 - cpu1) / ((t2 - t1) / 1e9);

    double seconds = (t2 - t1) / 1e9;
    assertBurnerRate(
        rate,
        truth1.isPresent() && truth2.isPresent()
            ? OptionalDouble.of((truth2.getAsDouble() - truth1.getAsDouble()) / seconds)
            : OptionalDouble.empty());
    assertThat(value(second, "container_memory_working_set_bytes", burner).orElseThrow())
        .isPositive()
        .isLessThanOrEqualTo(64.0 * 1024 * 1024);
    assertThat(value(second, "container_spec_memory_limit_bytes", burner)).hasValue(67108864);
    assertThat(value(second, "container_spec_cpu_quota", burner)).hasValue(50000);
    assertThat(second)
        .contains("id=\"/docker/" + burnerId + "\"")
        .contains("cluster_monitor_engine_up 1\n")
        .containsPattern("(?m)^machine_cpu_cores(\\{[^}]*})? [1-9]")
        .contains("cluster_monitor_scrape_collector_success{collector=\"container\"} 1\n");
  }

  @Test
  void promtoolFindsNoErrorsInALiveScrape() throws Exception {
    assumeTrue(Files.isExecutable(PROMTOOL) || LiveDocker.servicesRequired(), "no promtool");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> value(scrape(), "container_cpu_usage_seconds_total", burner).isPresent());
    Path body = Files.writeString(tmp.resolve("scrape.txt"), scrape());

    Process p =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectInput(body.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    // Exit 0: clean; 3: lint findings only; 1: the text did not parse.
    assertThat(p.exitValue()).as(out).isIn(0, 3);
    // Only cAdvisor's own names, kept for drop-in compatibility: a counter without _total, a gauge
    // with it, and the camelCase labels of cadvisor_version_info (cadvisorVersion, ...).
    assertThat(out.lines().filter(l -> !l.isBlank()).toList())
        .isSubsetOf(
            "container_memory_failcnt counter metrics should have \"_total\" suffix",
            "cadvisor_version_info label names should be written in 'snake_case' not 'camelCase'",
            "container_fs_inodes_total non-counter metrics should not have \"_total\" suffix");
  }

  @Test
  void aRemovedContainersSeriesAreGoneFromTheNextScrape() throws Exception {
    String name = docker.uniqueName("cm-sdk-shortlived");
    String id = docker.run("--name", name, "IMAGE", "sleep", "300");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> value(scrape(), "container_last_seen", name).isPresent());

    docker.remove(id);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(scrape()).doesNotContain("name=\"" + name + "\""));
  }

  @Test
  void aRealPrometheusScrapesTheExporterAndComputesTheBurnerRate() throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS) || LiveDocker.servicesRequired(), "no prometheus");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config =
        Files.writeString(
            tmp.resolve("prometheus.yml"),
            """
            global:
              scrape_interval: 2s
              scrape_timeout: 2s
            scrape_configs:
              - job_name: containers
                static_configs:
                  - targets: ['127.0.0.1:%d']
            """
                .formatted(server.port()));
    Path data = Files.createDirectories(tmp.resolve("tsdb"));
    prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("prometheus.log").toFile())
            .start();
    URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/");

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(get(api.resolve("targets"))).contains("\"health\":\"up\""));

    String query = "sum(rate(container_cpu_usage_seconds_total{name=\"" + burner + "\"}[30s]))";
    URI q = api.resolve("query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    Pattern result = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"]");
    ArrayDeque<double[]> truth = new ArrayDeque<>(); // {seconds on the nano clock, cpu seconds}
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              double now = System.nanoTime() / 1e9;
              OptionalDouble cpu = groundTruthCpuSeconds(burnerId);
              cpu.ifPresent(v -> truth.addLast(new double[] {now, v}));
              while (truth.size() > 2 && now - truth.peekFirst()[0] > 32) {
                truth.pollFirst();
              }
              OptionalDouble expected = OptionalDouble.empty();
              if (cpu.isPresent()) {
                double[] oldest = truth.peekFirst();
                if (now - oldest[0] < 20) {
                  throw new AssertionError("collecting 20 s of cgroup samples");
                }
                expected = OptionalDouble.of((cpu.getAsDouble() - oldest[1]) / (now - oldest[0]));
              }
              Matcher m = result.matcher(get(q));
              assertThat(m.find()).isTrue();
              assertBurnerRate(Double.parseDouble(m.group(1)), expected);
            });
  }

  private static String get(URI uri) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void engineDownStillAnswers200WithEngineUpZero() throws Exception {
    DockerEndpoint nowhere = DockerEndpoint.unixSocket(tmp.resolve("no-engine.sock"));
    try (StatsEngine down =
            StatsEngine.builder(nowhere).firstSyncTimeout(Duration.ofSeconds(2)).build();
        ExporterServer s =
            ExporterServer.builder()
                .register(ContainerCollector.builder(down::snapshot, () -> null).build())
                .start()) {
      try {
        down.start();
      } catch (RuntimeException expected) {
        // an engine that is not there may fail the first sync; the exporter must still answer
      }
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(s.uri().resolve("/metrics"))
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("cluster_monitor_engine_up 0\n");
    }
  }
}
