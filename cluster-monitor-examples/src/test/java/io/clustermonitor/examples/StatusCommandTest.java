package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

  @Test
  void anUnreachableEngineIsOneLineAndExitCode2() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }

    ApiProxyCommandTest.Run r =
        ApiProxyCommandTest.run(new Main(), "status", "--host", "tcp://127.0.0.1:" + port);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip())
        .startsWith("cluster-monitor: Docker engine unavailable at tcp://127.0.0.1:" + port)
        .doesNotContain("Exception", "\tat ")
        .hasLineCount(1);
  }

  @Test
  void aMalformedHostIsAUsageError() {
    ApiProxyCommandTest.Run r = ApiProxyCommandTest.run(new Main(), "status", "-H", "ssh://x");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Unsupported Docker address 'ssh://x'");
  }

  @Test
  void watchIntervalAndCountAreChecked() {
    assertThat(ApiProxyCommandTest.run(new Main(), "status", "--watch", "0").err())
        .contains("--watch must be 1..3600 seconds");
    assertThat(ApiProxyCommandTest.run(new Main(), "status", "--watch", "1", "--count", "0").exit())
        .isEqualTo(2);
    assertThat(ApiProxyCommandTest.run(new Main(), "status", "--count", "3").err())
        .contains("--count needs --watch");
  }

  @Test
  void helpNamesTheColumnsAndTheEnvironment() {
    ApiProxyCommandTest.Run r = ApiProxyCommandTest.run(new Main(), "status", "--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--json", "--watch", "--host", "DOCKER_HOST", "docker stats");
  }
}
