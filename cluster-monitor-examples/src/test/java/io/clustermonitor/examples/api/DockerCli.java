package io.clustermonitor.examples.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI for tests: starts containers carrying {@code io.clustermonitor.test=true} and a
 * label unique to one test run, and removes only those.
 */
public final class DockerCli {
  public static final String IMAGE =
      System.getenv().getOrDefault("CM_TEST_IMAGE", "cluster-monitor/busybox:test");
  public static final String TEST_LABEL =
      System.getenv().getOrDefault("CM_TEST_LABEL", "io.clustermonitor.test");

  public final String runLabel;

  public DockerCli(String testClass) {
    this.runLabel = "io.clustermonitor.test.run=" + testClass + "-" + UUID.randomUUID();
  }

  /** Runs {@code docker args...} and returns stdout, trimmed; fails on a non-zero exit. */
  public static String docker(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("docker");
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      String text = new String(out, StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(cmd + " exited " + p.exitValue() + ": " + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + cmd, e);
    }
  }

  /** {@code docker run -d} with both test labels plus {@code options}, then the command. */
  public String run(List<String> options, String... command) {
    List<String> args =
        new ArrayList<>(List.of("run", "-d", "-l", TEST_LABEL + "=true", "-l", runLabel));
    args.addAll(options);
    args.add(IMAGE);
    args.addAll(List.of(command));
    return docker(args.toArray(String[]::new));
  }

  /** Removes this run's containers (and only those). */
  public void removeAll() {
    String ids = docker("ps", "-aq", "--filter", "label=" + runLabel);
    // One at a time: concurrent exits can deadlock dockerd 20.10.24 (moby#46661).
    for (String id : ids.strip().split("\\s+")) {
      if (!id.isBlank()) {
        docker("rm", "-f", id);
      }
    }
  }
}
