package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** 50 open {@code /api/stream} clients do not slow {@code /metrics} of {@code serve}. */
class WebViewStreamsIT {
  private static final int CLIENTS = 50;
  private static final int SCRAPES = 15;

  private static long scrape(URI base) throws Exception {
    long t0 = System.nanoTime();
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(
          "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      byte[] all = s.getInputStream().readAllBytes();
      assertThat(new String(all, 0, 12, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
    }
    return System.nanoTime() - t0;
  }

  private static double median(URI base) throws Exception {
    long[] t = new long[SCRAPES];
    for (int i = 0; i < SCRAPES; i++) {
      t[i] = scrape(base);
    }
    Arrays.sort(t);
    return t[SCRAPES / 2] / 1e6;
  }

  @Test
  void fiftyStreamsDoNotSlowMetrics() throws Exception {
    try (ServeUnderTest serve =
        new ServeUnderTest(
            "--listen", "127.0.0.1:0", "--docker-host", ServeUnderTest.dockerHost())) {
      URI base = URI.create(serve.base);
      scrape(base); // warm-up: first scrape loads classes
      scrape(base);
      double without = median(base);
      List<Socket> streams = new ArrayList<>();
      List<Thread> readers = new ArrayList<>();
      AtomicLong bytes = new AtomicLong();
      try {
        for (int i = 0; i < CLIENTS; i++) {
          Socket s = new Socket(base.getHost(), base.getPort());
          s.setSoTimeout(120_000);
          s.getOutputStream()
              .write(
                  "GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                      .getBytes(StandardCharsets.US_ASCII));
          streams.add(s);
          Thread r =
              new Thread(
                  () -> {
                    byte[] buf = new byte[16384];
                    try (InputStream in = s.getInputStream()) {
                      int n;
                      while ((n = in.read(buf)) > 0) {
                        bytes.addAndGet(n);
                      }
                    } catch (Exception e) {
                      // closed by the test
                    }
                  },
                  "stream-reader-" + i);
          r.setDaemon(true);
          r.start();
          readers.add(r);
        }
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(60))
            .until(() -> bytes.get() > CLIENTS * 200L);
        double with = median(base);
        System.out.printf(
            "/metrics median without streams %.1f ms, with %d streams %.1f ms%n",
            without, CLIENTS, with);
        // generous: a shared, noisy 2-core machine
        assertThat(with).isLessThan(Math.max(4 * without, without + 250));
      } finally {
        for (Socket s : streams) {
          s.close();
        }
        for (Thread r : readers) {
          r.join(10_000);
        }
      }
    }
  }
}
