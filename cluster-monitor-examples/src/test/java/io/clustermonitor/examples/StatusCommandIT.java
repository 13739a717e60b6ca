package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermonitor.examples.api.DockerCli;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code java -jar cluster-monitor.jar status} against the real engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusCommandIT {
  private static final Path JAR = Path.of("target", "cluster-monitor.jar");
  private static final long MIB = 1024 * 1024;

  private final DockerCli cli = new DockerCli(StatusCommandIT.class.getSimpleName());
  private String name;

  record Result(int exit, String out, String err) {}

  @BeforeAll
  void startContainer() {
    assertThat(JAR).as("the shaded jar is built in the package phase").exists();
    name = "cm-status-" + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT);
    cli.run(
        List.of(
            "--network",
            "none",
            "--name",
            name,
            "--memory",
            "64m",
            "--health-cmd",
            "true",
            "--health-interval",
            "1s"),
        "sleep",
        "600");
  }

  @AfterAll
  void removeContainer() {
    cli.removeAll();
  }

  static Result jar(String... args) throws IOException, InterruptedException {
    return jar(List.of(), args);
  }

  static Result jar(List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(List.of(args));
    File out = File.createTempFile("cm-status", ".out");
    File err = File.createTempFile("cm-status", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("timed out: " + cmd);
      }
      return new Result(
          p.exitValue(),
          Files.readString(out.toPath(), StandardCharsets.UTF_8),
          Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out.toPath());
      Files.deleteIfExists(err.toPath());
    }
  }

  @Test
  void statusPrintsADockerStatsTableWithOurContainer() throws Exception {
    Result r = jar("status");

    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0))
        .matches("NAME +CPU % +MEM USAGE / LIMIT +MEM % +NET I/O +BLOCK I/O +PIDS +HEALTH");
    assertThat(lines)
        .anyMatch(
            Pattern.compile(
                    Pattern.quote(name)
                        + " +(\\d+\\.\\d\\d%|--) +[\\d.]+[KMG]?i?B / 64MiB +\\d+\\.\\d\\d% +0B / 0B"
                        + " +\\S+ / \\S+ +1 +(starting|healthy)")
                .asMatchPredicate());
    assertThat(lines.get(lines.size() - 1)).matches("\\d+ running, \\d+ healthy, \\d+ unhealthy");
  }

  @Test
  void theTableComesWithoutLogLinesUnlessLogLevelAsks() throws Exception {
    Result quiet = jar("status");

    assertThat(quiet.exit()).as(quiet.err()).isZero();
    assertThat(quiet.out().lines().findFirst())
        .hasValueSatisfying(l -> assertThat(l).startsWith("NAME "));
    assertThat(quiet.out()).contains(name);
    // Nothing at all on stderr: no INFO lines (engine up, stats source) before or after the table.
    assertThat(quiet.err()).isEmpty();

    Result chatty = jar("status", "--log.level=info");

    assertThat(chatty.exit()).as(chatty.err()).isZero();
    assertThat(chatty.out()).contains(name);
    assertThat(chatty.err().lines()).isNotEmpty().anyMatch(l -> l.contains("level=info"));
  }

  /**
   * Over the local unix socket no TLS is spoken, so the JDK's CA certificates are never read and
   * httpclient5's public suffix list is never parsed (left out of both jars): about 2 MiB of live
   * heap and 260 classes less in every command that talks to the engine (docs/benchmarks.md).
   */
  @Test
  void theLocalEngineIsReachedWithoutTheDefaultTlsContextOrThePublicSuffixList() throws Exception {
    String host = System.getenv("DOCKER_HOST");
    assertThat(host == null || host.startsWith("unix://"))
        .as("the test engine is reached over a unix socket, got DOCKER_HOST=" + host)
        .isTrue();
    Path classes = Files.createTempFile("cm-status-classes", ".log");
    try {
      Result r = jar(List.of("-Xlog:class+load=info:file=" + classes), "status", "--json");

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains(name);
      String loaded = Files.readString(classes, StandardCharsets.UTF_8);
      assertThat(loaded)
          .contains("io.clustermonitor.core.internal.UnusedTlsContext ")
          .contains("org.apache.hc.client5.http.psl.PublicSuffixMatcherLoader ")
          .doesNotContain("sun.security.ssl.SSLContextImpl$DefaultSSLContext ")
          .doesNotContain("sun.security.ssl.TrustStoreManager ")
          .doesNotContain("org.apache.hc.client5.http.psl.PublicSuffixListParser ");
    } finally {
      Files.deleteIfExists(classes);
    }
    for (Path jar : List.of(JAR, JAR.resolveSibling("cluster-monitor-exporters.jar"))) {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        assertThat(zip.getEntry("org/publicsuffix/list/effective_tld_names.dat"))
            .as(jar.toString())
            .isNull();
      }
    }
  }

  @Test
  void aBadLogLevelIsAUsageError() throws Exception {
    Result r = jar("status", "--log.level=loud");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("--log.level must be debug, info, warn or error");
  }

  @Test
  void jsonHasTheSameValues() throws Exception {
    Result r = jar("status", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    JsonNode mine = null;
    for (JsonNode c : json.get("containers")) {
      if (c.get("name").asText().equals(name)) {
        mine = c;
      }
    }
    assertThat(mine).as(r.out()).isNotNull();
    assertThat(mine.get("memoryLimitBytes").asLong()).isEqualTo(64 * MIB);
    assertThat(mine.get("pids").asLong()).isEqualTo(1);
    assertThat(mine.get("memoryPercent").asDouble())
        .isCloseTo(
            mine.get("memoryWorkingSetBytes").asLong() * 100.0 / (64 * MIB),
            org.assertj.core.api.Assertions.within(0.005));
    assertThat(json.get("summary").get("running").asInt()).isEqualTo(json.get("containers").size());
  }

  @Test
  void watchRefreshesTheGivenNumberOfTimes() throws Exception {
    Result r = jar("status", "--watch", "1", "--count", "2");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().filter(l -> l.startsWith("NAME ")).count()).isEqualTo(2);
  }

  @Test
  void anUnreachableHostIsAOneLineErrorWithExitCode2() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }

    Result r = jar("status", "--host", "tcp://127.0.0.1:" + port);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip())
        .hasLineCount(1)
        .startsWith("cluster-monitor: Docker engine unavailable at tcp://127.0.0.1:" + port)
        .doesNotContain("Exception");
  }

  @Test
  void aMissingSocketIsAOneLineErrorWithExitCode2() throws Exception {
    Path socket = Files.createTempDirectory("cm-status").resolve("docker.sock");

    Result r = jar("status", "-H", "unix://" + socket);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip())
        .hasLineCount(1)
        .startsWith("cluster-monitor: Docker engine unavailable at unix://" + socket);
    Files.deleteIfExists(socket.getParent());
  }

  @Test
  void versionComesFromTheJar() throws Exception {
    Result r = jar("--version");

    assertThat(r.exit()).isZero();
    assertThat(r.out().strip()).startsWith("cluster-monitor ").doesNotContain("development");
  }
}
