package io.clustermonitor.exporters.livetest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI for integration tests and benchmarks, following the label protocol: every
 * container gets {@code io.clustermonitor.test=true} plus a label unique to this instance, and
 * {@link #close()} removes only those. Every call has a timeout.
 */
public final class LiveDocker implements AutoCloseable {
  /** Engine address. */
  public static final String DOCKER_HOST = env("DOCKER_HOST", "unix:///var/run/docker.sock");

  /** Test image. */
  public static final String IMAGE = env("CM_TEST_IMAGE", "cluster-monitor/busybox:test");

  /** Label every test container carries. */
  public static final String TEST_LABEL = env("CM_TEST_LABEL", "io.clustermonitor.test");

  private static final String RUN_LABEL = "io.clustermonitor.test.run";
  private final String runId;

  /** A CLI whose run label names the test class. */
  public LiveDocker(Class<?> testClass) {
    this.runId = testClass.getSimpleName() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Whether the services must be there (CI); otherwise tests without them are skipped. */
  public static boolean servicesRequired() {
    String v = System.getenv("CM_REQUIRE_SERVICES");
    return "true".equals(v) || "1".equals(v);
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  /** A lower-case name unique to this run, e.g. for {@code --name}. */
  public String uniqueName(String prefix) {
    return prefix + "-" + runId.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Whether the engine can run a container: {@code docker run --rm ... true} within a minute (an
   * engine that answers {@code version} but hangs on container start counts as unavailable).
   */
  public boolean engineAvailable() {
    try {
      exec(List.of("version", "--format", "{{.Server.Version}}"), Duration.ofSeconds(20));
      exec(
          List.of(
              "run",
              "--rm",
              "--network",
              "none",
              "--label",
              TEST_LABEL + "=true",
              "--label",
              RUN_LABEL + "=" + runId,
              IMAGE,
              "true"),
          Duration.ofSeconds(60));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * {@code docker run -d --network none} with the labels; an argument {@code IMAGE} is replaced by
   * the test image. Returns the container id.
   */
  public String run(String... args) {
    List<String> cmd = new ArrayList<>(List.of("run", "-d", "--network", "none"));
    cmd.addAll(List.of("--label", TEST_LABEL + "=true", "--label", RUN_LABEL + "=" + runId));
    for (String a : args) {
      cmd.add(a.equals("IMAGE") ? IMAGE : a);
    }
    return exec(cmd).trim();
  }

  /** Removes one of this run's containers. */
  public void remove(String id) {
    exec(List.of("rm", "-f", id));
  }

  /** Runs {@code docker <args>} with a two-minute timeout and returns its output. */
  public String exec(List<String> args) {
    return exec(args, Duration.ofMinutes(2));
  }

  /** Runs {@code docker <args>} and returns its output; a process past the timeout is killed. */
  public String exec(List<String> args, Duration timeout) {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", DOCKER_HOST));
    cmd.addAll(args);
    Path out = null;
    try {
      out = Files.createTempFile("cm-docker", ".out");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("docker " + args + " timed out after " + timeout);
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("docker " + args + " failed: " + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run docker: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /** Removes every container of this run. */
  @Override
  public void close() {
    try {
      String ids =
          exec(
              List.of("ps", "-aq", "--filter", "label=" + RUN_LABEL + "=" + runId),
              Duration.ofSeconds(20));
      for (String id : ids.split("\\s+")) {
        if (!id.isBlank()) {
          exec(List.of("rm", "-f", id), Duration.ofSeconds(30));
        }
      }
    } catch (RuntimeException e) {
      // engine gone: nothing left to clean
    }
  }
}
