package io.clustermonitor.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void anOpenPortIsUp() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      CheckResult r = HealthChecks.tcp("127.0.0.1", s.getLocalPort()).check(TIMEOUT);
      assertThat(r.status()).isEqualTo(CheckStatus.UP);
      assertThat(r.reason()).isEqualTo("port 127.0.0.1:" + s.getLocalPort() + " open");
    }
  }

  @Test
  void aClosedPortIsDown() throws Exception {
    int port = StubServer.closedPort();
    CheckResult r = HealthChecks.tcp("127.0.0.1", port).check(TIMEOUT);
    assertThat(r.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(r.reason()).isEqualTo("connection refused by 127.0.0.1:" + port);
  }

  @Test
  void anUnknownHostIsDown() {
    CheckResult r = HealthChecks.tcp("no-such-host.invalid", 5432).check(TIMEOUT);
    assertThat(r.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(r.reason()).isEqualTo("unknown host 'no-such-host.invalid'");
  }

  @Test
  void badArgumentsAreRejected() {
    assertThatThrownBy(() -> HealthChecks.tcp("", 80)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HealthChecks.tcp("127.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be 1-65535, got 0");
    assertThatThrownBy(() -> HealthChecks.tcp("127.0.0.1", 65536))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
