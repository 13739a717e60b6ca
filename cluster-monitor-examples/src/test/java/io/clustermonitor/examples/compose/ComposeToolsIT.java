package io.clustermonitor.examples.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.examples.compose.Tools.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose files pass the real tools: promtool (config, rules, rule tests), amtool and Debian's
 * docker-compose 1.29. Nothing is pulled or started.
 */
class ComposeToolsIT {

  private final Path compose = ComposeFiles.dir();

  @Test
  void promtoolAcceptsPrometheusYmlAndResolvesItsRuleFiles() {
    Result r =
        Tools.run(
            compose,
            List.of(Tools.require("promtool").toString(), "check", "config", "prometheus.yml"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    Matcher m = Pattern.compile("SUCCESS: (\\d+) rule files found").matcher(r.output());
    assertThat(m.find()).as(r.output()).isTrue();
    assertThat(Integer.parseInt(m.group(1)))
        .isEqualTo(ComposeFiles.ruleFiles().size())
        .isPositive();
  }

  @Test
  void promtoolAcceptsEveryRuleFileAndFindsAtLeast25Rules() {
    List<String> cmd =
        new ArrayList<>(List.of(Tools.require("promtool").toString(), "check", "rules"));
    ComposeFiles.ruleFiles().forEach(p -> cmd.add(compose.relativize(p).toString()));
    Result r = Tools.run(compose, cmd);
    assertThat(r.exitCode()).as(r.output()).isZero();
    Matcher m = Pattern.compile("SUCCESS: (\\d+) rules found").matcher(r.output());
    int total = 0;
    while (m.find()) {
      total += Integer.parseInt(m.group(1));
    }
    assertThat(total).isGreaterThanOrEqualTo(25).isEqualTo(ComposeFiles.alerts().size());
  }

  @Test
  void everyRuleTestPasses() {
    List<String> cmd =
        new ArrayList<>(List.of(Tools.require("promtool").toString(), "test", "rules"));
    ComposeFiles.ruleTestFiles()
        .forEach(p -> cmd.add(compose.resolve("rules").relativize(p).toString()));
    Result r = Tools.run(compose.resolve("rules"), cmd);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).doesNotContain("FAILED");
  }

  @Test
  void aBrokenRuleTestIsReportedAsAFailure(@TempDir Path tmp) throws IOException {
    // The check above can fail: the same tests against a rule with a wrong threshold do not pass.
    Path rules = tmp.resolve("rules");
    Files.createDirectories(rules.resolve("tests"));
    String redis = Files.readString(compose.resolve("rules/redis.yml"));
    Files.writeString(
        rules.resolve("redis.yml"), redis.replace("expr: redis_up == 0", "expr: redis_up == 2"));
    Files.copy(
        compose.resolve("rules/tests/redis_test.yml"), rules.resolve("tests/redis_test.yml"));
    Result r =
        Tools.run(
            rules,
            List.of(Tools.require("promtool").toString(), "test", "rules", "tests/redis_test.yml"));
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("RedisDown");
  }

  @Test
  void amtoolAcceptsAlertmanagerYml() {
    Result r =
        Tools.run(
            compose,
            List.of(Tools.require("amtool").toString(), "check-config", "alertmanager.yml"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void dockerComposeAcceptsTheFileWithDummySecretsAndTheExampleEnv(@TempDir Path tmp)
      throws IOException {
    Path copy = copyTree(compose, tmp.resolve("compose"));
    Files.copy(copy.resolve(".env.example"), copy.resolve(".env"));
    Files.writeString(copy.resolve(".env"), "DOCKER_GID=105\n", StandardOpenOption.APPEND);
    for (String secret :
        List.of(
            "postgres_password",
            "postgres_monitor_password",
            "redis_password",
            "grafana_admin_password",
            "minio_root_user",
            "minio_root_password")) {
      Files.writeString(copy.resolve("secrets").resolve(secret), "dummy-" + secret);
    }
    Result r =
        Tools.run(
            copy,
            Duration.ofMinutes(2),
            Map.of("COMPOSE_PROJECT_NAME", "cmcheck"),
            List.of(Tools.require("docker-compose").toString(), "config"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    String out = r.output();
    for (String service :
        List.of(
            "api-proxy",
            "container-exporter",
            "node-exporter",
            "postgres-exporter",
            "redis-exporter",
            "prometheus",
            "alertmanager",
            "grafana",
            "postgres",
            "redis",
            "minio")) {
      assertThat(out).contains("  " + service + ":");
    }
    assertThat(out).contains("/var/run/docker.sock:/var/run/docker.sock:ro", "max-size: 10m");
    // The dummy secret values are referenced by file, never inlined into the configuration.
    assertThat(out).doesNotContain("dummy-");
  }

  @Test
  void dockerComposeRejectsAMisspelledOption(@TempDir Path tmp) throws IOException {
    // The acceptance above can fail: the same tool rejects a service with an unknown key.
    Path copy = copyTree(compose, tmp.resolve("compose"));
    Files.copy(copy.resolve(".env.example"), copy.resolve(".env"));
    Files.writeString(copy.resolve(".env"), "DOCKER_GID=105\n", StandardOpenOption.APPEND);
    String yml = Files.readString(copy.resolve("docker-compose.yml"));
    Files.writeString(
        copy.resolve("docker-compose.yml"),
        yml.replace(
            "    container_name: cm-redis-exporter\n",
            "    container_name: cm-redis-exporter\n    helthcheck: {test: [\"CMD\", \"true\"]}\n"));
    Result r =
        Tools.run(
            copy,
            Duration.ofMinutes(2),
            Map.of("COMPOSE_PROJECT_NAME", "cmcheck"),
            List.of(Tools.require("docker-compose").toString(), "config", "-q"));
    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("helthcheck");
  }

  private static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.startsWith(from.resolve("secrets"))
            && !p.getFileName().toString().equals(".env")) {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}
