package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/** {@code serve} run in-process on an ephemeral port; {@link #close()} stops it, expecting 0. */
final class ServeUnderTest implements AutoCloseable {
  final ServeCommand command = new ServeCommand();
  private final BackgroundCommand run;
  final String base;

  ServeUnderTest(String... args) {
    this(Map.of(), args);
  }

  /** Starts serve with {@code env} in place of the process environment. */
  ServeUnderTest(Map<String, String> env, String... args) {
    command.env = env;
    run = BackgroundCommand.start(command, command.running::stop, args);
    try {
      // the URL line comes first, /api/sd last in the list of endpoints
      base =
          run.awaitOut(
              Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)[\\s\\S]*/api/sd"),
              Duration.ofSeconds(90));
    } catch (RuntimeException | Error e) {
      run.close();
      throw e;
    }
  }

  static String dockerHost() {
    String h = System.getenv("DOCKER_HOST");
    return h == null || h.isBlank() ? "unix:///var/run/docker.sock" : h;
  }

  /** Everything serve printed so far, stdout then stderr. */
  String out() {
    return run.out() + run.err();
  }

  @Override
  public void close() throws ExecutionException, TimeoutException {
    try {
      assertThat(run.stopAndAwaitExit(Duration.ofSeconds(30))).as(out()).isZero();
    } finally {
      run.close();
    }
  }
}
