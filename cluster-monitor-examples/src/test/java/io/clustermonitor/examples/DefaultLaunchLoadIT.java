package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.examples.api.DockerCli;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * {@code serve} as the README launches it (the build's {@code bin/cluster-monitor} launcher, its
 * JVM settings, nothing added) with a few running containers, under 100 concurrent keep-alive
 * clients for 10 s on {@code /api/containers} and {@code /metrics}: only 200s; the process's thread
 * and descriptor counts return to their baseline afterwards; its resident memory (now and at its
 * peak) stays below 256 MiB.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefaultLaunchLoadIT {
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final int CONTAINERS = 6;
  private static final int CLIENTS = 100;
  private static final Duration RUN = Duration.ofSeconds(10);
  private static final int MAX_REQUESTS_PER_CLIENT = 100_000;
  private static final long RSS_LIMIT_KIB = 256 * 1024;
  private static final int THREAD_TOLERANCE = 10;
  private static final int FD_TOLERANCE = 10;

  private final DockerCli cli = new DockerCli(DefaultLaunchLoadIT.class.getSimpleName());
  private final List<String> ids = new ArrayList<>();
  private Path dist;
  private Process serve;
  private Path log;
  private int port;

  @BeforeAll
  void start() throws Exception {
    for (int i = 0; i < CONTAINERS; i++) {
      ids.add(cli.run(List.of("--network", "none", "--memory", "32m"), "sleep", "600"));
    }
    dist = Files.createTempDirectory("cm-default-launch");
    // The build's layout (bin/cluster-monitor next to cluster-monitor.jar) in a directory of our
    // own, so the class-data sharing archive the launcher writes on a first run is ours alone.
    Files.createDirectories(dist.resolve("bin"));
    Path launcher = dist.resolve("bin/cluster-monitor");
    Files.copy(TARGET.resolve("bin/cluster-monitor"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(TARGET.resolve("cluster-monitor.jar"), dist.resolve("cluster-monitor.jar"));
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    log = dist.resolve("serve.log");
    ProcessBuilder pb =
        new ProcessBuilder(launcher.toString(), "serve", "--listen", "127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Map<String, String> env = pb.environment();
    env.put("JAVA_HOME", System.getProperty("java.home"));
    // Exactly the default launch: no user JVM options, no PostgreSQL or Redis collector.
    for (String v :
        List.of(
            "CLUSTER_MONITOR_OPTS",
            "JAVA_TOOL_OPTIONS",
            "JDK_JAVA_OPTIONS",
            "DATA_SOURCE_NAME",
            "DATA_SOURCE_URI",
            "REDIS_ADDR",
            "CLUSTER_MONITOR_LISTEN")) {
      env.remove(v);
    }
    serve = pb.start();
    // The launcher execs java: this process is the JVM itself.
    Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              assertThat(serve.isAlive()).as(Files.readString(log)).isTrue();
              String list = get("/api/containers").body();
              return ids.stream().allMatch(list::contains);
            });
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (serve != null) {
        serve.destroy();
        if (!serve.waitFor(30, TimeUnit.SECONDS)) {
          serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      try {
        cli.removeAll();
      } finally {
        if (dist != null) {
          try (Stream<Path> files = Files.walk(dist)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
    }
  }

  /** A field of {@code /proc/PID/status}, e.g. {@code Threads}, {@code VmRSS} (in kB). */
  private long status(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(serve.pid()), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    throw new AssertionError("no " + field + " in /proc/" + serve.pid() + "/status");
  }

  private long fds() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(serve.pid()), "fd"))) {
      return s.count();
    }
  }

  record Answer(int status, String body) {}

  /** One request on a new connection. */
  private Answer get(String path) throws IOException {
    try (KeepAlive c = new KeepAlive(port)) {
      return c.get(path);
    }
  }

  /**
   * A plain HTTP/1.1 client on one socket that keeps it open between requests (keep-alive is
   * exactly what is under test, so no client-side pool decides it).
   */
  static final class KeepAlive implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int port;

    KeepAlive(int port) throws IOException {
      this.port = port;
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout(30_000);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    Answer get(String path) throws IOException {
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String statusLine = line();
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("bad status line: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          close = true;
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (chunked) {
        for (long n = Long.parseLong(line().split(";")[0].trim(), 16);
            n > 0;
            n = Long.parseLong(line().split(";")[0].trim(), 16)) {
          copy(n, body);
          line();
        }
        for (String t = line(); !t.isEmpty(); t = line()) {
          // trailers
        }
      } else if (length >= 0) {
        copy(length, body);
      } else {
        throw new IOException("no length for a keep-alive answer: " + statusLine);
      }
      if (close) {
        throw new IOException("the server closed a keep-alive connection: " + statusLine);
      }
      return new Answer(status, body.toString(StandardCharsets.UTF_8));
    }

    private void copy(long n, ByteArrayOutputStream to) throws IOException {
      byte[] buf = new byte[8192];
      long left = n;
      while (left > 0) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          throw new IOException("connection closed mid-body");
        }
        to.write(buf, 0, r);
        left -= r;
      }
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      return sb.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void aHundredKeepAliveClientsGetOnly200sAndTheDefaultLaunchStaysSmallAndLeakFree()
      throws Exception {
    List<String> paths = List.of("/api/containers", "/metrics");
    for (String p : paths) {
      assertThat(get(p).status()).as(p).isEqualTo(200);
    }
    // Baseline once the warm-up's connections and pool threads are gone: two readings 2 s apart
    // that agree.
    long[] base = new long[2];
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              long t = status("Threads");
              long f = fds();
              boolean stable = Math.abs(t - base[0]) <= 1 && Math.abs(f - base[1]) <= 1;
              base[0] = t;
              base[1] = f;
              return stable;
            });
    long threadsBefore = status("Threads");
    long fdsBefore = fds();
    long rssBefore = status("VmRSS");

    Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    AtomicInteger failures = new AtomicInteger();
    List<String> failureSamples = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicLong peakThreads = new AtomicLong(threadsBefore);
    CountDownLatch done = new CountDownLatch(CLIENTS);
    long deadline = System.nanoTime() + RUN.toNanos();
    for (int i = 0; i < CLIENTS; i++) {
      String path = paths.get(i % paths.size());
      Thread t =
          new Thread(
              () -> {
                try (KeepAlive c = new KeepAlive(port)) {
                  for (int n = 0;
                      n < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < deadline;
                      n++) {
                    statuses
                        .computeIfAbsent(c.get(path).status(), k -> new AtomicLong())
                        .incrementAndGet();
                  }
                } catch (IOException e) {
                  failures.incrementAndGet();
                  if (failureSamples.size() < 5) {
                    failureSamples.add(e.toString());
                  }
                } finally {
                  done.countDown();
                }
              },
              "default-launch-client-" + i);
      t.setDaemon(true);
      t.start();
    }
    long peakFds = fdsBefore;
    while (!done.await(500, TimeUnit.MILLISECONDS)) {
      assertThat(System.nanoTime() - deadline)
          .as("clients still running 120 s after the end of the run")
          .isLessThan(Duration.ofSeconds(120).toNanos());
      if (serve.isAlive()) {
        peakThreads.accumulateAndGet(status("Threads"), Math::max);
        peakFds = Math.max(peakFds, fds());
      }
    }
    long rssAfterLoad = status("VmRSS");
    long hwm = status("VmHWM");
    long requests = statuses.values().stream().mapToLong(AtomicLong::get).sum();
    System.out.printf(
        "DefaultLaunchLoadIT: %d containers, %d clients x %d s: %d requests %s, %d client"
            + " failures %s; threads %d before, peak %d; fds %d before, peak %d;"
            + " VmRSS %d KiB before, %d KiB after the load; VmHWM %d KiB%n",
        CONTAINERS,
        CLIENTS,
        RUN.toSeconds(),
        requests,
        statuses,
        failures.get(),
        failureSamples,
        threadsBefore,
        peakThreads.get(),
        fdsBefore,
        peakFds,
        rssBefore,
        rssAfterLoad,
        hwm);

    assertThat(serve.isAlive()).as(Files.readString(log)).isTrue();
    assertThat(failures).as(failureSamples.toString()).hasValue(0);
    assertThat(statuses.keySet()).as(statuses.toString()).containsOnly(200);
    assertThat(requests).isGreaterThan(CLIENTS);
    assertThat(rssAfterLoad).as("VmRSS after the load, KiB").isLessThan(RSS_LIMIT_KIB);
    assertThat(hwm).as("VmHWM (peak RSS), KiB").isLessThan(RSS_LIMIT_KIB);

    long[] settled = new long[2];
    long t0 = System.nanoTime();
    Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              settled[0] = status("Threads");
              settled[1] = fds();
              assertThat(settled[0])
                  .as("threads")
                  .isLessThanOrEqualTo(threadsBefore + THREAD_TOLERANCE);
              assertThat(settled[1]).as("fds").isLessThanOrEqualTo(fdsBefore + FD_TOLERANCE);
            });
    long rssSettled = status("VmRSS");
    System.out.printf(
        "DefaultLaunchLoadIT: back to %d threads and %d fds after %d ms; VmRSS %d KiB%n",
        settled[0], settled[1], (System.nanoTime() - t0) / 1_000_000, rssSettled);
    assertThat(rssSettled).as("VmRSS after settling, KiB").isLessThan(RSS_LIMIT_KIB);
  }
}
