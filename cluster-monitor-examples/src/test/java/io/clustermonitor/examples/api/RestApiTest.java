package io.clustermonitor.examples.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RestApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> SCRAPE =
      Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "9100", "tier", "web");

  private FakeDockerMonitor docker;
  private RestApiServer server;

  @BeforeEach
  void setUp() throws IOException {
    docker =
        new FakeDockerMonitor()
            .add(1, "web-1", ContainerState.RUNNING, SCRAPE, "host")
            .add(2, "db", ContainerState.EXITED, Map.of("tier", "db"), "none")
            .add(
                3,
                "web-2",
                ContainerState.RUNNING,
                Map.of(
                    "prometheus.io/scrape", "true",
                    "prometheus.io/port", "8080",
                    "prometheus.io/path", "/custom",
                    "tier", "web"),
                "bridge")
            .add(
                4,
                "broken",
                ContainerState.RUNNING,
                Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "99999"),
                "host");
    server = start(RestApi.builder(docker));
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  private RestApiServer start(RestApi.Builder b) throws IOException {
    return b.clock(Clock.fixed(FakeDockerMonitor.T0, ZoneOffset.UTC))
        .build()
        .start(new InetSocketAddress("127.0.0.1", 0));
  }

  private RawHttp.Response get(String target) throws IOException {
    return RawHttp.get(server.address(), target);
  }

  private JsonNode json(RawHttp.Response r) throws IOException {
    assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    return JSON.readTree(r.body());
  }

  private List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get("name").asText()));
    return out;
  }

  @Test
  void listsRunningContainersNewestFirstByDefault() throws IOException {
    RawHttp.Response r = get("/api/containers");
    assertThat(r.status()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(names(body)).containsExactly("broken", "web-2", "web-1");
    JsonNode web1 = body.get(2);
    assertThat(web1.get("id").asText()).isEqualTo(FakeDockerMonitor.hexId(1));
    assertThat(web1.get("shortId").asText()).isEqualTo(FakeDockerMonitor.hexId(1).substring(0, 12));
    assertThat(web1.get("state").asText()).isEqualTo("running");
    assertThat(web1.get("createdAt").asText()).isEqualTo("2026-01-01T00:00:01Z");
    assertThat(web1.get("labels").get("tier").asText()).isEqualTo("web");
    assertThat(web1.get("limits").get("cpuLimitCores").asDouble()).isEqualTo(0.5);
    assertThat(web1.get("limits").get("memoryLimitBytes").asLong()).isEqualTo(64L << 20);
    assertThat(web1.get("limits").get("memoryLimited").asBoolean()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/containers?all=true|broken,web-2,db,web-1",
        "/api/containers?all=1|broken,web-2,db,web-1",
        "/api/containers?all=false|broken,web-2,web-1",
        "/api/containers?state=exited|db",
        "/api/containers?state=exited,running|broken,web-2,db,web-1",
        "/api/containers?state=exited&state=running|broken,web-2,db,web-1",
        "/api/containers?name=web|web-2,web-1",
        "/api/containers?name=%2Fweb-1|web-1",
        "/api/containers?name=.*|''",
        "/api/containers?label=tier=web|web-2,web-1",
        "/api/containers?label=tier&all=true|web-2,db,web-1",
        "/api/containers?label=tier=db&all|db",
        "/api/containers?label=tier=web&label=prometheus.io/path=/custom|web-2",
        "/api/containers?name=web&label=tier%3Dweb&state=running|web-2,web-1",
      })
  void filtersTheListByAllNameLabelAndState(String target, String expected) throws IOException {
    RawHttp.Response r = get(target);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(","));
    assertThat(names(json(r))).containsExactlyElementsOf(want);
  }

  @Test
  void answersListsAndStatsFromTheSnapshotWithoutCallingTheEngine() throws IOException {
    for (String p :
        List.of("/api/containers", "/api/containers/web-1/stats", "/api/stats/aggregate")) {
      assertThat(get(p).status()).isEqualTo(200);
    }
    assertThat(docker.engineCalls.get()).isZero();
  }

  @Test
  void resolvesDetailsByFullIdShortIdAndNameWithoutEnvironmentValues() throws IOException {
    String id = FakeDockerMonitor.hexId(3);
    for (String ref : List.of(id, id.substring(0, 12), "03", "web-2", "%2Fweb-2")) {
      RawHttp.Response r = get("/api/containers/" + ref);
      assertThat(r.status()).as(ref).isEqualTo(200);
      JsonNode d = json(r);
      assertThat(d.get("id").asText()).isEqualTo(id);
      assertThat(d.get("networkMode").asText()).isEqualTo("bridge");
      assertThat(d.get("environmentNames").toString()).isEqualTo("[\"PATH\",\"SECRET_TOKEN\"]");
      assertThat(d.has("env")).isFalse();
      assertThat(d.has("environment")).isFalse();
    }
  }

  @Test
  void detailsOfAContainerNewerThanTheSnapshotComeFromTheEngine() throws IOException {
    docker.add(9, "fresh", ContainerState.RUNNING, Map.of(), "none");
    docker.containers.removeIf(c -> c.name().equals("fresh"));
    String id = FakeDockerMonitor.hexId(9);
    assertThat(json(get("/api/containers/" + id)).get("name").asText()).isEqualTo("fresh");
    assertThat(get("/api/containers/never-existed").status()).isEqualTo(404);
    assertThat(get("/api/containers/fresh/stats").status()).isEqualTo(404);
  }

  @Test
  void servesStatsOfARunningContainer() throws IOException {
    JsonNode s = json(get("/api/containers/web-2/stats"));
    assertThat(s.get("id").asText()).isEqualTo(FakeDockerMonitor.hexId(3));
    assertThat(s.get("cpuPercent").asDouble()).isEqualTo(37.5);
    assertThat(s.get("memoryWorkingSetBytes").asLong()).isEqualTo(8L << 20);
    assertThat(s.get("memoryLimitBytes").asLong()).isEqualTo(64L << 20);
    assertThat(s.get("memoryLimited").isBoolean()).isTrue();
    assertThat(s.get("memoryLimited").asBoolean()).isTrue();
    assertThat(s.get("memoryPercent").asDouble()).isEqualTo(12.5);
    assertThat(s.get("networkReceiveBytes").asLong()).isEqualTo(100);
    assertThat(s.get("networkTransmitBytes").asLong()).isEqualTo(200);
    assertThat(s.get("pids").asLong()).isEqualTo(3);
  }

  @Test
  void askingForStatsOfAStoppedContainerIsAConflict() throws IOException {
    RawHttp.Response r = get("/api/containers/db/stats");
    assertThat(r.status()).isEqualTo(409);
    assertThat(json(r).get("error").asText()).isEqualTo("not_running");
  }

  @Test
  void fallsBackToOneEngineCallWhenARunningContainerHasNoStatsYet() throws IOException {
    String id = FakeDockerMonitor.hexId(1);
    var st = docker.stats.remove(id);
    docker.stats.put("other", st);
    RawHttp.Response r = get("/api/containers/web-1/stats");
    // the fake answers stats only by the key it stored, so the engine call fails with 404
    assertThat(r.status()).isEqualTo(404);
    assertThat(docker.engineCalls.get()).isEqualTo(1);
  }

  @Test
  void aggregatesTheRunningContainersStats() throws IOException {
    JsonNode a = json(get("/api/stats/aggregate"));
    assertThat(a.get("containers").asInt()).isEqualTo(3);
    assertThat(a.get("cpuPercent").asDouble()).isEqualTo(12.5 * (1 + 3 + 4));
    assertThat(a.get("memoryWorkingSetBytes").asLong()).isEqualTo(3 * (8L << 20));
    assertThat(a.get("pids").asLong()).isEqualTo(9);
  }

  @Test
  void servesSystemInfo() throws IOException {
    JsonNode s = json(get("/api/system/info"));
    assertThat(s.get("engineVersion").asText()).isEqualTo("20.10.24");
    assertThat(s.get("cpus").asInt()).isEqualTo(2);
    assertThat(s.get("cgroupVersion").asText()).isEqualTo("1");
  }

  @Test
  void serviceDiscoveryListsOptedInContainersWithReachableAddresses() throws IOException {
    JsonNode sd = json(get("/api/sd"));
    assertThat(sd).hasSize(2);
    JsonNode web2 = sd.get(0);
    assertThat(web2.get("targets").toString()).isEqualTo("[\"127.0.0.1:18080\"]");
    assertThat(web2.get("labels").get("__metrics_path__").asText()).isEqualTo("/custom");
    assertThat(web2.get("labels").get("container").asText()).isEqualTo("web-2");
    JsonNode web1 = sd.get(1);
    assertThat(web1.get("targets").toString()).isEqualTo("[\"127.0.0.1:9100\"]");
    assertThat(web1.get("labels").get("__metrics_path__").asText()).isEqualTo("/metrics");
    assertThat(web1.get("labels").get("__meta_docker_container_id").asText())
        .isEqualTo(FakeDockerMonitor.hexId(1));
  }

  @Test
  void serviceDiscoveryAddressRulesCoverHostNetworkPublishedPortsAndNeither() {
    assertThat(ServiceDiscovery.address("host", List.of(), 9100)).isEqualTo("127.0.0.1:9100");
    assertThat(ServiceDiscovery.address("bridge", List.of("0.0.0.0:1234->80/tcp"), 80))
        .isEqualTo("127.0.0.1:1234");
    assertThat(ServiceDiscovery.address("bridge", List.of(":::1234->80/tcp"), 80))
        .isEqualTo("127.0.0.1:1234");
    assertThat(ServiceDiscovery.address("bridge", List.of("10.1.2.3:1234->80/tcp"), 80))
        .isEqualTo("10.1.2.3:1234");
    assertThat(ServiceDiscovery.address("bridge", List.of("0.0.0.0:1234->80/udp"), 80)).isNull();
    assertThat(ServiceDiscovery.address("none", List.of(), 80)).isNull();
    assertThat(ServiceDiscovery.port("0")).isEqualTo(-1);
    assertThat(ServiceDiscovery.port("65536")).isEqualTo(-1);
    assertThat(ServiceDiscovery.port("8080 ")).isEqualTo(8080);
    assertThat(ServiceDiscovery.port("80; rm")).isEqualTo(-1);
  }

  @Test
  void healthIsHealthyWithEngineDetails() throws IOException {
    RawHttp.Response r = get("/health");
    assertThat(r.status()).isEqualTo(200);
    JsonNode h = json(r);
    assertThat(h.get("status").asText()).isEqualTo("healthy");
    assertThat(h.get("timestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(h.get("engine").get("up").asBoolean()).isTrue();
    assertThat(h.get("engine").get("running").asInt()).isEqualTo(3);
    assertThat(h.get("engine").get("statsSource").asText()).isEqualTo("cgroup");
  }

  @Test
  void healthIsUnhealthyAndNamesTheEndpointWhenTheEngineIsDown() throws IOException {
    docker.engineUp = false;
    RawHttp.Response r = get("/health");
    assertThat(r.status()).isEqualTo(503);
    JsonNode h = json(r);
    assertThat(h.get("status").asText()).isEqualTo("unhealthy");
    assertThat(h.get("engine").get("endpoint").asText()).isEqualTo("tcp://127.0.0.1:2375");
    assertThat(h.get("message").asText()).contains("tcp://127.0.0.1:2375");

    docker.throwOnSnapshot = true;
    RawHttp.Response thrown = get("/health");
    assertThat(thrown.status()).isEqualTo(503);
    assertThat(json(thrown).get("engine").get("error").asText()).contains("connection refused");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/containers",
        "/api/containers/web-1",
        "/api/containers/web-1/stats",
        "/api/system/info",
        "/api/stats/aggregate",
        "/api/sd"
      })
  void everyApiEndpointAnswers503WhenTheEngineIsDown(String path) throws IOException {
    docker.engineUp = false;
    RawHttp.Response r = get(path);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Retry-After")).isEqualTo("5");
    JsonNode e = json(r);
    assertThat(e.get("error").asText()).isEqualTo("engine_unavailable");
    assertThat(e.get("message").asText()).contains("tcp://127.0.0.1:2375");
    docker.throwOnSnapshot = true;
    assertThat(get(path).status()).isEqualTo(503);
  }

  @Test
  void anUnexpectedFailureIsAGeneric500WithoutDetail() throws IOException {
    docker.failure = () -> new IllegalStateException("boom with internal detail /etc/secret");
    RawHttp.Response r = get("/api/containers");
    assertThat(r.status()).isEqualTo(500);
    assertThat(json(r).get("message").asText()).isEqualTo("Internal server error");
    assertThat(r.body()).doesNotContain("boom", "/etc/secret", "Exception", "\tat ", "java.");
  }

  @Test
  void anyOtherEngineFailureIsA502WithoutDetail() throws IOException {
    docker.failure =
        () -> new io.clustermonitor.core.ClusterMonitorException("engine sent garbage at /x/y");
    RawHttp.Response r = get("/api/containers/web-1");
    assertThat(r.status()).isEqualTo(502);
    JsonNode e = json(r);
    assertThat(e.get("error").asText()).isEqualTo("engine_error");
    assertThat(e.get("message").asText()).contains("tcp://127.0.0.1:2375");
    assertThat(r.body()).doesNotContain("garbage", "/x/y");
  }

  @Test
  void headAnswersLikeGetWithoutABody() throws IOException {
    RawHttp.Response r = RawHttp.send(server.address(), "HEAD", "/api/containers", Map.of(), null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(r.body()).isEmpty();
    assertThat(RawHttp.send(server.address(), "HEAD", "/api/containers/nope", Map.of(), null))
        .extracting(RawHttp.Response::status, RawHttp.Response::body)
        .containsExactly(404, "");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "POST",
        "PUT",
        "DELETE",
        "PATCH",
        "OPTIONS",
        "TRACE",
        "CONNECT",
        "PROPFIND",
        "FOO",
        "get"
      })
  void everyOtherMethodIs405WithAnAllowHeader(String method) throws IOException {
    for (String path : List.of("/api/containers", "/api/containers/web-1", "/health", "/x")) {
      RawHttp.Response r =
          RawHttp.send(
              server.address(), method, path, Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
      if (method.equals("CONNECT")) {
        // CONNECT takes host:port, not a path: the HTTP layer rejects the request line itself.
        assertThat(r.status()).as(method + " " + path).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("bad_request");
        continue;
      }
      assertThat(r.status()).as(method + " " + path).isEqualTo(405);
      assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
      assertThat(json(r).get("error").asText()).isEqualTo("method_not_allowed");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // path traversal
        "/api/containers/../system/info|400",
        "/api/containers/..|400",
        "/api/containers/%2e%2e|400",
        "/api/containers/%2e%2e%2fsystem%2finfo|400",
        "/api/containers/..%2F..%2Fetc%2Fpasswd|400",
        "/api/../../etc/passwd|400", // escapes the root: rejected by the HTTP layer
        "/api/containers/web-1/../../system/info|404",
        // encoded slashes and NUL
        "/api/containers/web%2F1|400",
        "/api/containers/web%5C1|400",
        "/api/containers/a%20b|400",
        "/api/containers/web-1%00|400",
        "/api/containers/%00|400",
        "/api/containers/web-1%0d%0aX-Injected:%201|400",
        // malformed escapes in the path
        "/api/containers/%C3%28|400",
        // unicode
        "/api/containers/%E2%98%83|400",
        "/api/containers/w%C3%A9b|400",
        "/api/containers/%F0%9F%92%A5/stats|400",
        // ids: empty, too long, bad characters, unknown, ambiguous
        "/api/containers/|400",
        "/api/containers/-rf|400",
        "/api/containers/.hidden|400",
        "/api/containers/web_1;ls|400",
        "/api/containers/nope|404",
        "/api/containers/deadbeef|404",
        "/api/containers/0|400",
        "/api/containers/web-1/logs|404",
        "/api/containers/web-1/stats/x|404",
        // query injection and malformed query strings
        "/api/containers?all=true;rm%20-rf|400",
        "/api/containers?state=running'%20OR%20'1'='1|400",
        "/api/containers?name=web&admin=1|400",
        "/api/containers?name=%00|400",
        "/api/containers?name=%0A|400",
        "/api/containers?name=%C3|400",
        "/api/containers?=x|400",
        "/api/containers?all=maybe|400",
        "/api/containers?all=1&all=0|400",
        "/api/containers?name=a&name=b|400",
        "/api/containers?label==x|400",
        "/api/containers?state=zombie|400",
        "/api/containers?name=(a%2B)%2B$|200",
        "/api/system/info?x=1|400",
        "/health?verbose=1|400",
        // unknown paths
        "/containers|404", // "/" is the web view (LiveViewTest)
        "/api|404",
        "/api/|404",
        "/api/containerz|404",
        "/API/containers|404",
        "/api/system|404",
        "/metrics|404",
      })
  void badInputGetsAClearJsonError(String target, int status) throws IOException {
    RawHttp.Response r = get(target);
    assertThat(r.status()).as(target + " -> " + r.body()).isEqualTo(status);
    JsonNode body = json(r);
    if (status >= 400) {
      assertThat(body.get("status").asInt()).isEqualTo(status);
      assertThat(body.get("error").asText()).isNotBlank();
      assertThat(body.get("message").asText()).isNotBlank();
    }
    assertThat(r.body()).doesNotContain("Exception", "\tat ");
    assertThat(r.headers().keySet()).doesNotContain("x-injected");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/containers/%zz",
        "/api/containers/web%",
        "/api/containers?name=%",
        "/api/containers?name=%G1",
        "/api/containers?name=%%",
        "/api/containers/web-1\u0000",
        "/api/containers/\u2603",
        "/api/containers?name=a\u0000b",
      })
  void targetsThatAreNoValidUriAreRejectedBeforeTheApiWithAPlain400(String target)
      throws IOException {
    RawHttp.Response r = get(target);
    assertThat(r.status()).as(target).isEqualTo(400);
    assertThat(r.body()).doesNotContain("\tat ", "java.", "Exception:");
  }

  @Test
  void anIdOf10KilobytesIsRejectedAsTooLongAndAnIdOver128CharactersAs400() throws IOException {
    RawHttp.Response huge = get("/api/containers/" + "a".repeat(10_240));
    assertThat(huge.status()).isEqualTo(414);
    assertThat(json(huge).get("error").asText()).isEqualTo("uri_too_long");
    RawHttp.Response longId = get("/api/containers/" + "a".repeat(300));
    assertThat(longId.status()).isEqualTo(400);
    assertThat(json(longId).get("error").asText()).isEqualTo("invalid_id");
    RawHttp.Response longQuery = get("/api/containers?name=" + "x".repeat(10_240));
    assertThat(longQuery.status()).isEqualTo(414);
  }

  @Test
  void aRequestBodyOverTheLimitIs413AndAnyBodyOnGetIs400() throws IOException {
    RawHttp.Response r =
        RawHttp.send(server.address(), "GET", "/api/containers", Map.of(), new byte[64 * 1024]);
    assertThat(r.status()).isEqualTo(413);
    assertThat(json(r).get("error").asText()).isEqualTo("payload_too_large");
    RawHttp.Response small =
        RawHttp.send(server.address(), "GET", "/api/containers", Map.of(), new byte[10]);
    assertThat(small.status()).isEqualTo(400);
    assertThat(json(small).get("error").asText()).isEqualTo("bad_request");
  }

  @Test
  void aBearerTokenIsRequiredWhenConfiguredExceptOnHealth() throws IOException {
    server.close();
    server = start(RestApi.builder(docker).bearerToken("s3cret-token"));
    assertThat(get("/health").status()).isEqualTo(200);
    RawHttp.Response none = get("/api/containers");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(json(none).get("error").asText()).isEqualTo("unauthorized");
    for (String bad :
        List.of(
            "Bearer wrong", "Bearer s3cret-toke", "Bearer s3cret-token2", "Basic czNjcmV0", "")) {
      assertThat(
              RawHttp.send(server.address(), "GET", "/api/sd", Map.of("Authorization", bad), null)
                  .status())
          .as(bad)
          .isEqualTo(401);
    }
    for (String good : List.of("Bearer s3cret-token", "bearer s3cret-token")) {
      assertThat(
              RawHttp.send(server.address(), "GET", "/api/sd", Map.of("Authorization", good), null)
                  .status())
          .isEqualTo(200);
    }
  }

  @Test
  void healthCanBeClosedToo() throws IOException {
    server.close();
    server = start(RestApi.builder(docker).bearerToken("t0ken").healthOpen(false));
    assertThat(get("/health").status()).isEqualTo(401);
  }

  @Test
  void noCorsHeadersUnlessAnOriginIsAllowed() throws IOException {
    RawHttp.Response r =
        RawHttp.send(
            server.address(),
            "GET",
            "/api/containers",
            Map.of("Origin", "https://evil.example"),
            null);
    assertThat(r.headers().keySet()).noneMatch(h -> h.startsWith("access-control"));
    RawHttp.Response preflight =
        RawHttp.send(
            server.address(),
            "OPTIONS",
            "/api/containers",
            Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "GET"),
            null);
    assertThat(preflight.status()).isEqualTo(405);
  }

  @Test
  void corsAllowsOnlyListedOrigins() throws IOException {
    server.close();
    server = start(RestApi.builder(docker).corsOrigins(List.of("https://grafana.example")));
    RawHttp.Response ok =
        RawHttp.send(
            server.address(),
            "GET",
            "/api/containers",
            Map.of("Origin", "https://grafana.example"),
            null);
    assertThat(ok.header("Access-Control-Allow-Origin")).isEqualTo("https://grafana.example");
    RawHttp.Response other =
        RawHttp.send(
            server.address(),
            "GET",
            "/api/containers",
            Map.of("Origin", "https://evil.example"),
            null);
    assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    RawHttp.Response preflight =
        RawHttp.send(
            server.address(),
            "OPTIONS",
            "/api/containers",
            Map.of("Origin", "https://grafana.example", "Access-Control-Request-Method", "GET"),
            null);
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD");
    RawHttp.Response deletePreflight =
        RawHttp.send(
            server.address(),
            "OPTIONS",
            "/api/containers",
            Map.of("Origin", "https://grafana.example", "Access-Control-Request-Method", "DELETE"),
            null);
    assertThat(deletePreflight.status()).isEqualTo(405);
  }

  @Test
  void requestsBeyondTheConcurrencyCapGet503() throws Exception {
    server.close();
    server = start(RestApi.builder(docker).maxConcurrentRequests(2));
    CountDownLatch release = new CountDownLatch(1);
    docker.block = release;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<RawHttp.Response>> blocked = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        blocked.add(pool.submit(() -> get("/api/containers")));
      }
      // both slots taken (probing earlier could take a slot and turn a blocked request away)
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> docker.blockedCalls.get() == 2);
      assertThat(get("/api/sd").status()).isEqualTo(503);
      RawHttp.Response over = get("/api/system/info");
      assertThat(over.status()).isEqualTo(503);
      assertThat(over.header("Retry-After")).isEqualTo("1");
      assertThat(json(over).get("error").asText()).isEqualTo("overloaded");
      docker.block = null;
      release.countDown();
      for (Future<RawHttp.Response> f : blocked) {
        assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
      assertThat(get("/api/containers").status()).isEqualTo(200);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void mountsNextToOtherHandlersOnASharedServer() throws IOException {
    server.close();
    server = null;
    ExporterServer.Builder shared =
        ExporterServer.builder().handler("/metrics", request -> WebResponse.text(200, "up 1\n"));
    RestApi.builder(docker).build().contexts().forEach(shared::handler);
    try (ExporterServer s = shared.start()) {
      InetSocketAddress a = new InetSocketAddress("127.0.0.1", s.port());
      assertThat(RawHttp.get(a, "/metrics").body()).isEqualTo("up 1\n");
      assertThat(RawHttp.get(a, "/health").status()).isEqualTo(200);
      assertThat(RawHttp.get(a, "/api/containers").status()).isEqualTo(200);
    }
  }

  @Test
  void theHandlerServesFromAnyServerThroughTheWebRequestSeam() {
    WebResponse r =
        RestApi.builder(docker)
            .build()
            .handler()
            .handle(WebRequest.of("GET", "/api/containers?all=true", Map.of()));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(r.bodyText()).contains("web-1", "db");
  }

  @Test
  void builderRejectsBadSettings() {
    RestApi.Builder b = RestApi.builder(docker);
    assertThatThrownBy(() -> b.bearerToken(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxConcurrentRequests(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxUriLength(10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.corsOrigins(List.of("evil.example")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("evil.example");
    assertThatThrownBy(() -> RestApi.builder(null)).isInstanceOf(NullPointerException.class);
  }
}
