package io.clustermonitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DockerEndpointTest {

  @Test
  void withoutDockerHostTheDefaultSocketIsUsed() {
    DockerEndpoint e = DockerEndpoint.fromEnvironment(Map.of());

    assertThat(e.uri().toString()).isEqualTo(DockerEndpoint.DEFAULT_UNIX_SOCKET);
    assertThat(e.name()).isEqualTo("local");
    assertThat(e.tlsVerify()).isFalse();
    assertThat(e.minimumApiVersion()).isEqualTo("1.41");
  }

  @Test
  void tcpHostWithTlsFromTheEnvironment() {
    DockerEndpoint e =
        DockerEndpoint.fromEnvironment(
            Map.of(
                "DOCKER_HOST", "tcp://127.0.0.1:2376",
                "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", "/etc/docker/certs"));

    assertThat(e.uri().getPort()).isEqualTo(2376);
    assertThat(e.name()).isEqualTo("127.0.0.1:2376");
    assertThat(e.tlsVerify()).isTrue();
    assertThat(e.certPath()).isEqualTo(Path.of("/etc/docker/certs"));
  }

  @Test
  void tlsVerifyZeroMeansNoTls() {
    DockerEndpoint e =
        DockerEndpoint.fromEnvironment(
            Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375", "DOCKER_TLS_VERIFY", "0"));

    assertThat(e.tlsVerify()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "garbage",
        "ssh://user@host",
        "tcp://127.0.0.1",
        "tcp://:2375",
        "unix://",
        "tcp://exa mple:2375",
        "npipe:////./pipe/docker_engine"
      })
  void malformedDockerHostIsAClearIllegalArgument(String host) {
    assertThatThrownBy(() -> DockerEndpoint.fromEnvironment(Map.of("DOCKER_HOST", host)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Docker")
        .hasMessageContaining(host.trim());
  }

  @Test
  void builderRejectsBadTimeoutsAndVersions() {
    DockerEndpoint.Builder b = DockerEndpoint.builder("unix:///var/run/docker.sock");

    assertThatThrownBy(() -> b.readTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readTimeout");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> b.minimumApiVersion("v1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.41");
    assertThatThrownBy(() -> b.name(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void httpsWithoutTlsSettingsIsRejectedNeverPlainText() {
    assertThatThrownBy(() -> DockerEndpoint.builder("https://127.0.0.1:2376").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://127.0.0.1:2376 asks for TLS but no certificates")
        .hasMessageContaining("DOCKER_TLS_VERIFY=1");
    assertThatThrownBy(
            () -> DockerEndpoint.fromEnvironment(Map.of("DOCKER_HOST", "https://127.0.0.1:2376")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("asks for TLS");
    DockerEndpoint tls =
        DockerEndpoint.fromEnvironment(
            Map.of(
                "DOCKER_HOST", "https://127.0.0.1:2376",
                "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", "/certs"));
    assertThat(tls.tlsVerify()).isTrue();
    assertThat(tls.certPath()).isEqualTo(java.nio.file.Path.of("/certs"));
  }

  @Test
  void tlsVariablesThatWouldFallBackToPlainTextAreRejected() {
    assertThatThrownBy(
            () ->
                DockerEndpoint.fromEnvironment(
                    Map.of("DOCKER_HOST", "tcp://127.0.0.1:2376", "DOCKER_TLS", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DOCKER_TLS asks for TLS without certificate verification");
    assertThatThrownBy(
            () ->
                DockerEndpoint.fromEnvironment(
                    Map.of("DOCKER_HOST", "tcp://127.0.0.1:2376", "DOCKER_CERT_PATH", "/certs")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DOCKER_CERT_PATH is set but DOCKER_TLS_VERIFY is not");
    // a local socket never uses TLS: a stray DOCKER_CERT_PATH is harmless there
    assertThat(DockerEndpoint.fromEnvironment(Map.of("DOCKER_CERT_PATH", "/certs")).tlsVerify())
        .isFalse();
  }
}
