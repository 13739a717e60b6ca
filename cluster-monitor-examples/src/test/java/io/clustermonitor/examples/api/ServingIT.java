package io.clustermonitor.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.container.ContainerCollector;
import io.clustermonitor.exporters.web.ServerLimits;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The serving layer against the real engine and real sockets, on the three kinds of server we run:
 * the REST API alone ({@code api-proxy}), an exporter ({@code container-exporter}) and the
 * all-in-one ({@code serve}: API, {@code /health} and {@code /metrics} on one port). Hostile
 * clients: early closers, slowloris, malformed requests, a keep-alive flood. The node, postgres and
 * redis exporters get the same bad-input table ({@link BadInputs}) next to the Go exporters in
 * {@code ExportersBadInputIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServingIT {
  private final DockerCli cli = new DockerCli("ServingIT");
  private DockerMonitor monitor;
  private RestApi rest;
  private String id;
  private ExporterServer serve;
  private RestApiServer api;
  private ExporterServer exporter;

  @BeforeAll
  void start() {
    id = cli.run(List.of("--network", "none", "--memory", "32m"), "sleep", "600");
    monitor = DockerMonitor.connect(DockerEndpoint.fromEnvironment());
    // A short header timeout so the slowloris test sees the connections closed within its run.
    ServerLimits limits = ServerLimits.builder().headerReadTimeout(Duration.ofSeconds(3)).build();
    rest = RestApi.builder(monitor).limits(limits).build();
    ExporterServer.Builder b =
        ExporterServer.builder()
            .limits(limits)
            .errorBodies(RestApi.errorBodies())
            .register(ContainerCollector.builder(monitor).build());
    rest.contexts().forEach(b::handler);
    serve = b.start();
    try {
      api = rest.start(new InetSocketAddress("127.0.0.1", 0));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    exporter =
        ExporterServer.builder()
            .limits(limits)
            .register(ContainerCollector.builder(monitor).build())
            .start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status(serve.port(), "/api/containers/" + id + "/stats") == 200);
  }

  @AfterAll
  void stop() {
    try {
      for (AutoCloseable c : new AutoCloseable[] {serve, api, exporter, rest, monitor}) {
        if (c != null) {
          try {
            c.close();
          } catch (Exception e) {
            // keep closing the rest
          }
        }
      }
    } finally {
      cli.removeAll();
    }
  }

  private static long openFiles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static int status(int port, String path) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(30_000);
    try {
      int code = c.getResponseCode();
      try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (in != null) {
          in.readAllBytes();
        }
      }
      return code;
    } finally {
      c.disconnect();
    }
  }

  @Test
  void aThousandClientsThatCloseBeforeTheAnswerLeakNoFileDescriptor() throws Exception {
    for (String path :
        List.of("/health", "/api/containers", "/api/containers/" + id + "/stats", "/metrics")) {
      // Settle first: earlier tests' connections must be gone before the baseline is taken.
      long settled = openFiles();
      Awaitility.await()
          .pollDelay(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(30))
          .until(() -> Math.abs(openFiles() - settled) <= 2);
      long baseline = openFiles();
      byte[] request =
          ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 1000; i++) {
        try (Socket s = new Socket("127.0.0.1", serve.port())) {
          s.getOutputStream().write(request);
          s.getOutputStream().flush();
        }
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(openFiles()).as(path).isLessThanOrEqualTo(baseline + 10));
      assertThat(status(serve.port(), path)).as(path).isEqualTo(200);
    }
  }

  /** One slow client: sends a request line, then one header byte a second, forever. */
  private static final class Slow {
    final Socket socket;
    volatile boolean closedByServer;

    Slow(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(1);
      socket
          .getOutputStream()
          .write(
              "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                  .getBytes(StandardCharsets.UTF_8));
    }

    void drip() {
      if (closedByServer) {
        return;
      }
      try {
        socket.getOutputStream().write('a');
        socket.getOutputStream().flush();
        int r = socket.getInputStream().read();
        if (r < 0) {
          closedByServer = true;
        }
      } catch (SocketTimeoutException e) {
        // nothing to read: still open
      } catch (IOException e) {
        closedByServer = true;
      }
    }
  }

  @Test
  void twoHundredSlowlorisConnectionsDoNotStopHealthAndAreClosedByTheHeaderTimeout()
      throws Exception {
    List<Slow> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        slow.add(new Slow(serve.port()));
      }
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      long worstMillis = 0;
      int probes = 0;
      while (System.nanoTime() < end) {
        slow.forEach(Slow::drip);
        long t0 = System.nanoTime();
        assertThat(status(serve.port(), "/health")).isEqualTo(200);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        worstMillis = Math.max(worstMillis, ms);
        probes++;
        Thread.sleep(500);
      }
      assertThat(probes).isGreaterThan(10);
      assertThat(worstMillis).as("slowest /health during the attack, ms").isLessThan(1000);
      // The header timeout is 3 s: every slow connection has been closed by the server by now.
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                slow.forEach(Slow::drip);
                assertThat(slow.stream().filter(s -> s.closedByServer).count()).isEqualTo(200);
              });
    } finally {
      for (Slow s : slow) {
        s.socket.close();
      }
    }
  }

  @Test
  void theBadInputTableGetsA4xxWithoutClassNamesFromEveryServer() throws Exception {
    record Server(String name, int port, String path, String contentType) {}
    List<Server> servers =
        List.of(
            new Server("api-proxy", api.address().getPort(), "/api/containers", "application/json"),
            new Server("serve", serve.port(), "/api/containers", "application/json"),
            new Server("serve /metrics", serve.port(), "/metrics", null),
            new Server("container-exporter", exporter.port(), "/metrics", "text/plain"));
    for (Server s : servers) {
      for (BadInputs.Row row : BadInputs.table(s.path())) {
        String what = s.name() + ": " + row.name();
        String answer = BadInputs.send(s.port(), row);
        assertThat(answer).as(what).startsWith("HTTP/1.1 4");
        String lower = answer.toLowerCase(Locale.ROOT);
        if (s.contentType() != null) {
          assertThat(lower).as(what).contains("content-type: " + s.contentType());
        }
        assertThat(answer)
            .as(what)
            .doesNotContain("Exception", "java.", "org.eclipse", "\tat ", "jetty");
        int bodyStart = answer.indexOf("\r\n\r\n");
        assertThat(bodyStart).as(what).isPositive();
        assertThat(answer.substring(bodyStart + 4)).as(what).isNotBlank();
      }
    }
  }

  @Test
  void aHundredKeepAliveClientsForTenSecondsGetOnly200sAndLeaveNoThreadsOrFiles() throws Exception {
    List<String> paths = List.of("/api/containers", "/metrics");
    // warm up every path once, so lazily created pools exist before the baseline
    for (String p : paths) {
      assertThat(status(serve.port(), p)).isEqualTo(200);
    }
    int threadsBefore = threads();
    long filesBefore = openFiles();
    Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(100);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (int i = 0; i < 100; i++) {
      String path = paths.get(i % paths.size());
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int n = 0; n < 100_000 && System.nanoTime() < deadline; n++) {
                    try {
                      statuses
                          .computeIfAbsent(status(serve.port(), path), k -> new AtomicLong())
                          .incrementAndGet();
                    } catch (IOException e) {
                      failures.incrementAndGet();
                    }
                  }
                } finally {
                  done.countDown();
                }
              },
              "keepalive-client-" + i);
      t.setDaemon(true);
      t.start();
    }
    assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
    assertThat(failures).hasValue(0);
    assertThat(statuses.keySet()).containsOnly(200);
    assertThat(statuses.get(200).get()).isGreaterThan(100);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(threads()).isLessThanOrEqualTo(threadsBefore + 10);
              assertThat(openFiles()).isLessThanOrEqualTo(filesBefore + 10);
            });
  }
}
