package io.clustermonitor.examples.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.examples.compose.Tools.Result;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The stack a user starts, built and run for real: {@code scripts/stack.sh build up test down} with
 * a project name of its own and free loopback ports, so it neither meets the standard ports nor
 * another run. {@code test} fails the build on any unhealthy service, target down, rule not loaded
 * or without data, missing exporter metric or RedisDown that does not reach Alertmanager and clear.
 *
 * <p>Cost, measured on this 2-core machine: on a fresh machine debootstrap about 2 minutes (once:
 * the root filesystem is cached under /var/tmp/cluster-monitor, the image re-imported in 6 s when
 * missing) and the five stand-in images about 1.5 minutes (docker layer cache afterwards); with
 * those cached, build 7-25 s (only our image is rebuilt, from the jar Maven just packaged), up
 * about 10 s, test 110-200 s (about 70 s until Docker reports every service healthy, up to 80 s for
 * RedisDown to reach Alertmanager), down about 9 s. So about 4 minutes per CI run on a machine that
 * has run it before, about 7.5 minutes on a fresh one. It needs root (debootstrap), Docker and
 * docker-compose: without them it is skipped, or fails under CI. {@code CM_SKIP_STACK_IT=1} skips
 * it on a developer's machine (under CI a skipped IT fails the run, scripts/test.sh).
 */
class ComposeStackIT {

  @Test
  void theStackBuildsStartsPassesItsChecksAndIsRemoved() throws Exception {
    Assumptions.assumeFalse(
        "1".equals(System.getenv("CM_SKIP_STACK_IT")), "CM_SKIP_STACK_IT=1: stack IT skipped");
    Path root = ComposeFiles.dir().getParent();
    Path script = root.resolve("scripts/stack.sh");
    Tools.require("docker-compose");
    Tools.require("debootstrap");
    Path jar = LiveMetricNamesIT.jar();
    if (!Files.isReadable(Path.of("/var/run/docker.sock"))) {
      Assumptions.abort("no Docker engine at /var/run/docker.sock");
    }
    String project = "cmit" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>();
    env.put("CM_STACK_PROJECT", project);
    env.put("DOCKER_HOST", TestContainers.DOCKER_HOST);
    for (String port :
        List.of(
            "CM_API_PORT",
            "CM_CONTAINER_EXPORTER_PORT",
            "CM_NODE_EXPORTER_PORT",
            "CM_POSTGRES_EXPORTER_PORT",
            "CM_REDIS_EXPORTER_PORT",
            "PROMETHEUS_PORT",
            "ALERTMANAGER_PORT",
            "CM_POSTGRES_PORT",
            "CM_REDIS_PORT")) {
      env.put(port, Integer.toString(freePort()));
    }
    assertThat(jar).exists();
    try {
      Result r =
          Tools.run(
              root,
              Duration.ofMinutes(20),
              env,
              List.of("bash", script.toString(), "build", "up", "test"));
      assertThat(r.exitCode()).as(r.output()).isZero();
      assertThat(r.output())
          .contains(
              "all 9 services healthy",
              "targets up",
              "alert rules loaded",
              "RedisDown reached Alertmanager",
              "RedisDown cleared",
              "stack OK");
    } finally {
      Result down =
          Tools.run(root, Duration.ofMinutes(5), env, List.of("bash", script.toString(), "down"));
      assertThat(down.exitCode()).as(down.output()).isZero();
    }
    Result left =
        Tools.run(
            root,
            Duration.ofMinutes(1),
            env,
            new ArrayList<>(
                List.of(
                    "docker",
                    "ps",
                    "-aq",
                    "--filter",
                    "label=com.docker.compose.project=" + project)));
    assertThat(left.output().strip()).as("containers left by " + project).isEmpty();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
