package com.example.shop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The services the test machine runs (the same variables the project's own ITs read): the Docker
 * engine, the busybox test image, the test label and Redis. Without them the tests are skipped,
 * saying why, unless CM_REQUIRE_SERVICES is set (CI), where they fail.
 */
final class TestServices {
  static final String DOCKER_HOST = env("DOCKER_HOST", "unix:///var/run/docker.sock");
  static final String IMAGE = env("CM_TEST_IMAGE", "cluster-monitor/busybox:test");
  static final String LABEL = env("CM_TEST_LABEL", "io.clustermonitor.test");
  static final String REDIS =
      "redis://"
          + env("CM_TEST_REDIS_HOST", "127.0.0.1")
          + ":"
          + env("CM_TEST_REDIS_PORT", "56379");

  private TestServices() {}

  static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  /** Skips (or, under CM_REQUIRE_SERVICES, fails) when the engine cannot be reached. */
  static void requireEngine() {
    String why;
    try {
      docker("version", "--format", "{{.Server.Version}}");
      return;
    } catch (RuntimeException e) {
      why = "no Docker engine at " + DOCKER_HOST + ": " + e.getMessage();
    }
    String required = System.getenv("CM_REQUIRE_SERVICES");
    if ("true".equals(required) || "1".equals(required)) {
      throw new AssertionError(why);
    }
    Assumptions.abort(why);
  }

  /** Runs the docker CLI (60 s bound) and returns its standard output, trimmed. */
  static String docker(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("docker");
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("DOCKER_HOST", DOCKER_HOST);
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(cmd + " exited " + p.exitValue() + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(cmd + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts a labelled busybox container that turns healthy at once; returns its id. */
  static String startHealthyContainer(String name) {
    return docker(
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        name,
        "--label",
        LABEL + "=true",
        "--health-cmd",
        "true",
        "--health-interval",
        "1s",
        "--health-start-period",
        "0s",
        IMAGE,
        "sleep",
        "600");
  }

  /** Removes a container this test created (one at a time, never in parallel). */
  static void remove(String nameOrId) {
    try {
      docker("rm", "-f", nameOrId);
    } catch (RuntimeException e) {
      System.err.println("could not remove " + nameOrId + ": " + e.getMessage());
    }
  }
}
