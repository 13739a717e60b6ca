package io.clustermonitor.core.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Starts and removes test containers with the docker CLI. Every container carries {@code
 * io.clustermonitor.test=true} and {@code io.clustermonitor.test.run=<run id>}; {@link #close()}
 * removes only the containers of this run.
 */
final class TestContainers implements AutoCloseable {
  static final String IMAGE =
      System.getenv().getOrDefault("CM_TEST_IMAGE", "cluster-monitor/busybox:test");
  static final String TEST_LABEL =
      System.getenv().getOrDefault("CM_TEST_LABEL", "io.clustermonitor.test");
  static final String RUN_LABEL = "io.clustermonitor.test.run";

  private final String runId;

  TestContainers(String owner) {
    this.runId = owner + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  String runId() {
    return runId;
  }

  /** A container name unique to this run. */
  String name(String suffix) {
    return runId + "-" + suffix;
  }

  /**
   * Runs {@code docker run -d --network none} with our labels, the extra labels and options, and
   * {@code command} (run by {@code sh -c}); returns the id.
   */
  String run(String name, Map<String, String> labels, List<String> options, String command) {
    List<String> args = new ArrayList<>(List.of("run", "-d", "--network", "none", "--name", name));
    args.addAll(List.of("--label", TEST_LABEL + "=true", "--label", RUN_LABEL + "=" + runId));
    labels.forEach((k, v) -> args.addAll(List.of("--label", k + "=" + v)));
    args.addAll(options);
    args.addAll(List.of(IMAGE, "sh", "-c", command));
    return docker(args.toArray(String[]::new)).strip();
  }

  /** Options for a health check run by {@code sh -c} every {@code interval}. */
  static List<String> healthCheck(String command, String interval, int retries) {
    return List.of(
        "--health-cmd",
        command,
        "--health-interval",
        interval,
        "--health-retries",
        Integer.toString(retries),
        "--health-timeout",
        "5s");
  }

  @Override
  public void close() {
    String ids = docker("ps", "-aq", "--filter", "label=" + RUN_LABEL + "=" + runId).strip();
    if (!ids.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f"));
      args.addAll(List.of(ids.split("\\s+")));
      docker(args.toArray(String[]::new));
    }
  }

  static String docker(String... args) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(command + " failed (" + p.exitValue() + "): " + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }
}
