package io.clustermonitor.examples.api;

import static io.clustermonitor.examples.api.DockerCli.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every endpoint against the real engine, values checked against the docker CLI's answer. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DockerCli cli = new DockerCli("RestApiIT");
  private final String secret =
      "s3cr3t-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
  private DockerMonitor monitor;
  private RestApiServer server;
  private String busyId;
  private String hostNetId;
  private String exitedId;
  private int sdPort;

  @BeforeAll
  void startContainersAndServer() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      sdPort = s.getLocalPort();
    }
    String run = Long.toHexString(System.nanoTime());
    busyId =
        cli.run(
            List.of(
                "--name", "cm-api-busy-" + run,
                "--network", "none",
                "--cpus", "0.5",
                "--memory", "64m",
                "-e", "SECRET_TOKEN=" + secret),
            "sh",
            "-c",
            "yes >/dev/null");
    hostNetId =
        cli.run(
            List.of(
                "--name",
                "cm-api-sd-" + run,
                "--network",
                "host",
                "-e",
                "SECRET_TOKEN=" + secret,
                "-l",
                "prometheus.io/scrape=true",
                "-l",
                "prometheus.io/port=" + sdPort,
                "-l",
                "prometheus.io/path=/custom-metrics"),
            "sleep",
            "600");
    exitedId = cli.run(List.of("--name", "cm-api-exited-" + run, "--network", "none"), "true");
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> docker("inspect", "-f", "{{.State.Status}}", exitedId).equals("exited"));
    monitor = DockerMonitor.connect(DockerEndpoint.fromEnvironment());
    server = RestApi.builder(monitor).build().start(new InetSocketAddress("127.0.0.1", 0));
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> runLabelContainers("?all=true").size() == 3);
  }

  @AfterAll
  void stop() {
    try {
      if (server != null) {
        server.close();
      }
      if (monitor != null) {
        monitor.close();
      }
    } finally {
      cli.removeAll();
    }
  }

  private RawHttp.Response get(String target) throws IOException {
    return RawHttp.get(server.address(), target);
  }

  private JsonNode ok(String target) throws IOException {
    RawHttp.Response r = get(target);
    assertThat(r.status()).as(target + " -> " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private List<String> runLabelContainers(String query) throws IOException {
    String sep = query.isEmpty() ? "?" : "&";
    JsonNode list =
        ok("/api/containers" + query + sep + "label=" + cli.runLabel.replace("=", "%3D"));
    List<String> ids = new ArrayList<>();
    list.forEach(c -> ids.add(c.get("id").asText()));
    return ids;
  }

  @Test
  void listingMatchesDockerPs() throws IOException {
    String filter = "label=" + cli.runLabel;
    List<String> running =
        List.of(docker("ps", "-q", "--no-trunc", "--filter", filter).split("\\s+"));
    List<String> all = List.of(docker("ps", "-aq", "--no-trunc", "--filter", filter).split("\\s+"));
    assertThat(runLabelContainers("")).containsExactlyInAnyOrderElementsOf(running);
    assertThat(runLabelContainers("?all=true")).containsExactlyInAnyOrderElementsOf(all);
    assertThat(runLabelContainers("?state=exited")).containsExactly(exitedId);
    assertThat(runLabelContainers("?name=cm-api-busy")).containsExactly(busyId);

    JsonNode listed = ok("/api/containers?name=" + name(busyId));
    assertThat(listed).hasSize(1);
    JsonNode c = listed.get(0);
    assertThat(c.get("name").asText()).isEqualTo(name(busyId));
    assertThat(c.get("image").asText())
        .isEqualTo(docker("inspect", "-f", "{{.Config.Image}}", busyId));
    assertThat(c.get("state").asText()).isEqualTo("running");
    assertThat(c.get("limits").get("memoryLimitBytes").asLong())
        .isEqualTo(Long.parseLong(docker("inspect", "-f", "{{.HostConfig.Memory}}", busyId)));
    assertThat(c.get("limits").get("cpuLimitCores").asDouble()).isEqualTo(0.5);
    assertThat(c.get("labels").get(DockerCli.TEST_LABEL).asText()).isEqualTo("true");
  }

  private static String name(String id) {
    return docker("inspect", "-f", "{{.Name}}", id).substring(1);
  }

  @Test
  void detailsMatchDockerInspectByIdShortIdAndName() throws IOException {
    for (String ref : List.of(hostNetId, hostNetId.substring(0, 12), name(hostNetId))) {
      JsonNode d = ok("/api/containers/" + ref);
      assertThat(d.get("id").asText()).isEqualTo(hostNetId);
      assertThat(d.get("networkMode").asText())
          .isEqualTo(docker("inspect", "-f", "{{.HostConfig.NetworkMode}}", hostNetId));
      assertThat(d.get("pid").asLong())
          .isEqualTo(Long.parseLong(docker("inspect", "-f", "{{.State.Pid}}", hostNetId)));
      assertThat(d.get("command").toString()).contains("sleep", "600");
      assertThat(d.get("environmentNames").toString()).contains("SECRET_TOKEN");
    }
    assertThat(get("/api/containers/cm-api-no-such-container").status()).isEqualTo(404);
    assertThat(get("/api/containers/" + exitedId + "/stats").status()).isEqualTo(409);
  }

  @Test
  void statsAgreeWithDockerStats() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              JsonNode s = ok("/api/containers/" + busyId + "/stats");
              String[] cli =
                  docker("stats", "--no-stream", "--format", "{{.CPUPerc}}|{{.MemUsage}}", busyId)
                      .split("\\|");
              double cpu = Double.parseDouble(cli[0].replace("%", ""));
              assertThat(s.get("cpuPercent").asDouble()).isCloseTo(cpu, within(10.0));
              long mem = bytes(cli[1].split("/")[0].trim());
              long limit = bytes(cli[1].split("/")[1].trim());
              assertThat(s.get("memoryLimitBytes").asLong()).isEqualTo(limit);
              assertThat(s.get("memoryWorkingSetBytes").asLong())
                  .isCloseTo(mem, within(Math.max(mem / 10, 512 * 1024L)));
              assertThat(s.get("id").asText()).isEqualTo(busyId);
            });
  }

  /** Parses docker's {@code 1.5MiB}, {@code 64MiB}, {@code 812KiB}, {@code 0B}. */
  static long bytes(String s) {
    String[][] units = {{"GiB", "1073741824"}, {"MiB", "1048576"}, {"KiB", "1024"}, {"B", "1"}};
    for (String[] u : units) {
      if (s.endsWith(u[0])) {
        double v = Double.parseDouble(s.substring(0, s.length() - u[0].length()));
        return Math.round(v * Long.parseLong(u[1]));
      }
    }
    throw new IllegalArgumentException("unknown size " + s);
  }

  @Test
  void systemInfoMatchesDockerInfo() throws IOException {
    JsonNode s = ok("/api/system/info");
    String[] info =
        docker(
                "info",
                "--format",
                "{{.ServerVersion}}|{{.NCPU}}|{{.MemTotal}}|{{.KernelVersion}}|{{.Driver}}|{{.CgroupDriver}}|{{.CgroupVersion}}|{{.OSType}}")
            .split("\\|");
    assertThat(s.get("engineVersion").asText()).isEqualTo(info[0]);
    assertThat(s.get("cpus").asInt()).isEqualTo(Integer.parseInt(info[1]));
    assertThat(s.get("memoryBytes").asLong()).isEqualTo(Long.parseLong(info[2]));
    assertThat(s.get("kernelVersion").asText()).isEqualTo(info[3]);
    assertThat(s.get("storageDriver").asText()).isEqualTo(info[4]);
    assertThat(s.get("cgroupDriver").asText()).isEqualTo(info[5]);
    assertThat(s.get("cgroupVersion").asText()).isEqualTo(info[6]);
    assertThat(s.get("osType").asText()).isEqualTo(info[7]);
  }

  @Test
  void aggregateCountsOurRunningContainers() throws IOException {
    JsonNode a = ok("/api/stats/aggregate");
    assertThat(a.get("containers").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(a.get("memoryLimitBytes").asLong()).isGreaterThanOrEqualTo(64L << 20);
    assertThat(a.get("pids").asLong()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void serviceDiscoveryOffersTheHostNetworkContainer() throws IOException {
    JsonNode sd = ok("/api/sd");
    JsonNode ours = null;
    for (JsonNode g : sd) {
      if (g.get("labels").get("__meta_docker_container_id").asText().equals(hostNetId)) {
        ours = g;
      }
    }
    assertThat(ours).as(sd.toString()).isNotNull();
    assertThat(ours.get("targets").toString()).isEqualTo("[\"127.0.0.1:" + sdPort + "\"]");
    assertThat(ours.get("labels").get("__metrics_path__").asText()).isEqualTo("/custom-metrics");
    assertThat(ours.get("labels").get("container").asText()).isEqualTo(name(hostNetId));
    for (JsonNode g : sd) {
      assertThat(g.get("labels").get("__meta_docker_container_id").asText()).isNotEqualTo(busyId);
    }
  }

  @Test
  void healthIsHealthyWhileTheEngineAnswers() throws IOException {
    JsonNode h = ok("/health");
    assertThat(h.get("status").asText()).isEqualTo("healthy");
    assertThat(h.get("engine").get("up").asBoolean()).isTrue();
    assertThat(h.get("engine").get("endpoint").asText()).isEqualTo(monitor.endpoint().toString());
  }

  @Test
  void aPlantedSecretNeverLeavesTheProcess() throws IOException {
    // The plant worked: the engine itself does hold the value.
    assertThat(docker("inspect", "-f", "{{json .Config.Env}}", busyId)).contains(secret);
    List<String> targets = new ArrayList<>();
    for (String id : List.of(busyId, hostNetId, exitedId)) {
      targets.add("/api/containers/" + id);
      targets.add("/api/containers/" + name(id));
      targets.add("/api/containers/" + id + "/stats");
    }
    targets.addAll(
        List.of(
            "/health",
            "/api/containers",
            "/api/containers?all=true",
            "/api/system/info",
            "/api/stats/aggregate",
            "/api/sd",
            "/api/containers/" + secret,
            "/api/containers?name=" + secret));
    for (String t : targets) {
      RawHttp.Response r = get(t);
      assertThat(r.status()).as(t).isLessThan(500);
      if (t.contains(secret)) {
        continue; // the request itself carried it; only check the engine's data below
      }
      assertThat(r.body()).as(t).doesNotContain(secret);
      assertThat(r.headers().toString()).as(t).doesNotContain(secret);
    }
  }

  @Test
  void headWorksOnEveryEndpoint() throws IOException {
    for (String t :
        List.of(
            "/health",
            "/api/containers",
            "/api/containers/" + busyId,
            "/api/containers/" + busyId + "/stats",
            "/api/system/info",
            "/api/stats/aggregate",
            "/api/sd")) {
      RawHttp.Response r = RawHttp.send(server.address(), "HEAD", t, Map.of(), null);
      assertThat(r.status()).as(t).isEqualTo(200);
      assertThat(r.body()).isEmpty();
    }
  }

  @Test
  void anUnreachableEngineGives503NamingTheEndpoint() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String endpoint = "tcp://127.0.0.1:" + closedPort;
    try (DockerMonitor down = DockerMonitor.connect(DockerEndpoint.builder(endpoint).build());
        RestApiServer s =
            RestApi.builder(down).build().start(new InetSocketAddress("127.0.0.1", 0))) {
      RawHttp.Response health = RawHttp.get(s.address(), "/health");
      assertThat(health.status()).isEqualTo(503);
      JsonNode h = JSON.readTree(health.body());
      assertThat(h.get("status").asText()).isEqualTo("unhealthy");
      assertThat(h.get("engine").get("endpoint").asText()).isEqualTo(endpoint);
      for (String t : List.of("/api/containers", "/api/system/info", "/api/containers/x/stats")) {
        RawHttp.Response r = RawHttp.get(s.address(), t);
        assertThat(r.status()).as(t).isEqualTo(503);
        assertThat(r.body()).contains(endpoint).doesNotContain("Exception");
      }
    }
  }
}
