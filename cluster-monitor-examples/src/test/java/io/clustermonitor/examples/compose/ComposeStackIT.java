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
 * <p>Cost, measured on this 2-core machine: the first build about 3 minutes (debootstrap about 2,
 * cached under /var/tmp/cluster-monitor; the stand-in images about 1.5), later builds about 25 s
 * (docker layer cache; only our image is rebuilt from the new jar); up and test about 2 minutes;
 * down a few seconds. It needs root (debootstrap), Docker and docker-compose: without them it is
 * skipped, or fails under CI.
 */
class ComposeStackIT {

  @Test
  void theStackBuildsStartsPassesItsChecksAndIsRemoved() throws Exception {
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
