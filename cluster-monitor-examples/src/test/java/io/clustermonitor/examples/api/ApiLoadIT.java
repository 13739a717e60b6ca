package io.clustermonitor.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** 100 concurrent clients for 10 s against the real engine: only 200s, no leaks afterwards. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiLoadIT {
  private static final int CLIENTS = 100;
  private static final Duration RUN = Duration.ofSeconds(10);
  private static final int MAX_REQUESTS_PER_CLIENT = 100_000;

  private final DockerCli cli = new DockerCli("ApiLoadIT");
  private DockerMonitor monitor;
  private String id;

  @BeforeAll
  void start() {
    id = cli.run(List.of("--network", "none", "--memory", "32m"), "sleep", "600");
    monitor = DockerMonitor.connect(DockerEndpoint.fromEnvironment());
  }

  @AfterAll
  void stop() {
    try {
      if (monitor != null) {
        monitor.close();
      }
    } finally {
      cli.removeAll();
    }
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static long openFiles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** TCP connections on the server's port that still hold a socket (ESTABLISHED, CLOSE_WAIT). */
  private static long openConnections(int port) throws IOException {
    String hexPort = String.format(":%04X", port);
    long n = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p)) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[1].endsWith(hexPort) && (f[3].equals("01") || f[3].equals("08"))) {
          n++;
        }
      }
    }
    return n;
  }

  private static int status(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
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
  void hundredConcurrentClientsForTenSecondsGetOnly200sAndLeakNothing() throws Exception {
    try (RestApiServer server =
        RestApi.builder(monitor).build().start(new InetSocketAddress("127.0.0.1", 0))) {
      runLoad(server);
    }
  }

  private void runLoad(RestApiServer server) throws Exception {
    String base = "http://127.0.0.1:" + server.address().getPort();
    List<String> paths =
        List.of(
            "/api/containers",
            "/api/containers/" + id + "/stats",
            "/api/containers/" + id,
            "/api/stats/aggregate",
            "/api/sd",
            "/health");
    // Warm up: the engine's cache is filled and our container has stats.
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status(base + "/api/containers/" + id + "/stats") == 200);
    int threadsBefore = threads();
    long filesBefore = openFiles();

    Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    // Details call the engine: they run in the engine bulkhead, whose deadline and size may turn a
    // slow (loaded) engine's answers into 503/504 by design. Everything else is answered from
    // memory and must be 200.
    String engineBound = "/api/containers/" + id;
    Map<Integer, AtomicLong> engineStatuses = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(CLIENTS);
    long deadline = System.nanoTime() + RUN.toNanos();
    for (int i = 0; i < CLIENTS; i++) {
      int client = i;
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int n = 0;
                      n < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < deadline;
                      n++) {
                    int code;
                    String path = paths.get((client + n) % paths.size());
                    try {
                      code = status(base + path);
                    } catch (IOException e) {
                      code = -1;
                    }
                    (path.equals(engineBound) ? engineStatuses : statuses)
                        .computeIfAbsent(code, k -> new AtomicLong())
                        .incrementAndGet();
                  }
                } finally {
                  done.countDown();
                }
              },
              "load-client-" + i);
      t.setDaemon(true);
      t.start();
    }
    assertThat(done.await(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(statuses.keySet()).as(statuses.toString()).containsOnly(200);
    assertThat(engineStatuses.keySet()).as(engineStatuses.toString()).contains(200);
    assertThat(engineStatuses.keySet()).as(engineStatuses.toString()).isSubsetOf(200, 503, 504);
    assertThat(statuses.get(200).get()).isGreaterThan(CLIENTS);
    // The server keeps running: its idle threads time out and every connection to it is closed
    // (none left ESTABLISHED or CLOSE_WAIT). Other descriptors may grow only by the engine
    // client's bounded connection pool, never per request.
    int port = server.address().getPort();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(threads()).isLessThanOrEqualTo(threadsBefore + 5);
              assertThat(openConnections(port)).isZero();
              assertThat(openFiles()).isLessThanOrEqualTo(filesBefore + 64);
            });
  }
}
