package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HealthCommandTest {
  private static HttpServer server;
  private static String base;
  private static int closedPort;

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/health",
        ex -> {
          byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd =
        new CommandLine(new HealthCommand().withEnvironment(Map.of()))
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void exitsZeroAndPrintsTheTableWhenEveryCheckIsUp() {
    Run r = run("--url", base + "/health");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .startsWith("CHECK ")
        .containsPattern("url " + base + "/health +UP +\\d+ms +HTTP 200\n")
        .endsWith("UP: 1 of 1 checks UP\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void exitsOneAndNamesTheFailureWhenACheckIsDown() {
    Run r = run("--url", base + "/health", "--url", "http://127.0.0.1:" + closedPort + "/");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains("connection refused by 127.0.0.1:" + closedPort)
        .endsWith("DOWN: 1 of 2 checks UP\n");
  }

  @Test
  void waitGivesUpWithTheTimeoutInTheLastLine() {
    Run r =
        run("--prometheus", "http://127.0.0.1:" + closedPort, "--wait", "1s", "--timeout", "500ms");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains("prometheus http://127.0.0.1:" + closedPort)
        .containsPattern(
            "Not healthy after 1s \\(\\d+ attempts?\\); 1 of 1 checks still failing:\n$");
  }

  @Test
  void printsJsonOnRequest() throws Exception {
    Run r = run("--url", base + "/health", "--format", "json");
    assertThat(r.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.path("healthy").asBoolean()).isTrue();
    assertThat(json.path("checks").get(0).path("name").asText())
        .isEqualTo("url " + base + "/health");
  }

  @Test
  void badInputExitsOneWithAShortMessageAndNoStackTrace() {
    Run nothing = run();
    assertThat(nothing.exitCode()).isEqualTo(1);
    assertThat(nothing.err()).contains("nothing to check");

    Run duration = run("--url", base + "/health", "--timeout", "5 parsecs");
    assertThat(duration.exitCode()).isEqualTo(1);
    assertThat(duration.err()).contains("invalid duration '5 parsecs'").doesNotContain("\tat ");

    Run zero = run("--url", base + "/health", "--wait", "0s");
    assertThat(zero.exitCode()).isEqualTo(1);
    assertThat(zero.err()).contains("duration must be positive");

    Run host = run("--docker-host", "ftp://nowhere");
    assertThat(host.exitCode()).isEqualTo(1);
    assertThat(host.err()).startsWith("health: Unsupported Docker address").doesNotContain("\tat ");

    Run format = run("--url", base + "/health", "--format", "xml");
    assertThat(format.exitCode()).isEqualTo(1);
    assertThat(format.err()).contains("--format must be table or json");

    Run malformed = run("--url", "localhost:3001/health");
    assertThat(malformed.exitCode()).isEqualTo(1);
    assertThat(malformed.out()).contains("malformed URL 'localhost:3001/health'");

    Run unknown = run("--bogus");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("Unknown option: '--bogus'");
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    HealthCommand.DurationConverter c = new HealthCommand.DurationConverter();
    assertThat(c.convert("500ms")).hasMillis(500);
    assertThat(c.convert("5s")).hasSeconds(5);
    assertThat(c.convert("2m")).hasMinutes(2);
    assertThat(c.convert("1h")).hasHours(1);
    assertThat(c.convert("PT1M30S")).hasSeconds(90);
  }

  @Test
  void helpExitsZero() {
    Run r = run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("--container=NAME").contains("--wait=DURATION");
  }
}
