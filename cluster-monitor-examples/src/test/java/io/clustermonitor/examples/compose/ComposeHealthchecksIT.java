package io.clustermonitor.examples.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.clustermonitor.examples.compose.Tools.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The health checks docker-compose.yml gives our services work: each service's command runs from
 * the jar on loopback (its --listen moved to a free port, the host mounts mapped back to the host's
 * paths), and the service's own healthcheck (compose/probe.sh, run by the host's static busybox as
 * the image runs it, port adapted) exits 0; the same command against a port where nothing listens
 * exits 1.
 */
class ComposeHealthchecksIT {

  private static final Pattern LOCAL_URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");

  static List<String> ourServices() {
    List<String> names = new ArrayList<>();
    ComposeFiles.readYaml(ComposeFiles.dir().resolve("docker-compose.yml"))
        .path("services")
        .properties()
        .forEach(
            e -> {
              if (e.getValue().path("image").asText().startsWith("${CM_IMAGE")) {
                names.add(e.getKey());
              }
            });
    return names;
  }

  @ParameterizedTest
  @MethodSource("ourServices")
  void theServicesHealthcheckPassesAgainstItsCommandAndFailsWithoutIt(
      String service, @TempDir Path logs) {
    JsonNode s =
        ComposeFiles.readYaml(ComposeFiles.dir().resolve("docker-compose.yml"))
            .path("services")
            .path(service);
    Path jar = LiveMetricNamesIT.jar();
    int port = ManagedProcess.freePort();

    List<String> args = new ArrayList<>();
    s.path("command").forEach(a -> args.add(hostPath(a.asText())));
    int listen = args.indexOf("--listen");
    assertThat(listen).as(service + " command has --listen").isNotNegative();
    args.set(listen + 1, "127.0.0.1:" + port);

    List<String> check = new ArrayList<>();
    s.path("healthcheck").path("test").forEach(a -> check.add(a.asText()));
    assertThat(check.subList(0, 2)).containsExactly("CMD", "/app/bin/probe");
    // The image's probe is compose/probe.sh run by its static busybox: here the host's.
    check.remove(0);
    check.set(0, ComposeFiles.dir().resolve("probe.sh").toString());
    check.add(0, "sh");
    check.add(0, busybox().toString());
    int urlIndex = -1;
    for (int i = 0; i < check.size(); i++) {
      if (LOCAL_URL.matcher(check.get(i)).find()) {
        urlIndex = i;
      }
    }
    assertThat(urlIndex).as(service + " healthcheck probes a loopback URL").isPositive();
    Matcher m = LOCAL_URL.matcher(check.get(urlIndex));
    assertThat(m.find()).isTrue();
    assertThat(args.get(listen + 1)).isNotEqualTo(s.path("command").get(listen + 1).asText());
    assertThat(s.path("command").get(listen + 1).asText()).endsWith(":" + m.group(1));
    String probe = check.get(urlIndex);

    try (ManagedProcess p =
        ManagedProcess.start(
            service, logs, env(), ManagedProcess.jar(jar, args.toArray(String[]::new)))) {
      check.set(urlIndex, probe.replace(":" + m.group(1) + "/", ":" + port + "/"));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .failFast(service + " exited", () -> !p.alive())
          .untilAsserted(
              () -> {
                Result r = Tools.run(logs, Duration.ofSeconds(30), probeEnv(), check);
                assertThat(r.exitCode()).as(r.output() + "\n" + p.tail()).isZero();
              });

      int nothing = ManagedProcess.freePort();
      check.set(urlIndex, probe.replace(":" + m.group(1) + "/", ":" + nothing + "/"));
      Result down = Tools.run(logs, Duration.ofSeconds(30), probeEnv(), check);
      assertThat(down.exitCode()).as(down.output()).isEqualTo(1);
    }
  }

  /**
   * The PostgreSQL and Redis exporters' checks reflect their target: against an exporter whose
   * server does not answer, the probe fails and prints the exporter's own reason.
   */
  @ParameterizedTest
  @MethodSource("databaseExporters")
  void aDatabaseExportersHealthcheckFailsWhenItsTargetIsDown(
      String service, String metric, @TempDir Path logs) {
    JsonNode s =
        ComposeFiles.readYaml(ComposeFiles.dir().resolve("docker-compose.yml"))
            .path("services")
            .path(service);
    List<String> test = new ArrayList<>();
    s.path("healthcheck").path("test").forEach(a -> test.add(a.asText()));
    assertThat(test).endsWith(metric);
    int port = ManagedProcess.freePort();
    int dead = ManagedProcess.freePort(); // nothing listens there
    Map<String, String> env =
        Map.of(
            "DATA_SOURCE_NAME",
            "postgresql://cmtest:x@127.0.0.1:" + dead + "/cmtest?sslmode=disable",
            "REDIS_ADDR",
            "redis://127.0.0.1:" + dead,
            "DOCKER_HOST",
            TestContainers.DOCKER_HOST);
    List<String> args = new ArrayList<>();
    s.path("command").forEach(a -> args.add(a.asText()));
    args.set(args.indexOf("--listen") + 1, "127.0.0.1:" + port);
    List<String> check =
        List.of(
            busybox().toString(),
            "sh",
            ComposeFiles.dir().resolve("probe.sh").toString(),
            "http://127.0.0.1:" + port + "/metrics",
            metric);
    try (ManagedProcess p =
        ManagedProcess.start(
            service,
            logs,
            env,
            ManagedProcess.jar(LiveMetricNamesIT.jar(), args.toArray(String[]::new)))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .failFast(service + " exited", () -> !p.alive())
          .untilAsserted(
              () -> {
                Result r = Tools.run(logs, Duration.ofSeconds(30), probeEnv(), check);
                assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
                assertThat(r.output()).contains(metric + " 0", metric + " is not 1");
              });
    }
  }

  static List<Arguments> databaseExporters() {
    return List.of(
        Arguments.of("postgres-exporter", "pg_up"), Arguments.of("redis-exporter", "redis_up"));
  }

  private static Path busybox() {
    return Tools.require("busybox");
  }

  private static Map<String, String> probeEnv() {
    return Map.of("BUSYBOX", busybox().toString());
  }

  /** The compose file's host mounts (/host/proc, ...) mapped back to this host's paths. */
  private static String hostPath(String arg) {
    return switch (arg) {
      case "/host/proc" -> "/proc";
      case "/host/sys" -> "/sys";
      case "/host/root" -> "/";
      default -> arg;
    };
  }

  private static Map<String, String> env() {
    Map<String, String> e = System.getenv();
    return Map.of(
        "DOCKER_HOST", TestContainers.DOCKER_HOST,
        "DATA_SOURCE_NAME",
            "postgresql://%s:%s@%s:%s/%s?sslmode=disable"
                .formatted(
                    e.getOrDefault("CM_TEST_PG_USER", "cmtest"),
                    e.getOrDefault("CM_TEST_PG_PASSWORD", "cmtest-secret-pw"),
                    e.getOrDefault("CM_TEST_PG_HOST", "127.0.0.1"),
                    e.getOrDefault("CM_TEST_PG_PORT", "55432"),
                    e.getOrDefault("CM_TEST_PG_DB", "cmtest")),
        "REDIS_ADDR",
            "redis://%s:%s"
                .formatted(
                    e.getOrDefault("CM_TEST_REDIS_HOST", "127.0.0.1"),
                    e.getOrDefault("CM_TEST_REDIS_PORT", "56379")));
  }
}
