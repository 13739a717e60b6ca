package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher the build writes to {@code target/bin/cluster-monitor} (the README's run command):
 * its JVM settings, the class-data sharing archive it writes on the first run and uses on the next,
 * user options winning, and a clean stdout.
 */
class LauncherIT {
  private static final Path TARGET = Path.of("target").toAbsolutePath();

  @TempDir Path dist;

  record Result(int exit, String out, String err) {}

  private Path install() throws IOException {
    Files.createDirectories(dist.resolve("bin"));
    Path launcher = dist.resolve("bin/cluster-monitor");
    Files.copy(TARGET.resolve("bin/cluster-monitor"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(TARGET.resolve("cluster-monitor.jar"), dist.resolve("cluster-monitor.jar"));
    return launcher;
  }

  private static Result run(Path launcher, Map<String, String> env, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("CLUSTER_MONITOR_OPTS");
    pb.environment().putAll(env);
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    Result r =
        new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  private List<Path> archives() throws IOException {
    try (Stream<Path> s = Files.list(dist)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
    }
  }

  @Test
  void firstRunWritesTheArchiveTheSecondUsesItAndStdoutStaysClean() throws Exception {
    Path launcher = install();
    Result first = run(launcher, Map.of(), "--version");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out().strip()).doesNotContain("warning").doesNotContain("[").isNotEmpty();
    assertThat(archives()).hasSize(1);

    // -Xshare:on makes the JVM fail unless it can map the archive the launcher names.
    Result second = run(launcher, Map.of("CLUSTER_MONITOR_OPTS", "-Xshare:on"), "--version");
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
  }

  @Test
  void appliesItsHeapAndGcSettingsAndUserOptionsWin() throws Exception {
    Path launcher = install();
    Result defaults =
        run(
            launcher,
            Map.of("CLUSTER_MONITOR_CDS", "off", "CLUSTER_MONITOR_OPTS", "-XX:+PrintFlagsFinal"),
            "--version");
    assertThat(defaults.exit()).as(defaults.err()).isZero();
    assertThat(flag(defaults.out(), "MaxHeapSize")).isEqualTo(String.valueOf(64L << 20));
    assertThat(flag(defaults.out(), "UseSerialGC")).isEqualTo("true");
    assertThat(flag(defaults.out(), "TieredStopAtLevel")).isEqualTo("1");
    assertThat(archives()).isEmpty();

    Result overridden =
        run(
            launcher,
            Map.of(
                "CLUSTER_MONITOR_CDS",
                "off",
                "CLUSTER_MONITOR_OPTS",
                "-Xmx128m -XX:+PrintFlagsFinal"),
            "--version");
    assertThat(flag(overridden.out(), "MaxHeapSize")).isEqualTo(String.valueOf(128L << 20));
  }

  @Test
  void aMissingJarIsOneClearLine() throws Exception {
    Path launcher = install();
    Files.delete(dist.resolve("cluster-monitor.jar"));
    Result r = run(launcher, Map.of(), "serve");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip())
        .startsWith("cluster-monitor: ")
        .contains("not found")
        .doesNotContain("\n");
  }

  /** The value of one JVM flag in {@code -XX:+PrintFlagsFinal} output. */
  private static String flag(String printFlagsFinal, String name) {
    return printFlagsFinal
        .lines()
        .map(String::trim)
        .map(l -> l.split("\\s+"))
        .filter(f -> f.length >= 4 && f[1].equals(name))
        .map(f -> f[3])
        .findFirst()
        .orElseThrow(() -> new AssertionError("no flag " + name));
  }
}
