package io.clustermonitor.exporters.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebServerTest {
  private final List<WebServer> servers = new ArrayList<>();

  @AfterEach
  void close() {
    servers.forEach(WebServer::close);
  }

  private WebServer start(WebServer.Builder b) {
    WebServer s = b.start();
    servers.add(s);
    return s;
  }

  private static String raw(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        if (out.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
          break;
        }
      }
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static String get(int port, String host) throws IOException {
    return raw(port, "GET /x HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
  }

  @Test
  void aLoopbackBindAnswersOnlyLoopbackHostNamesAndTheAllowList() throws Exception {
    WebServer s =
        start(
            WebServer.builder()
                .listen("127.0.0.1", 0)
                .allowedHosts(Set.of("Metrics.Example"))
                .handler(r -> WebResponse.text(200, "ok")));
    int port = s.ports().get(0);
    assertThat(get(port, "127.0.0.1:" + port)).startsWith("HTTP/1.1 200");
    assertThat(get(port, "localhost")).startsWith("HTTP/1.1 200");
    assertThat(get(port, "[::1]:" + port)).startsWith("HTTP/1.1 200");
    assertThat(get(port, "metrics.example:" + port)).startsWith("HTTP/1.1 200");
    String evil = get(port, "evil.example:" + port);
    assertThat(evil).startsWith("HTTP/1.1 421");
    assertThat(evil).doesNotContain("Exception", "jetty");
  }

  @Test
  void pastTheConcurrencyLimitRequestsGet503WithRetryAfter() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    WebServer s =
        start(
            WebServer.builder()
                .listen("127.0.0.1", 0)
                .limits(ServerLimits.builder().maxConcurrentRequests(1).build())
                .handler(
                    r -> {
                      entered.countDown();
                      try {
                        release.await(30, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return WebResponse.text(200, "done");
                    }));
    int port = s.ports().get(0);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> uncheckedGet(port));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    String over = get(port, "127.0.0.1");
    assertThat(over).startsWith("HTTP/1.1 503").contains("Retry-After: 1");
    release.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
  }

  private static String uncheckedGet(int port) {
    try {
      return get(port, "127.0.0.1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aHandlerOverTheRequestTimeLimitGetsItsClientA503InTime() throws Exception {
    WebServer s =
        start(
            WebServer.builder()
                .listen("127.0.0.1", 0)
                .limits(ServerLimits.builder().requestTimeout(Duration.ofMillis(300)).build())
                .handler(
                    r -> {
                      try {
                        Thread.sleep(5_000);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return WebResponse.text(200, "late");
                    }));
    long t0 = System.nanoTime();
    assertThat(get(s.ports().get(0), "127.0.0.1")).startsWith("HTTP/1.1 503");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void aClientSlowerThanTheHeaderTimeoutIsDisconnected() throws Exception {
    WebServer s =
        start(
            WebServer.builder()
                .listen("127.0.0.1", 0)
                .limits(ServerLimits.builder().headerReadTimeout(Duration.ofMillis(500)).build())
                .handler(r -> WebResponse.text(200, "ok")));
    try (Socket sock = new Socket("127.0.0.1", s.ports().get(0))) {
      sock.setSoTimeout(200);
      sock.getOutputStream().write("GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ".getBytes());
      long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      boolean closed = false;
      while (!closed && System.nanoTime() < end) {
        try {
          sock.getOutputStream().write('a');
          closed = sock.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
          // still open
        } catch (IOException e) {
          closed = true;
        }
      }
      assertThat(closed).as("closed by the header timeout").isTrue();
    }
  }

  @Test
  void bodiesOnGetAreRefusedAndLargeBodiesAre413() throws Exception {
    WebServer s =
        start(WebServer.builder().listen("127.0.0.1", 0).handler(r -> WebResponse.text(200, "ok")));
    int port = s.ports().get(0);
    assertThat(raw(port, "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc"))
        .startsWith("HTTP/1.1 400");
    assertThat(raw(port, "POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999\r\n\r\n"))
        .startsWith("HTTP/1.1 413");
    assertThat(raw(port, "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n"))
        .startsWith("HTTP/1.1 400")
        .doesNotContain("NumberFormat");
  }

  @Test
  void limitsComeFromTheEnvironmentAndBadValuesNameTheVariable() {
    ServerLimits l =
        ServerLimits.fromEnvironment(
            Map.of(
                "CM_WEB_HEADER_TIMEOUT", "2s",
                "CM_WEB_MAX_CONCURRENT", "7",
                "CM_WEB_MAX_BODY_BYTES", "0"));
    assertThat(l.headerReadTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(l.maxConcurrentRequests()).isEqualTo(7);
    assertThat(l.maxBodyBytes()).isZero();
    assertThat(l.idleTimeout()).isEqualTo(ServerLimits.defaults().idleTimeout());
    assertThatThrownBy(() -> ServerLimits.fromEnvironment(Map.of("CM_WEB_IDLE_TIMEOUT", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CM_WEB_IDLE_TIMEOUT");
    assertThatThrownBy(() -> ServerLimits.fromEnvironment(Map.of("CM_WEB_MAX_CONNECTIONS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConnections");
  }
}
