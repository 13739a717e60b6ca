package io.clustermonitor.core.livetest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the docker CLI for integration tests, following the label protocol: every container gets
 * {@code io.clustermonitor.test=true} and a label unique to this instance, and {@link #removeOwn()}
 * removes only those.
 */
public final class DockerCli implements AutoCloseable {
  /** The engine address tests use. */
  public static final String DOCKER_HOST = env("DOCKER_HOST", "unix:///var/run/docker.sock");

  /** The test image. */
  public static final String IMAGE = env("CM_TEST_IMAGE", "cluster-monitor/busybox:test");

  /** The label every test container carries. */
  public static final String TEST_LABEL = env("CM_TEST_LABEL", "io.clustermonitor.test");

  private final String host;
  private final String runLabel;
  private final String runId;

  /** A CLI on the shared engine, with a run label named after the test class. */
  public DockerCli(Class<?> testClass) {
    this(DOCKER_HOST, testClass);
  }

  /** A CLI on the given engine. */
  public DockerCli(String host, Class<?> testClass) {
    this.host = host;
    this.runLabel = "io.clustermonitor.test.run";
    this.runId = testClass.getSimpleName() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  /** The value of the run label, unique to this instance. */
  public String runId() {
    return runId;
  }

  /** The run label key. */
  public String runLabel() {
    return runLabel;
  }

  /** {@code docker run -d} with the labels, {@code --network none}, and the given arguments. */
  public String run(String... args) {
    List<String> cmd = new ArrayList<>(List.of("run", "-d", "--network", "none"));
    cmd.addAll(List.of("--label", TEST_LABEL + "=true", "--label", runLabel + "=" + runId));
    List<String> rest = new ArrayList<>(List.of(args));
    int image = rest.indexOf("IMAGE");
    if (image >= 0) {
      rest.set(image, IMAGE);
    }
    cmd.addAll(rest);
    return docker(cmd.toArray(String[]::new)).trim();
  }

  /** Runs {@code docker <args>} and returns stdout; fails on a non-zero exit. */
  public String docker(String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", host));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            cmd + " failed: " + new String(err, StandardCharsets.UTF_8).trim());
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + cmd, e);
    }
  }

  /** Ids of this instance's containers (all states). */
  public List<String> ownIds() {
    String out = docker("ps", "-aq", "--no-trunc", "--filter", "label=" + runLabel + "=" + runId);
    return out.isBlank() ? List.of() : List.of(out.trim().split("\\s+"));
  }

  /**
   * Removes this instance's containers, and only those, one at a time: Docker 20.10 can deadlock in
   * libnetwork when many container endpoints are deleted concurrently (moby/moby#46661), and {@code
   * docker rm -f a b c ...} removes them in parallel.
   */
  public void removeOwn() {
    for (String id : ownIds()) {
      try {
        docker("rm", "-f", id);
      } catch (IllegalStateException e) {
        // already gone
      }
    }
  }

  /** Whether the engine answers. */
  public boolean engineAvailable() {
    try {
      docker("version", "--format", "{{.Server.Version}}");
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  @Override
  public void close() {
    removeOwn();
  }
}
