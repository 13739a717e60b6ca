package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
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

/**
 * A long-running picocli command started in this JVM on a daemon thread, with its stdout and stderr
 * captured; {@link #close()} stops it through the command's own stop hook.
 */
final class BackgroundCommand implements AutoCloseable {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final ExecutorService pool =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "command-under-test");
            t.setDaemon(true);
            return t;
          });
  private final Runnable stop;
  private final Future<Integer> exit;

  private BackgroundCommand(Object command, Runnable stop, String... args) {
    this.stop = stop;
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    this.exit = pool.submit(() -> cl.execute(args));
  }

  /** Starts {@code command} with {@code args}; {@code stop} ends its serving loop. */
  static BackgroundCommand start(Object command, Runnable stop, String... args) {
    return new BackgroundCommand(command, stop, args);
  }

  /**
   * Waits (up to {@code timeout}) until stdout matches {@code pattern}, and returns its first
   * group; fails with both outputs when the command ends or the time is up first.
   */
  String awaitOut(Pattern pattern, Duration timeout) {
    Awaitility.await()
        .atMost(timeout)
        .until(() -> pattern.matcher(out.toString()).find() || exit.isDone());
    Matcher m = pattern.matcher(out.toString());
    assertThat(m.find()).as("out: %s%nerr: %s", out, err).isTrue();
    return m.group(1);
  }

  /** Stops the command and returns its exit code (waiting up to {@code timeout}). */
  int stopAndAwaitExit(Duration timeout) throws ExecutionException, TimeoutException {
    stop.run();
    try {
      return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the command", e);
    }
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  @Override
  public void close() {
    stop.run();
    pool.shutdownNow();
  }
}
