package io.clustermonitor.examples.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermonitor.core.model.ContainerState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web view's backend over a fake engine: history, the stream, the pages. */
class LiveViewTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private FakeDockerMonitor docker;
  private RestApi api;
  private RestApiServer server;

  @BeforeEach
  void setUp() throws IOException {
    docker =
        new FakeDockerMonitor()
            .add(1, "web-1", ContainerState.RUNNING, Map.of("tier", "web"), "host")
            .add(2, "db", ContainerState.EXITED, Map.of(), "none");
    start(RestApi.builder(docker).streams(8, Duration.ofMillis(200)));
  }

  private void start(RestApi.Builder b) throws IOException {
    api = b.history(Duration.ofMillis(100), Duration.ofMinutes(1), 1 << 20).build();
    server = api.start(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private RawHttp.Response get(String target) throws IOException {
    return RawHttp.get(server.address(), target);
  }

  @Test
  void aClosedMonitorStopsTheViewInsteadOfFailingEveryRound() {
    await().atMost(Duration.ofSeconds(10)).until(() -> docker.snapshots.get() > 1);
    docker.markClosed();
    int failedOnce = docker.snapshots.get() + 1;
    await().atMost(Duration.ofSeconds(10)).until(() -> docker.snapshots.get() >= failedOnce);
    int frozen = docker.snapshots.get();
    // at a 100 ms interval a running poller would have asked about ten more times
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> docker.snapshots.get() == frozen);
  }

  @Test
  void historyIsColumnarAndBadInputIsAClearJson4xx() throws IOException {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                JSON.readTree(get("/api/containers/web-1/history").body()).get("samples").asInt()
                    > 0);
    JsonNode h = JSON.readTree(get("/api/containers/web-1/history?window=30s&points=100").body());
    assertThat(h.get("id").asText()).isEqualTo(FakeDockerMonitor.hexId(1));
    assertThat(h.get("tracked").asBoolean()).isTrue();
    assertThat(h.get("time").size()).isEqualTo(h.get("samples").asInt());
    assertThat(h.get("cpuPercent").get(0).asDouble()).isEqualTo(12.5);
    assertThat(h.get("memoryWorkingSetBytes").get(0).asLong()).isEqualTo(8L << 20);
    assertThat(h.get("events").get(0).get("kind").asText()).isEqualTo("seen");
    // a stopped container: known, no samples
    JsonNode db = JSON.readTree(get("/api/containers/db/history").body());
    assertThat(db.get("samples").asInt()).isZero();
    assertThat(db.get("tracked").asBoolean()).isFalse();

    for (String[] bad :
        new String[][] {
          {"/api/containers/nope/history", "404", "not_found"},
          {"/api/containers/web-1/history?window=abc", "400", "bad_request"},
          {"/api/containers/web-1/history?window=2h", "400", "bad_request"},
          {"/api/containers/web-1/history?window=0s", "400", "bad_request"},
          {"/api/containers/web-1/history?points=1", "400", "bad_request"},
          {"/api/containers/web-1/history?points=99999999", "400", "bad_request"},
          {"/api/containers/web-1/history?points=5&points=6", "400", "bad_request"},
          {"/api/containers/web-1/history?since=1", "400", "bad_request"},
          {"/api/containers/bad%20id/history", "400", "invalid_id"},
          {"/api/stream?x=1", "400", "bad_request"},
        }) {
      RawHttp.Response r = get(bad[0]);
      assertThat(r.status()).as(bad[0]).isEqualTo(Integer.parseInt(bad[1]));
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.get("error").asText()).as(bad[0]).isEqualTo(bad[2]);
      assertThat(r.body()).doesNotContain("Exception");
    }
  }

  /** An open stream on a raw socket, read until its first event. */
  private Socket openStream(String token) throws IOException {
    Socket s = new Socket("127.0.0.1", server.address().getPort());
    s.setSoTimeout(30_000);
    OutputStream out = s.getOutputStream();
    out.write(
        ("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  private static String readUntil(Socket s, String marker) throws IOException {
    InputStream in = s.getInputStream();
    StringBuilder sb = new StringBuilder();
    byte[] buf = new byte[8192];
    while (!sb.toString().contains(marker)) {
      int n;
      try {
        n = in.read(buf);
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError("no '" + marker + "' within 30 s; got: " + sb, e);
      }
      if (n < 0) {
        break;
      }
      sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      if (sb.length() > 1 << 20) {
        break;
      }
    }
    return sb.toString();
  }

  @Test
  void streamSendsHelloUpdatesAndHeartbeats() throws IOException {
    try (Socket s = openStream(null)) {
      String head = readUntil(s, "event: update");
      assertThat(head).startsWith("HTTP/1.1 200");
      assertThat(head).containsIgnoringCase("Content-Type: text/event-stream");
      assertThat(head).doesNotContainIgnoringCase("Content-Length");
      assertThat(head).contains("retry: 2000").contains("event: hello").contains("\"spark\"");
      assertThat(head).contains("\"name\":\"web-1\"").contains("\"cpuPercent\":12.5");
      assertThat(api.streamClients()).isEqualTo(1);
    }
  }

  @Test
  void anEngineThatGoesDownIsSaidSoOnTheStreamAndHistoryAnswers503() throws IOException {
    try (Socket s = openStream(null)) {
      assertThat(readUntil(s, "event: update")).contains("\"up\":true");
      docker.engineUp = false;
      String down = readUntil(s, "connection refused");
      assertThat(down).contains("\"up\":false").contains("\"containers\":[]");
      RawHttp.Response h = get("/api/containers/web-1/history");
      assertThat(h.status()).isEqualTo(503);
      assertThat(JSON.readTree(h.body()).get("error").asText()).isEqualTo("engine_unavailable");
      docker.engineUp = true;
      assertThat(readUntil(s, "\"name\":\"web-1\"")).contains("\"up\":true");
    }
  }

  @Test
  void withNobodyWatchingTheHelloOfTheNextClientCarriesTheLatestRound() throws IOException {
    // no stream is open: rounds broadcast nothing, and the hello is built from the last round
    docker.engineUp = false;
    int seen = docker.snapshots.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> docker.snapshots.get() >= seen + 2);
    try (Socket s = openStream(null)) {
      String hello = readUntil(s, "\n\n");
      assertThat(hello).contains("event: hello").contains("\"up\":false");
      assertThat(hello).contains("\"containers\":[]").doesNotContain("\"name\":\"web-1\"");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> api.streamClients() == 0);
    docker.engineUp = true;
    int back = docker.snapshots.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> docker.snapshots.get() >= back + 2);
    try (Socket s = openStream(null)) {
      String hello = readUntil(s, "\"spark\"");
      assertThat(hello).contains("\"up\":true").contains("\"name\":\"web-1\"");
    }
  }

  private static long fds() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    }
  }

  @Test
  void clientsThatDisconnectLeakNothing() throws Exception {
    // warm up one stream so lazily created server threads and buffers are in the baseline
    try (Socket s = openStream(null)) {
      readUntil(s, "event: hello");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> api.streamClients() == 0);
    long fdBase = fds();
    int threadBase = Thread.activeCount();
    for (int round = 0; round < 5; round++) {
      List<Socket> clients = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Socket s = openStream(null);
        readUntil(s, "event: hello");
        clients.add(s);
      }
      assertThat(api.streamClients()).isEqualTo(8);
      for (Socket s : clients) {
        s.setSoLinger(true, 0); // reset, as a killed browser tab does
        s.close();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> api.streamClients() == 0);
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(fds()).isLessThanOrEqualTo(fdBase + 3);
              assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadBase + 3);
            });
    assertThat(get("/health").status()).isEqualTo(200);
  }

  @Test
  void theCapIsAJson503AndFreesUpWhenClientsLeave() throws IOException {
    List<Socket> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        Socket s = openStream(null);
        readUntil(s, "event: hello");
        clients.add(s);
      }
      RawHttp.Response full = get("/api/stream");
      assertThat(full.status()).isEqualTo(503);
      assertThat(full.headers()).containsKey("retry-after");
      assertThat(JSON.readTree(full.body()).get("error").asText()).isEqualTo("too_many_streams");
    } finally {
      for (Socket s : clients) {
        s.close();
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> api.streamClients() == 0);
    try (Socket s = openStream(null)) {
      assertThat(readUntil(s, "event: hello")).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void withATokenTheStreamAndHistoryNeedItButThePagesDoNot() throws IOException {
    tearDown();
    start(RestApi.builder(docker).bearerToken("s3cret"));
    assertThat(get("/api/stream").status()).isEqualTo(401);
    assertThat(get("/api/containers/web-1/history").status()).isEqualTo(401);
    try (Socket s = openStream("s3cret")) {
      assertThat(readUntil(s, "event: hello")).startsWith("HTTP/1.1 200");
    }
    RawHttp.Response page = get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).doesNotContain("s3cret");
  }

  @Test
  void pagesAreStaticWithAStrictPolicyAndNoInlineScript() throws IOException {
    for (String p :
        List.of("/", "/containers/web-1", "/containers/" + FakeDockerMonitor.hexId(1))) {
      RawHttp.Response r = get(p);
      assertThat(r.status()).as(p).isEqualTo(200);
      assertThat(r.headers().get("content-type")).startsWith("text/html");
      String csp = r.headers().get("content-security-policy");
      assertThat(csp).contains("default-src 'none'").contains("script-src 'self'");
      assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
      assertThat(r.headers().get("x-frame-options")).isEqualTo("DENY");
      // every <script> has a src and no body
      assertThat(r.body().replaceAll("<script src=\"/static/[A-Za-z.]+\" defer></script>", ""))
          .doesNotContain("<script");
      assertThat(r.body()).doesNotContainPattern(" on[a-z]+=").doesNotContain("style=");
    }
    for (String a :
        List.of(
            "/static/common.js",
            "/static/index.js",
            "/static/container.js",
            "/static/app.css",
            "/static/uPlot.iife.min.js",
            "/static/uPlot.min.css")) {
      RawHttp.Response r = get(a);
      assertThat(r.status()).as(a).isEqualTo(200);
      assertThat(r.headers().get("x-content-type-options")).isEqualTo("nosniff");
    }
    assertThat(get("/static/uPlot.iife.min.js").body()).contains("uPlot");
    assertThat(get("/static/../pom.xml").status()).isIn(400, 404);
    assertThat(get("/static/nope.js").status()).isEqualTo(404);
    assertThat(get("/containers/bad%20name").status()).isEqualTo(400);
    assertThat(get("/containers/").status()).isEqualTo(400);
  }
}
