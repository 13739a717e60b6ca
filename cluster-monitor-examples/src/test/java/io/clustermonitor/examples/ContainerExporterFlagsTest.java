package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.core.DockerMonitor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ContainerExporterFlagsTest {

  private static ContainerExporterCommand parse(String... args) {
    ContainerExporterCommand cmd = new ContainerExporterCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd;
  }

  @Test
  void cadvisorFlagsParseWithOneOrTwoDashes() {
    ContainerExporterCommand cmd =
        parse(
            "-disable_metrics=percpu,tcp",
            "--store_container_labels=false",
            "--whitelisted_container_labels=com.docker.compose.service,app",
            "--env_metadata_whitelist=APP_",
            "--housekeeping_interval=10s",
            "--docker_only",
            "-port",
            "18089",
            "--listen_ip",
            "127.0.0.2");

    assertThat(cmd.containers.disableMetrics).containsExactly("percpu", "tcp");
    assertThat(cmd.containers.storeContainerLabels).isFalse();
    assertThat(cmd.containers.whitelistedLabels)
        .containsExactly("com.docker.compose.service", "app");
    assertThat(cmd.containers.envWhitelist).containsExactly("APP_");
    assertThat(cmd.containers.dockerOnly).isTrue();
    assertThat(listen(cmd)).containsExactly("127.0.0.2:18089");
    assertThat(cmd.containers.monitorEnv(Map.of()))
        .containsEntry(DockerMonitor.Builder.SAMPLING_INTERVAL_ENV, "10s");
  }

  @Test
  void defaultsMatchCadvisorWhereSafe() {
    ContainerExporterCommand cmd = parse();

    assertThat(cmd.containers.storeContainerLabels).isTrue();
    assertThat(listen(cmd)).containsExactly(cmd.listen);
    assertThat(cmd.containers.monitorEnv(Map.of())).isEmpty();
    // cAdvisor's --port without --listen_ip listens on every interface, as cAdvisor does.
    assertThat(listen(parse("--port", "9"))).containsExactly(":9");
  }

  @Test
  void badValuesAreRejected() {
    assertThatThrownBy(() -> parse("--housekeeping_interval=soon").containers.monitorEnv(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--housekeeping_interval");
    assertThatThrownBy(
            () ->
                parse("--enable_metrics=cpu,bogus")
                    .containers
                    .collector(
                        io.clustermonitor.core.DockerMonitor.connect(
                            io.clustermonitor.core.DockerEndpoint.builder(
                                    "unix:///nonexistent.sock")
                                .build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bogus");
    assertThat(DockerMonitor.Builder.parseDuration("x", "1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DockerMonitor.Builder.parseDuration("x", "250ms")).isEqualTo(Duration.ofMillis(250));
  }

  /** The listen addresses the command resolves from its flags (GoWebOptions.Cadvisor). */
  private static java.util.List<String> listen(ContainerExporterCommand cmd) {
    return cmd.web.resolve(cmd.listen, Map.of()).listen();
  }
}
