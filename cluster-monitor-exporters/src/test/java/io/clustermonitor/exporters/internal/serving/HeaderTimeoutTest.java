package io.clustermonitor.exporters.internal.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The header timeout on a real Jetty connector: it checks only while a connection is open. */
class HeaderTimeoutTest {
  private Server server;
  private HeaderTimeout timeout;
  private int port;

  @BeforeEach
  void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    timeout = new HeaderTimeout(Duration.ofMillis(400));
    connector.addBean(timeout);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(
              org.eclipse.jetty.server.Request request,
              org.eclipse.jetty.server.Response response,
              org.eclipse.jetty.util.Callback callback) {
            callback.succeeded();
            return true;
          }
        });
    server.start();
    timeout.start(server.getScheduler());
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    timeout.stop();
    server.stop();
  }

  @Test
  void checksOnlyWhileAConnectionIsOpen() throws Exception {
    assertThat(timeout.checking()).as("no connection, nothing scheduled").isFalse();
    try (Socket s = new Socket("127.0.0.1", port)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> timeout.watched() == 1);
      assertThat(timeout.checking()).as("armed by %s", s).isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> timeout.watched() == 0);
    await()
        .atMost(Duration.ofSeconds(10))
        .alias("the check stops once the last connection closed")
        .until(() -> !timeout.checking());
    // a connection opened after that re-arms it, and a slow one is still closed
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(200);
      s.getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ".getBytes(StandardCharsets.US_ASCII));
      assertThat(closedWithin(s, Duration.ofSeconds(15)))
          .as("closed by the header timeout")
          .isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> !timeout.checking());
  }

  @Test
  void stoppedItSchedulesNothing() throws Exception {
    timeout.stop();
    try (Socket s = new Socket("127.0.0.1", port)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> timeout.watched() == 1);
      assertThat(timeout.checking()).as("not armed by %s", s).isFalse();
    }
  }

  private static boolean closedWithin(Socket s, Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    InputStream in;
    try {
      in = s.getInputStream();
    } catch (IOException e) {
      return true;
    }
    while (System.nanoTime() < end) {
      try {
        s.getOutputStream().write('a'); // one header byte at a time: never complete
        if (in.read() < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        // still open
      } catch (IOException e) {
        return true;
      }
    }
    return false;
  }
}
