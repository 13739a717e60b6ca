package io.clustermonitor.examples.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.clustermonitor.core.livetest.SecondDockerd;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-host topology of docs/deployment.md ("Multi-host") on loopback: two Docker engines (the
 * shared one and a second dockerd this test starts on its own socket and data root), one {@code
 * cluster-monitor.jar serve} per engine, one edge Prometheus that finds both serves through their
 * {@code /api/sd} ({@code http_sd_configs}, a {@code host} label per engine from {@code
 * __meta_url}) and a central Prometheus ({@code --web.enable-remote-write-receiver}) that receives
 * the edge's {@code remote_write}. The central one must answer a container query for the containers
 * of both engines, each with its engine's {@code host} label.
 *
 * <p>Each serve announces itself the way its container would in production: a container on that
 * engine on the host network with {@code prometheus.io/scrape=true} and {@code
 * prometheus.io/port=<the serve's port>} (here a busybox standing in for the serve's own container,
 * since the serve runs from the jar).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiHostIT {

  private static final String QUERY = "container_memory_usage_bytes";

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String workloadA = "cm-mh-a-" + run;
  private final String workloadB = "cm-mh-b-" + run;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private String edge;
  private String central;
  private final List<ManagedProcess> processes = new ArrayList<>();

  @BeforeAll
  void startTwoEnginesTwoServesAndTwoPrometheus(@TempDir Path tmp) throws Exception {
    Path jar = LiveMetricNamesIT.jar();
    Path prometheus = Tools.require("prometheus");

    SecondDockerd second = new SecondDockerd();
    toClose.add(second);
    second.start();
    second.importTestImage();

    int portA = ManagedProcess.freePort();
    int portB = ManagedProcess.freePort();
    serve("serve-a", tmp, jar, TestContainers.DOCKER_HOST, portA);
    serve("serve-b", tmp, jar, second.host(), portB);

    // Containers go after the serves in toClose, so they are removed (one at a time) before the
    // second engine stops.
    TestContainers onA = new TestContainers("multihost", TestContainers.DOCKER_HOST);
    toClose.add(onA);
    TestContainers onB = new TestContainers("multihost", second.host());
    toClose.add(onB);
    onA.run(workloadA, List.of(), "sleep", "600");
    onB.run(workloadB, List.of(), "sleep", "600");
    onA.run("cm-mh-sd-a-" + run, "host", announce(portA), "sleep", "600");
    onB.run("cm-mh-sd-b-" + run, "host", announce(portB), "sleep", "600");

    int centralPort = ManagedProcess.freePort();
    central = "http://127.0.0.1:" + centralPort;
    Path centralDir = Files.createDirectories(tmp.resolve("central"));
    Path centralConfig = Files.writeString(centralDir.resolve("prometheus.yml"), "global: {}\n");
    start(
        "prometheus-central",
        tmp,
        List.of(
            prometheus.toString(),
            "--config.file=" + centralConfig,
            "--storage.tsdb.path=" + centralDir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + centralPort,
            "--web.enable-remote-write-receiver"));

    int edgePort = ManagedProcess.freePort();
    edge = "http://127.0.0.1:" + edgePort;
    Path edgeDir = Files.createDirectories(tmp.resolve("edge"));
    Path edgeConfig =
        Files.writeString(edgeDir.resolve("prometheus.yml"), edgeConfig(portA, portB, centralPort));
    start(
        "prometheus-edge",
        tmp,
        List.of(
            prometheus.toString(),
            "--config.file=" + edgeConfig,
            "--storage.tsdb.path=" + edgeDir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + edgePort));
  }

  /** The edge Prometheus: one job, one HTTP SD entry per engine's serve, host from the SD URL. */
  static String edgeConfig(int portA, int portB, int centralPort) {
    return """
        global:
          scrape_interval: 5s
          external_labels: {site: loopback}
        scrape_configs:
          - job_name: cluster-monitor
            http_sd_configs:
              - url: http://127.0.0.1:%1$d/api/sd
                refresh_interval: 5s
              - url: http://127.0.0.1:%2$d/api/sd
                refresh_interval: 5s
            relabel_configs:
              # Both engines share this machine's address, so one rule per SD URL; across machines
              # one rule (regex: 'https?://([^:/]+).*', replacement: '$1') names each host.
              - source_labels: [__meta_url]
                regex: 'http://127\\.0\\.0\\.1:%1$d/api/sd'
                target_label: host
                replacement: engine-a
              - source_labels: [__meta_url]
                regex: 'http://127\\.0\\.0\\.1:%2$d/api/sd'
                target_label: host
                replacement: engine-b
        remote_write:
          - url: http://127.0.0.1:%3$d/api/v1/write
            queue_config: {batch_send_deadline: 1s}
        """
        .formatted(portA, portB, centralPort);
  }

  private static List<String> announce(int port) {
    return List.of("--label", "prometheus.io/scrape=true", "--label", "prometheus.io/port=" + port);
  }

  private void serve(String name, Path tmp, Path jar, String dockerHost, int port) {
    start(
        name,
        tmp,
        Map.of("DOCKER_HOST", dockerHost),
        ManagedProcess.jar(jar, "serve", "--listen", "127.0.0.1:" + port));
    String url = "http://127.0.0.1:" + port;
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(ManagedProcess.get(url + "/health"))
                    .as(tails())
                    .contains("\"status\":\"healthy\""));
  }

  private void start(String name, Path tmp, List<String> command) {
    start(name, tmp, Map.of(), command);
  }

  private void start(String name, Path tmp, Map<String, String> env, List<String> command) {
    ManagedProcess p = ManagedProcess.start(name, tmp, env, command);
    processes.add(p);
    toClose.add(p);
  }

  @AfterAll
  void stopEverything() {
    // Reverse order: Prometheus servers, containers (one at a time), serves, the second engine.
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        System.err.println("closing " + toClose.get(i) + ": " + e);
      }
    }
  }

  @Test
  void theCentralPrometheusAnswersForTheContainersOfBothEnginesByHost() throws IOException {
    try {
      // The edge found one serve per engine through /api/sd, each with its host label.
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(2))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                // The shared engine may list other tests' opted-in containers too: only ours count.
                Map<String, String> up = new TreeMap<>();
                for (JsonNode t :
                    ComposeFiles.JSON
                        .readTree(ManagedProcess.get(edge + "/api/v1/targets?state=active"))
                        .path("data")
                        .path("activeTargets")) {
                  String container = t.path("labels").path("container").asText();
                  if (container.startsWith("cm-mh-sd-") && container.endsWith(run)) {
                    up.put(
                        container + " " + t.path("labels").path("host").asText(),
                        t.path("health").asText());
                  }
                }
                assertThat(up)
                    .containsExactly(
                        Map.entry("cm-mh-sd-a-" + run + " engine-a", "up"),
                        Map.entry("cm-mh-sd-b-" + run + " engine-b", "up"));
              });
      // The central one holds, through remote_write only, each engine's container under its host.
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(2))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                Map<String, String> hostByName = new TreeMap<>();
                for (JsonNode s :
                    query(central, QUERY + "{name=~\"" + workloadA + "|" + workloadB + "\"}")) {
                  assertThat(s.path("value").path(1).asDouble()).isPositive();
                  assertThat(s.path("metric").path("job").asText()).isEqualTo("cluster-monitor");
                  assertThat(s.path("metric").path("site").asText()).isEqualTo("loopback");
                  hostByName.put(
                      s.path("metric").path("name").asText(),
                      s.path("metric").path("host").asText());
                }
                assertThat(hostByName)
                    .containsExactly(
                        Map.entry(workloadA, "engine-a"), Map.entry(workloadB, "engine-b"));
              });
      // And the host label separates the engines: engine-b has only what the second dockerd runs.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(2))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                List<String> onB = new ArrayList<>();
                for (JsonNode s :
                    query(central, QUERY + "{host=\"engine-b\",name=~\"cm-mh-.*\"}")) {
                  onB.add(s.path("metric").path("name").asText());
                }
                assertThat(onB).containsExactlyInAnyOrder(workloadB, "cm-mh-sd-b-" + run);
              });
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\n" + tails(), e);
    }
  }

  private static JsonNode query(String prometheus, String promql) throws IOException {
    JsonNode r =
        ComposeFiles.JSON.readTree(
            ManagedProcess.get(
                prometheus
                    + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("success");
    return r.path("data").path("result");
  }

  private String tails() {
    StringBuilder b = new StringBuilder();
    for (ManagedProcess p : processes) {
      b.append(p.tail()).append('\n');
    }
    return b.toString();
  }
}
