package io.clustermonitor.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Starts and removes this test class's containers with the docker CLI, following the label
 * protocol: every container carries {@code io.clustermonitor.test=true} and a label unique to the
 * run, and only containers with that unique label are removed.
 */
public final class TestEngine implements AutoCloseable {
  /** The test image (busybox applets only, no registry). */
  public static final String IMAGE = env("CM_TEST_IMAGE", "cluster-monitor/busybox:test");

  /** The label every test container carries. */
  public static final String LABEL = env("CM_TEST_LABEL", "io.clustermonitor.test");

  private final String runLabel;
  private final String runValue;

  /** A run owned by {@code owner} (the test class). */
  public TestEngine(Class<?> owner) {
    this.runLabel = LABEL + ".run";
    this.runValue = owner.getSimpleName() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The unique label key of this run. */
  public String runLabel() {
    return runLabel;
  }

  /** The unique label value of this run. */
  public String runValue() {
    return runValue;
  }

  /** A container name unique to this run. */
  public String name(String suffix) {
    return ("cm-" + runValue + "-" + suffix).toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * {@code docker run -d --network none <options> IMAGE <command...>} with both labels.
   *
   * @return the full container id
   */
  public String run(List<String> options, String... command) {
    List<String> args = new ArrayList<>(List.of("run", "-d", "--network", "none"));
    args.addAll(List.of("--label", LABEL + "=true", "--label", runLabel + "=" + runValue));
    args.addAll(options);
    args.add(IMAGE);
    args.addAll(List.of(command));
    return docker(args.toArray(String[]::new)).strip();
  }

  /** Runs the docker CLI and returns its stdout; fails on a non-zero exit. */
  public static String docker(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("docker");
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("docker " + String.join(" ", args) + " timed out");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "docker " + String.join(" ", args) + " failed (" + p.exitValue() + "): " + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run the docker CLI", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Removes this run's containers (and only those). */
  @Override
  public void close() {
    String ids = docker("ps", "-aq", "--filter", "label=" + runLabel + "=" + runValue).strip();
    if (!ids.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("rm", "-f"));
      rm.addAll(List.of(ids.split("\\s+")));
      docker(rm.toArray(String[]::new));
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
