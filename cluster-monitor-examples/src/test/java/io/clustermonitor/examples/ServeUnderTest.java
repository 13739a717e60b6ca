package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import picocli.CommandLine;

/** {@code serve} run in-process on an ephemeral port; {@link #close()} stops it. */
final class ServeUnderTest implements AutoCloseable {
  final ServeCommand command = new ServeCommand();
  final StringWriter out = new StringWriter();
  private final ExecutorService pool =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "serve-under-test");
            t.setDaemon(true);
            return t;
          });
  private final Future<Integer> exit;
  final String base;

  ServeUnderTest(String... args) {
    command.env = Map.of();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    exit = pool.submit(() -> cl.execute(args));
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> out.toString().contains("/api/sd") || exit.isDone());
    Matcher m = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)").matcher(out.toString());
    assertThat(m.find()).as(out.toString()).isTrue();
    base = m.group(1);
  }

  static String dockerHost() {
    String h = System.getenv("DOCKER_HOST");
    return h == null || h.isBlank() ? "unix:///var/run/docker.sock" : h;
  }

  @Override
  public void close() throws ExecutionException, TimeoutException {
    command.running.stop();
    try {
      assertThat(exit.get(30, TimeUnit.SECONDS)).as(out.toString()).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping serve", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
