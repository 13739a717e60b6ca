package io.clustermonitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.core.livetest.SecondDockerd;
import io.clustermonitor.core.livetest.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS against a real engine: a second dockerd listening only on {@code tcp://127.0.0.1:PORT} with
 * {@code --tlsverify} and certificates made here. The right CA and client certificate connect (from
 * code and through {@code fromEnvironment}); a client certificate the daemon does not trust, a
 * server certificate from a CA we do not trust, and plain HTTP to the TLS port each fail at once
 * with our exception naming the cause, within the timeouts.
 */
class DockerMonitorTlsIT {
  private static final Duration CONNECT = Duration.ofSeconds(3);
  private static final Duration READ = Duration.ofSeconds(5);

  /** A failing call must end within its timeouts; the margin is for a slow, shared machine. */
  private static final Duration BOUND = CONNECT.plus(READ).plusSeconds(10);

  private static Path base;
  private static SecondDockerd dockerd;
  private static Path client; // CA + client certificate of the daemon's CA
  private static Path untrustedClient; // trusts the daemon, but its certificate is from another CA
  private static Path otherCaOnly; // client certificate the daemon trusts, but trusts another CA
  private static Path noClientCert; // the right CA, no cert.pem / key.pem

  @BeforeAll
  static void startTlsDaemon() throws Exception {
    assumeTrue(
        ProcessHandle.current().info().user().map("root"::equals).orElse(false),
        "DockerMonitorTlsIT starts its own dockerd, which needs root");
    assumeTrue(onPath("dockerd"), "DockerMonitorTlsIT needs dockerd on the PATH");
    assumeTrue(onPath("docker"), "DockerMonitorTlsIT needs the docker CLI on the PATH");
    assumeTrue(TestCertificates.opensslAvailable(), "DockerMonitorTlsIT needs openssl");
    // short: dockerd's exec root holds unix sockets (108-byte path limit)
    base = Files.createTempDirectory(Path.of("/tmp"), "cmtls");
    TestCertificates certs = new TestCertificates(base.resolve("pki"));
    Path ca = certs.ca("ca");
    Path otherCa = certs.ca("other-ca");
    Path server = certs.issue("server", ca, true, ca);
    client = certs.issue("client", ca, false, ca);
    untrustedClient = certs.issue("untrusted-client", otherCa, false, ca);
    otherCaOnly = certs.issue("other-ca-client", ca, false, otherCa);
    noClientCert = Files.createDirectories(base.resolve("pki/no-client-cert"));
    Files.copy(ca.resolve("ca.pem"), noClientCert.resolve("ca.pem"));

    dockerd = SecondDockerd.tls(base.resolve("d"), server, client);
    dockerd.start();
  }

  @AfterAll
  static void stopTlsDaemon() throws Exception {
    if (dockerd != null) {
      dockerd.close();
    }
    if (base != null) {
      new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor();
    }
  }

  private static DockerEndpoint.Builder endpoint(String address) {
    return DockerEndpoint.builder(address).connectTimeout(CONNECT).readTimeout(READ);
  }

  @Test
  void theRightCaAndClientCertificateConnectOverTls() {
    for (String address : new String[] {dockerd.tcpHost(), "https://127.0.0.1:" + dockerd.port()}) {
      try (DockerMonitor docker =
          DockerMonitor.builder(endpoint(address).tls(client).build()).build()) {
        assertThat(docker.endpoint().tlsVerify()).isTrue();
        assertThat(docker.systemInfo()).isNotNull();
        // a fresh daemon: none of the shared engine's containers
        assertThat(docker.containers()).isEmpty();
      }
    }
  }

  @Test
  void dockerTlsVerifyAndCertPathFromAnExplicitEnvironment() {
    Map<String, String> env =
        Map.of(
            "DOCKER_HOST", dockerd.tcpHost(),
            "DOCKER_TLS_VERIFY", "1",
            "DOCKER_CERT_PATH", client.toString());
    DockerMonitor.Builder builder = DockerMonitor.Builder.fromEnvironment(env);
    assertThat(builder.endpoint().tlsVerify()).isTrue();
    assertThat(builder.endpoint().certPath()).isEqualTo(client);
    try (DockerMonitor docker = builder.readTimeout(READ).build()) {
      assertThat(docker.systemInfo()).isNotNull();
      assertThat(docker.containers()).isEmpty();
    }
  }

  @Test
  void aClientCertificateTheDaemonDoesNotTrustIsRefusedAtOnce() {
    try (DockerMonitor docker =
        DockerMonitor.builder(endpoint(dockerd.tcpHost()).tls(untrustedClient).build()).build()) {
      assertTimeoutPreemptively(
          BOUND,
          () ->
              assertThatThrownBy(docker::systemInfo)
                  .isInstanceOf(EngineUnavailableException.class)
                  .hasMessageStartingWith(
                      "Docker engine unavailable at " + dockerd.tcpHost() + " (tls): ")
                  .hasMessageMatching("(?s).*(SSL|certificate|Broken pipe|Connection reset).*"));
    }
  }

  @Test
  void withoutAClientCertificateNothingIsSentAndTheMissingFileIsNamed() {
    try (DockerMonitor docker =
        DockerMonitor.builder(endpoint(dockerd.tcpHost()).tls(noClientCert).build()).build()) {
      assertTimeoutPreemptively(
          BOUND,
          () ->
              assertThatThrownBy(docker::containers)
                  .isInstanceOf(EngineUnavailableException.class)
                  .hasMessageContaining(
                      "TLS is on but " + noClientCert.resolve("cert.pem") + " is missing"));
    }
  }

  @Test
  void aServerCertificateFromAnotherCaIsRefused() {
    try (DockerMonitor docker =
        DockerMonitor.builder(endpoint(dockerd.tcpHost()).tls(otherCaOnly).build()).build()) {
      assertTimeoutPreemptively(
          BOUND,
          () ->
              assertThatThrownBy(docker::systemInfo)
                  .isInstanceOf(EngineUnavailableException.class)
                  .hasMessageContaining("SSLHandshakeException")
                  .hasMessageContaining("PKIX path"));
    }
  }

  @Test
  void plainHttpToTheTlsPortFailsWithTheEnginesAnswer() {
    try (DockerMonitor docker =
        DockerMonitor.builder(endpoint(dockerd.tcpHost()).build()).build()) {
      assertTimeoutPreemptively(
          BOUND,
          () ->
              assertThatThrownBy(docker::containers)
                  .isInstanceOfSatisfying(
                      EngineErrorException.class, e -> assertThat(e.status()).isEqualTo(400))
                  .hasMessageContaining("HTTP request to an HTTPS server"));
    }
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
