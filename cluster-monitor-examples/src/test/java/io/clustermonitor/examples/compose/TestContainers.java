package io.clustermonitor.examples.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.examples.compose.Tools.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Containers a test class runs on the shared engine through the docker CLI. Each carries {@code
 * io.clustermonitor.test=true} and a label unique to this instance; {@link #close()} removes only
 * those.
 */
final class TestContainers implements AutoCloseable {

  static final String TEST_LABEL =
      System.getenv().getOrDefault("CM_TEST_LABEL", "io.clustermonitor.test");
  static final String IMAGE =
      System.getenv().getOrDefault("CM_TEST_IMAGE", "cluster-monitor/busybox:test");
  static final String DOCKER_HOST =
      System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");

  /** Debian's client first (as scripts/lib-env.sh does), then whatever PATH has. */
  private final Path docker =
      Files.isExecutable(Path.of("/usr/bin/docker"))
          ? Path.of("/usr/bin/docker")
          : Tools.require("docker");

  private final String runLabel;
  private final String dockerHost;

  TestContainers(String owner) {
    this(owner, DOCKER_HOST);
  }

  /** Containers on the engine at {@code dockerHost} (e.g. a second dockerd a test started). */
  TestContainers(String owner, String dockerHost) {
    this.runLabel = "io.clustermonitor.test.run=" + owner + "-" + UUID.randomUUID();
    this.dockerHost = dockerHost;
  }

  /** Runs a detached container with our labels and no network; returns its full id. */
  String run(String name, List<String> options, String... command) {
    return run(name, "none", options, command);
  }

  /**
   * Runs a detached container with our labels on {@code network} ({@code none} or {@code host}: no
   * bridge networks on the test machine); returns its full id.
   */
  String run(String name, String network, List<String> options, String... command) {
    List<String> cmd =
        new ArrayList<>(List.of(docker.toString(), "run", "-d", "--network", network));
    cmd.addAll(List.of("--name", name, "--label", TEST_LABEL + "=true", "--label", runLabel));
    cmd.addAll(options);
    cmd.add(IMAGE);
    cmd.addAll(List.of(command));
    Result r = docker(cmd);
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.output().strip();
  }

  private Result docker(List<String> cmd) {
    return Tools.run(Path.of("."), Duration.ofMinutes(1), Map.of("DOCKER_HOST", dockerHost), cmd);
  }

  @Override
  public void close() {
    Result ids = docker(List.of(docker.toString(), "ps", "-aq", "--filter", "label=" + runLabel));
    // One at a time: the CLI removes several ids in parallel, which can deadlock Debian's dockerd
    // 20.10 (moby#46661).
    for (String id : ids.output().split("\\s+")) {
      if (!id.isBlank()) {
        docker(List.of(docker.toString(), "rm", "-f", id));
      }
    }
  }
}
