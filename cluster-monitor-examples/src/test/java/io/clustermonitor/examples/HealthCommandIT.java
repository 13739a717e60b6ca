package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs {@code java -jar cluster-monitor.jar health} against real containers. */
class HealthCommandIT {
  private static final Path JAR = Path.of("target/cluster-monitor.jar");
  private static final String IMAGE =
      System.getenv().getOrDefault("CM_TEST_IMAGE", "cluster-monitor/busybox:test");
  private static final String TEST_LABEL =
      System.getenv().getOrDefault("CM_TEST_LABEL", "io.clustermonitor.test");
  private static final String RUN_LABEL = "io.clustermonitor.test.run";
  private static final String RUN = "health-cli-" + UUID.randomUUID().toString().substring(0, 8);

  private static HttpServer server;
  private static String healthUrl;

  private record Result(int exitCode, String out, String err, Duration elapsed) {}

  @BeforeAll
  static void start() throws IOException {
    assertThat(JAR).as("built by the package phase").isRegularFile();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/health",
        ex -> {
          byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    healthUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
    String ids = docker("ps", "-aq", "--filter", "label=" + RUN_LABEL + "=" + RUN).strip();
    if (!ids.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f"));
      args.addAll(List.of(ids.split("\\s+")));
      docker(args.toArray(String[]::new));
    }
  }

  @Test
  void exitsZeroOnceTheLabelledContainersAreHealthyAndTheUrlAnswers() {
    String group = RUN + "-good";
    startContainer(group + "-1", group, "true");
    startContainer(group + "-2", group, "true");

    Result r =
        health(
            "--label", "group=" + group, "--url", healthUrl, "--wait", "90s", "--timeout", "10s");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out())
        .startsWith("CHECK ")
        .containsPattern("engine +UP")
        .containsPattern("label group=" + group + " +UP .*2 of 2 healthy")
        .containsPattern("url " + healthUrl + " +UP .*HTTP 200")
        .endsWith("UP: 3 of 3 checks UP\n");
    assertThat(r.err()).doesNotContain("Exception");
  }

  @Test
  void exitsOneAndNamesTheUnhealthyContainer() {
    String name = RUN + "-sick";
    startContainer(name, name, "false");

    Result r = health("--container", name, "--wait", "30s", "--timeout", "10s");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.out())
        .containsPattern("container " + name + " +DOWN .*" + name + " unhealthy")
        .contains("Not healthy after 30s");
    assertThat(r.out() + r.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void anUnreachableEngineIsDownFastWithoutAStackTrace() {
    Result r =
        health(
            "--docker-host",
            "unix:///nonexistent/docker.sock",
            "--container",
            "web",
            "--timeout",
            "3s");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).containsPattern("engine +DOWN").containsPattern("container web +DOWN");
    assertThat(r.out() + r.err()).doesNotContain("\tat ");
    assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void badOptionsExitOne() {
    Result r = health("--timeout", "soon", "--url", healthUrl);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("invalid duration 'soon'").doesNotContain("\tat ");
  }

  private static void startContainer(String name, String group, String healthCmd) {
    docker(
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        name,
        "--label",
        TEST_LABEL + "=true",
        "--label",
        RUN_LABEL + "=" + RUN,
        "--label",
        "group=" + group,
        "--health-cmd",
        healthCmd,
        "--health-interval",
        "1s",
        "--health-retries",
        "1",
        IMAGE,
        "sleep",
        "600");
  }

  private static Result health(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-jar", JAR.toString(), "health"));
    command.addAll(List.of(args));
    return exec(command, Duration.ofSeconds(150));
  }

  private static String docker(String... args) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(args));
    Result r = exec(command, Duration.ofSeconds(120));
    if (r.exitCode() != 0) {
      throw new IllegalStateException(command + " failed: " + r.err());
    }
    return r.out();
  }

  private static Result exec(List<String> command, Duration timeout) {
    try {
      Path out = Files.createTempFile("cm-health-out", ".txt");
      Path err = Files.createTempFile("cm-health-err", ".txt");
      long start = System.nanoTime();
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      try {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new IllegalStateException("timed out after " + timeout + ": " + command);
        }
        return new Result(
            p.exitValue(),
            Files.readString(out),
            Files.readString(err),
            Duration.ofNanos(System.nanoTime() - start));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }
}
