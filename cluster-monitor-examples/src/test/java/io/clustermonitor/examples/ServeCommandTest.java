package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServeCommandTest {
  @Test
  void serveHelpNamesEveryFlagWithItsEnvironmentVariable() {
    ApiProxyCommandTest.Run r = ApiProxyCommandTest.run(new Main(), "serve", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("--listen", "CLUSTER_MONITOR_LISTEN", "127.0.0.1:3001")
        .contains("--docker-host", "DOCKER_HOST")
        .contains("--token-file", "CLUSTER_MONITOR_TOKEN_FILE")
        .contains("--cors-origin", "--max-concurrent", "--health-auth")
        .contains("--container-label", "CLUSTER_MONITOR_CONTAINER_LABELS")
        .contains("--path.procfs", "CM_PATH_PROCFS")
        .contains("--redis.addr", "REDIS_ADDR")
        .contains("--statement-timeout", "DATA_SOURCE_NAME");
  }

  @Test
  void containerExporterHelpNamesItsFlagsAndDefaultPort() {
    ApiProxyCommandTest.Run r = ApiProxyCommandTest.run(new Main(), "container-exporter", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("--listen", "CM_WEB_LISTEN_ADDRESS", ":8080")
        .contains("--docker-host", "DOCKER_HOST")
        .contains("--container-label", "--container-include", "--container-exclude");
  }

  @Test
  void serveRejectsBadSettingsWithAUsageError() {
    ApiProxyCommandTest.Run listen =
        ApiProxyCommandTest.run(new Main(), "serve", "--listen", "nope");
    assertThat(listen.exit()).isEqualTo(2);
    assertThat(listen.err()).contains("HOST:PORT");

    ServeCommand bad = new ServeCommand();
    bad.env = Map.of("DATA_SOURCE_NAME", "postgresql://u:hunter2@:notaport/db");
    ApiProxyCommandTest.Run pg = ApiProxyCommandTest.run(bad, "--listen", "127.0.0.1:0");
    assertThat(pg.exit()).isEqualTo(2);
    assertThat(pg.err()).doesNotContain("hunter2");

    ApiProxyCommandTest.Run regex =
        ApiProxyCommandTest.run(
            new Main(), "serve", "--listen", "127.0.0.1:0", "--container-include", "(");
    assertThat(regex.exit()).isEqualTo(2);
    assertThat(regex.err()).contains("include");

    ApiProxyCommandTest.Run docker =
        ApiProxyCommandTest.run(
            new Main(), "serve", "--listen", "127.0.0.1:0", "--docker-host", "ftp://x");
    assertThat(docker.exit()).isEqualTo(2);
    assertThat(docker.err()).contains("ftp://x");
  }
}
