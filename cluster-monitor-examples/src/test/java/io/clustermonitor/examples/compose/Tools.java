package io.clustermonitor.examples.compose;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds and runs the command-line tools the compose checks need (promtool, amtool, docker-compose).
 */
final class Tools {

  /** The result of one finished command. */
  record Result(int exitCode, String output) {}

  private Tools() {}

  /** True when a missing tool or service must fail the test (CI), false when it may skip it. */
  static boolean required() {
    return "true".equals(System.getenv("CI")) || "1".equals(System.getenv("CM_REQUIRE_SERVICES"));
  }

  /** The path of {@code name} on PATH or in /usr/bin; skips (or fails under CI) when absent. */
  static Path require(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : (path + ":/usr/bin:/usr/sbin").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String message = name + " is not installed (scripts/test.sh installs it)";
    if (required()) {
      fail(message);
    }
    Assumptions.abort(message);
    throw new AssertionError(message);
  }

  /** Runs a command to completion (merged stdout and stderr), killing it after {@code timeout}. */
  static Result run(Path workDir, Duration timeout, Map<String, String> env, List<String> command) {
    Path log;
    Process p;
    try {
      log = Files.createTempFile("cm-tool", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().putAll(env);
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command, e);
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command + " did not finish within " + timeout);
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the output of " + command, e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // a leftover temp file is harmless
      }
    }
  }

  static Result run(Path workDir, List<String> command) {
    return run(workDir, Duration.ofMinutes(2), Map.of(), command);
  }
}
