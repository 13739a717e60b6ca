package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.core.livetest.TestPostgres;
import io.clustermonitor.examples.api.DockerCli;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code serve} against the real engine, PostgreSQL and Redis; and without an engine at first. */
class ServeCommandIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String PG_HOST = TestPostgres.HOST;
  static final String PG_PORT = TestPostgres.PORT;
  static final String PG_USER = TestPostgres.USER;
  static final String PG_PASSWORD = TestPostgres.PASSWORD;
  static final String PG_DB = TestPostgres.DB;
  private static final String REDIS_HOST = env("CM_TEST_REDIS_HOST", "127.0.0.1");
  private static final String REDIS_PORT = env("CM_TEST_REDIS_PORT", "56379");

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheApiAndEveryCollectorOnOnePort() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put(
        "DATA_SOURCE_NAME",
        "postgresql://"
            + PG_USER
            + ":"
            + PG_PASSWORD
            + "@"
            + PG_HOST
            + ":"
            + PG_PORT
            + "/"
            + PG_DB
            + "?sslmode=disable");
    env.put("REDIS_ADDR", "redis://" + REDIS_HOST + ":" + REDIS_PORT);
    DockerCli cli = new DockerCli("ServeCommandIT");
    try (ServeUnderTest serve = new ServeUnderTest(env, "--listen", "127.0.0.1:0")) {
      String id = cli.run(List.of("--network", "none", "--memory", "32m"), "sleep", "600");
      assertThat(serve.out()).contains("/metrics", "/health", "/api/containers");
      assertThat(serve.out()).doesNotContain(PG_PASSWORD);
      // 503 "starting" until the engine's first sync, then healthy
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(serve.base + "/health").statusCode() == 200);
      // the list answers 503 until the registry's first sync, which a loaded engine delays
      HttpResponse<String> list =
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> get(serve.base + "/api/containers"), r -> r.statusCode() != 503);
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.headers().firstValue("Content-Type"))
          .hasValue("application/json; charset=utf-8");
      assertThat(get(serve.base + "/api/sd").statusCode()).isEqualTo(200);
      // every collector up: a loaded PostgreSQL or engine may need a few scrapes
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                HttpResponse<String> metrics = get(serve.base + "/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body())
                    .contains("node_load1 ", "node_cpu_seconds_total{")
                    .contains("cluster_monitor_engine_up 1")
                    .contains("pg_up 1")
                    .contains("redis_up 1")
                    .doesNotContain(PG_PASSWORD);
              });
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  Pattern.compile(
                          "(?m)^container_memory_working_set_bytes\\{[^}]*id=\"/docker/"
                              + id
                              + "\"")
                      .matcher(get(serve.base + "/metrics").body())
                      .find());
      RawStatus delete = RawStatus.of(serve.base, "DELETE", "/api/containers");
      assertThat(delete.status()).isEqualTo(405);
    } finally {
      cli.removeAll();
    }
  }

  /** Minimal method-agnostic request (HttpClient refuses none, but keeps the test explicit). */
  private record RawStatus(int status) {
    static RawStatus of(String base, String method, String path) throws Exception {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .method(method, HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new RawStatus(r.statusCode());
    }
  }

  @Test
  void startsWithoutAnEngineServesHostMetricsAndPicksTheEngineUpWhenItAppears() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String endpoint = "tcp://127.0.0.1:" + port;
    try (ServeUnderTest serve =
        new ServeUnderTest(Map.of(), "--listen", "127.0.0.1:0", "--docker-host", endpoint)) {
      HttpResponse<String> health = get(serve.base + "/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("\"unhealthy\"", endpoint);
      HttpResponse<String> metrics = get(serve.base + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("node_load1 ", "cluster_monitor_engine_up 0");
      assertThat(get(serve.base + "/api/containers").statusCode()).isEqualTo(503);

      try (SocketForwarder engine = new SocketForwarder(port, Path.of("/var/run/docker.sock"))) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> get(serve.base + "/health").statusCode() == 200);
        assertThat(get(serve.base + "/api/containers").statusCode()).isEqualTo(200);
        assertThat(engine.connections()).isPositive();
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> get(serve.base + "/metrics").body().contains("cluster_monitor_engine_up 1"));
      }
    }
  }

  /** Forwards a loopback TCP port to the engine's unix socket, so the engine can "appear". */
  static final class SocketForwarder implements AutoCloseable {
    private final ServerSocketChannel server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<SocketChannel> open = new ArrayList<>();

    int connections() {
      synchronized (open) {
        return open.size() / 2;
      }
    }

    SocketForwarder(int port, Path socket) throws IOException {
      server = ServerSocketChannel.open();
      server.bind(new InetSocketAddress("127.0.0.1", port));
      pool.submit(
          () -> {
            while (server.isOpen()) {
              SocketChannel client;
              try {
                client = server.accept();
              } catch (IOException e) {
                return null;
              }
              SocketChannel engine = SocketChannel.open(StandardProtocolFamily.UNIX);
              engine.connect(UnixDomainSocketAddress.of(socket));
              synchronized (open) {
                open.add(client);
                open.add(engine);
              }
              pool.submit(() -> pump(client, engine));
              pool.submit(() -> pump(engine, client));
            }
            return null;
          });
    }

    private static Void pump(SocketChannel from, SocketChannel to) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      try {
        while (from.read(buf) >= 0) {
          buf.flip();
          while (buf.hasRemaining()) {
            to.write(buf);
          }
          buf.clear();
        }
        to.shutdownOutput();
      } catch (IOException e) {
        // either side closed
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (open) {
        for (SocketChannel c : open) {
          c.close();
        }
      }
      pool.shutdownNow();
    }
  }
}
