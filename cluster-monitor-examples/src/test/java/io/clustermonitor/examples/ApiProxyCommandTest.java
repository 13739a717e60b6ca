package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ApiProxyCommandTest {
  record Run(int exit, String out, String err) {}

  static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void helpNamesEveryFlagWithItsEnvironmentVariableAndDefault() {
    Run r = run(new ApiProxyCommand(), "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("--listen", "CLUSTER_MONITOR_LISTEN", "127.0.0.1:3001")
        .contains("--docker-host", "DOCKER_HOST")
        .contains("--token-file", "CLUSTER_MONITOR_TOKEN_FILE")
        .contains("--health-auth", "CLUSTER_MONITOR_HEALTH_AUTH")
        .contains("--cors-origin", "CLUSTER_MONITOR_CORS_ORIGINS")
        .contains("--max-concurrent", "CLUSTER_MONITOR_MAX_CONCURRENT", "128")
        .contains("--version");
  }

  @Test
  void versionIsPrinted() {
    Run r = run(new ApiProxyCommand(), "--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("cluster-monitor ");
  }

  @Test
  void aMalformedListenAddressIsAUsageError() {
    for (String bad : new String[] {"3001", "127.0.0.1:70000", "::1:3001", "host:port"}) {
      Run r = run(new ApiProxyCommand(), "--listen", bad);
      assertThat(r.exit()).as(bad).isEqualTo(2);
      assertThat(r.err()).as(bad).contains(bad.contains("::") ? "brackets" : "Listen");
    }
  }

  @Test
  void aMissingOrEmptyTokenFileIsAUsageErrorThatNeverPrintsTheToken(@TempDir Path dir)
      throws IOException {
    Run missing =
        run(new ApiProxyCommand(), "--listen", "127.0.0.1:0", "--token-file", dir + "/nope");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("Cannot read the token file", "nope");

    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    Run blank =
        run(new ApiProxyCommand(), "--listen", "127.0.0.1:0", "--token-file", empty.toString());
    assertThat(blank.exit()).isEqualTo(2);
    assertThat(blank.err()).contains("is empty");
  }

  @Test
  void aBadCorsOriginOrCapIsAUsageError() {
    Run cors = run(new ApiProxyCommand(), "--listen", "127.0.0.1:0", "--cors-origin", "evil");
    assertThat(cors.exit()).isEqualTo(2);
    assertThat(cors.err()).contains("CORS origin");
    Run cap = run(new ApiProxyCommand(), "--listen", "127.0.0.1:0", "--max-concurrent", "0");
    assertThat(cap.exit()).isEqualTo(2);
    assertThat(cap.err()).contains("maxConcurrentRequests");
  }

  @Test
  void listenAddressesParse() {
    assertThat(ListenAddress.parse("127.0.0.1:3001"))
        .isEqualTo(new ListenAddress("127.0.0.1", 3001));
    assertThat(ListenAddress.parse(":9100")).isEqualTo(new ListenAddress("127.0.0.1", 9100));
    assertThat(ListenAddress.parse("[::1]:3001")).isEqualTo(new ListenAddress("::1", 3001));
    assertThat(ListenAddress.parse("0.0.0.0:0").hostPort(4242)).isEqualTo("0.0.0.0:4242");
    assertThat(ListenAddress.parse("[::1]:1").hostPort(1)).isEqualTo("[::1]:1");
  }
}
