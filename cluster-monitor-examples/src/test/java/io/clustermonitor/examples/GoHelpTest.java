package io.clustermonitor.examples;

import static io.clustermonitor.examples.ApiProxyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoHelpTest {

  static Stream<Arguments> commands() {
    List<String> web =
        List.of(
            "--web.listen-address",
            "--web.telemetry-path",
            "--web.config.file",
            "--web.disable-exporter-metrics",
            "--web.max-requests",
            "--log.level",
            "--log.format");
    List<String> ours = List.of("--listen", "--help", "--version", "--web.enable-jvm-metrics");
    return Stream.of(
        Arguments.of(
            new NodeExporterCommand(),
            "Go-compatible (node_exporter 1.7.0) options:",
            concat(
                web,
                "--path.procfs",
                "--path.sysfs",
                "--path.rootfs",
                "--path.udev.data",
                "--collector.disable-defaults",
                "--collector.filesystem.mount-points-exclude",
                "--collector.vmstat.fields"),
            ours),
        Arguments.of(
            new PostgresExporterCommand(),
            "Go-compatible (postgres_exporter 0.15) options:",
            concat(
                web,
                "--config.file",
                "--disable-default-metrics",
                "--auto-discover-databases",
                "--extend.query-path",
                "--constantLabels",
                "--exclude-databases",
                "--metric-prefix",
                "--collector.stat_statements"),
            concat(ours, "--statement-timeout", "--collection-timeout")),
        Arguments.of(
            new RedisExporterCommand(),
            "Go-compatible (redis_exporter 1.55) options:",
            concat(
                web,
                "-redis.addr",
                "--redis.addr",
                "-redis.password-file",
                "--redis.password-file",
                "-namespace",
                "--namespace",
                "-check-keys",
                "--check-keys",
                "-include-system-metrics",
                "--include-system-metrics",
                "-is-cluster",
                "--is-cluster",
                "-script",
                "--script",
                "-check-key-groups",
                "--max-distinct-key-groups",
                "-export-client-list",
                "--export-client-port",
                "--log-format",
                "-log-format",
                "--debug",
                "-debug",
                "--tls-server-cert-file",
                "-tls-server-cert-file",
                "--redis-only-metrics",
                "-redis-only-metrics"),
            ours),
        Arguments.of(
            new ContainerExporterCommand(),
            "Go-compatible (cAdvisor 0.47) options:",
            concat(
                web,
                "--port",
                "-port",
                "--listen_ip",
                "-listen_ip",
                "--prometheus_endpoint",
                "-prometheus_endpoint",
                "--disable_metrics",
                "-disable_metrics",
                "--enable_metrics",
                "-enable_metrics",
                "--docker_only",
                "-docker_only",
                "--store_container_labels",
                "-store_container_labels",
                "--whitelisted_container_labels",
                "-whitelisted_container_labels",
                "--env_metadata_whitelist",
                "-env_metadata_whitelist",
                "--housekeeping_interval",
                "-housekeeping_interval"),
            concat(
                ours,
                "--docker-host",
                "--container-label",
                "--container-include",
                "--container-exclude")));
  }

  private static List<String> concat(List<String> a, String... more) {
    List<String> out = new ArrayList<>(a);
    out.addAll(List.of(more));
    return out;
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyGoFlagSitsUnderTheGoHeadingAndOurOwnFlagsDoNot(
      Object command, String heading, List<String> go, List<String> ours) {
    ApiProxyCommandTest.Run r = run(command, "--help");
    assertThat(r.exit()).isZero();
    String help = r.out();
    int at = help.indexOf("\n" + heading + "\n");
    assertThat(at).as("heading %s in%n%s", heading, help).isPositive();
    String before = help.substring(0, at);
    String section = help.substring(at);
    for (String flag : go) {
      assertThat(options(section)).as("Go section of%n%s", help).anyMatch(l -> names(l, flag));
      assertThat(options(before)).as("our section of%n%s", help).noneMatch(l -> names(l, flag));
    }
    for (String flag : ours) {
      assertThat(options(before)).as("our section of%n%s", help).anyMatch(l -> names(l, flag));
      assertThat(options(section)).as("Go section of%n%s", help).noneMatch(l -> names(l, flag));
    }
    assertThat(help).doesNotContain("Go exporter flags");
  }

  /** Lines that start an option (names after the indentation). */
  private static List<String> options(String text) {
    return text.lines().filter(l -> l.matches(" {6}-.*|  -\\w, --.*|      --.*")).toList();
  }

  /** Whether an option line lists {@code flag} among its names ({@code -a, --b=VALUE text}). */
  private static boolean names(String line, String flag) {
    String head = line.strip().split(" {2,}")[0];
    for (String name : head.split(", ")) {
      if (name.replaceFirst("[=\\[].*$", "").equals(flag)
          || name.replace("[no-]", "").replaceFirst("[=\\[].*$", "").equals(flag)) {
        return true;
      }
    }
    return false;
  }
}
