package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log.format}/{@code --log.level} (and redis_exporter's {@code -log-format}) of the
 * runnable jar, read from the stderr of the command, next to the Go exporters from Debian started
 * with the same format: the same keys, the same timestamp and caller shapes.
 */
class LogFormatIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path JAR = Path.of("target", "cluster-monitor.jar").toAbsolutePath();
  private static final Pattern GO_TS =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
  private static final Pattern CALLER = Pattern.compile("[A-Za-z0-9_]+\\.(java|go):\\d+");
  private static final Pattern LOGFMT_PAIR =
      Pattern.compile("([A-Za-z0-9_.]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|[^ \"]*)(?: |$)");

  @TempDir Path dir;

  /** A child process we started, with its stdout and stderr in files; ended by its own handle. */
  static final class Child implements AutoCloseable {
    final Process process;
    final Path out;
    final Path err;

    Child(Path dir, String name, List<String> command) throws IOException {
      out = dir.resolve(name + ".out");
      err = dir.resolve(name + ".err");
      process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
    }

    String read(Path file) {
      try {
        return Files.readString(file);
      } catch (IOException e) {
        return "";
      }
    }

    /** Waits (60 s at most) until stdout or stderr holds {@code text}, then stops the process. */
    List<String> stderrAfter(String text) throws Exception {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> read(out).contains(text) || read(err).contains(text) || !process.isAlive());
      close();
      assertThat(read(out) + read(err))
          .as("output of " + process.info().commandLine())
          .contains(text);
      return read(err).lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroy();
        try {
          if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private Child ours(String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(List.of(args));
    return new Child(dir, name, cmd);
  }

  private Child go(String name, String... command) throws IOException {
    return new Child(dir, name, List.of(command));
  }

  private static JsonNode json(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      assertThat(n.isObject()).as(line).isTrue();
      return n;
    } catch (IOException e) {
      throw new AssertionError("not one JSON object: " + line, e);
    }
  }

  private static Set<String> keys(JsonNode n) {
    Set<String> k = new TreeSet<>();
    n.fieldNames().forEachRemaining(k::add);
    return k;
  }

  /** The key=value pairs of one logfmt line, in order; fails on anything else. */
  static Map<String, String> logfmt(String line) {
    Map<String, String> pairs = new LinkedHashMap<>();
    Matcher m = LOGFMT_PAIR.matcher(line);
    int at = 0;
    while (at < line.length() && m.find(at) && m.start() == at) {
      String v = m.group(2);
      if (v.startsWith("\"")) {
        v = json("{\"v\":" + v + "}").get("v").asText();
      }
      pairs.put(m.group(1), v);
      at = m.end();
    }
    assertThat(at).as("a logfmt line: " + line).isEqualTo(line.length());
    return pairs;
  }

  private static JsonNode lineWith(List<String> lines, Predicate<JsonNode> which) {
    return lines.stream()
        .map(LogFormatIT::json)
        .filter(which)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no such line in " + lines));
  }

  @Test
  void jsonIsOneObjectPerLineWithPromlogsKeysAsGosNodeExporterWritesThem() throws Exception {
    List<String> ourLines;
    try (Child c =
        ours(
            "ours-json",
            "node-exporter",
            "--listen",
            "127.0.0.1:0",
            "--log.format=json",
            "--web.systemd-socket")) {
      ourLines = c.stderrAfter(" on http://");
    }
    List<String> goLines;
    try (Child g =
        go(
            "go-json",
            "prometheus-node-exporter",
            "--web.listen-address=127.0.0.1:0",
            "--log.format=json",
            "--collector.disable-defaults",
            "--collector.loadavg")) {
      goLines = g.stderrAfter("Listening on");
    }

    assertThat(ourLines).isNotEmpty();
    for (String line : ourLines) {
      JsonNode n = json(line);
      assertThat(keys(n)).as(line).containsExactly("caller", "level", "msg", "ts");
      assertThat(n.get("ts").asText()).matches(GO_TS);
      assertThat(n.get("caller").asText()).matches(CALLER);
      assertThat(n.get("level").asText()).isIn("debug", "info", "warn", "error");
    }
    JsonNode warn = lineWith(ourLines, n -> n.get("msg").asText().contains("web.systemd-socket"));
    assertThat(warn.get("level").asText()).isEqualTo("warn");

    // Go's line without extra fields has exactly the same keys and shapes.
    JsonNode enabled = lineWith(goLines, n -> n.path("msg").asText().equals("Enabled collectors"));
    assertThat(keys(enabled)).isEqualTo(keys(warn));
    assertThat(enabled.get("ts").asText()).matches(GO_TS);
    assertThat(enabled.get("caller").asText()).matches(CALLER);
  }

  @Test
  void logfmtIsTheDefaultWithPromlogsKeyOrder() throws Exception {
    List<String> ourLines;
    try (Child c =
        ours("ours-logfmt", "node-exporter", "--listen", "127.0.0.1:0", "--web.systemd-socket")) {
      ourLines = c.stderrAfter(" on http://");
    }
    List<String> goLines;
    try (Child g =
        go(
            "go-logfmt",
            "prometheus-node-exporter",
            "--web.listen-address=127.0.0.1:0",
            "--collector.disable-defaults",
            "--collector.loadavg")) {
      goLines = g.stderrAfter("Listening on");
    }
    assertThat(ourLines).isNotEmpty();
    boolean warned = false;
    for (String line : ourLines) {
      Map<String, String> p = logfmt(line);
      assertThat(new ArrayList<>(p.keySet()))
          .as(line)
          .containsExactly("ts", "caller", "level", "msg");
      assertThat(p.get("ts")).matches(GO_TS);
      assertThat(p.get("caller")).matches(CALLER);
      warned |= p.get("level").equals("warn") && p.get("msg").contains("web.systemd-socket");
    }
    assertThat(warned).as("a level=warn line naming the flag in " + ourLines).isTrue();
    int goMessages = 0;
    for (String line : goLines) {
      Map<String, String> p = logfmt(line);
      if (!p.containsKey("msg")) {
        continue; // e.g. go-kit's "collector=loadavg" lines under "Enabled collectors"
      }
      goMessages++;
      assertThat(new ArrayList<>(p.keySet()).subList(0, 4))
          .as(line)
          .containsExactly("ts", "caller", "level", "msg");
      assertThat(p.get("ts")).matches(GO_TS);
    }
    assertThat(goMessages).as("Go's lines with a msg: " + goLines).isPositive();
  }

  @Test
  void logLevelHidesWhatIsBelowIt() throws Exception {
    try (Child c =
        ours(
            "ours-level",
            "node-exporter",
            "--listen",
            "127.0.0.1:0",
            "--log.level=error",
            "--web.systemd-socket")) {
      List<String> lines = c.stderrAfter(" on http://");
      assertThat(lines).noneMatch(l -> l.contains("level=warn") || l.contains("level=info"));
    }
  }

  @Test
  void redisExporterLogsLikeLogrusInTxtAndJson() throws Exception {
    String noRedis = "redis://127.0.0.1:1";
    List<String> txt;
    try (Child c =
        ours(
            "ours-txt",
            "redis-exporter",
            "-web.listen-address=127.0.0.1:0",
            "-redis.addr=" + noRedis,
            "-web.systemd-socket")) {
      txt = c.stderrAfter(" on http://");
    }
    List<String> json;
    try (Child c =
        ours(
            "ours-rjson",
            "redis-exporter",
            "-web.listen-address=127.0.0.1:0",
            "-redis.addr=" + noRedis,
            "-log-format=json",
            "-web.systemd-socket")) {
      json = c.stderrAfter(" on http://");
    }
    List<String> goJson;
    try (Child g =
        go(
            "go-rjson",
            "prometheus-redis-exporter",
            "-web.listen-address=127.0.0.1:0",
            "-redis.addr=" + noRedis,
            "-log-format=json")) {
      goJson = g.stderrAfter("Providing metrics at");
    }

    assertThat(txt).isNotEmpty();
    for (String line : txt) {
      assertThat(new ArrayList<>(logfmt(line).keySet()))
          .as(line)
          .containsExactly("time", "level", "msg");
    }
    assertThat(json).isNotEmpty();
    Set<String> goKeys = keys(lineWith(goJson, n -> n.has("msg")));
    for (String line : json) {
      assertThat(keys(json(line)))
          .as(line)
          .isEqualTo(goKeys)
          .containsExactly("level", "msg", "time");
    }
  }
}
