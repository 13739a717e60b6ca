package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** The jar's slf4j backend: line formats, escaping, timestamps, levels, callers. */
class LogLineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // 2024-01-02T03:04:05.006Z
  private static final long T = 1704164645006L;

  @AfterEach
  void defaults() {
    Logging.configure(Logging.Format.LOGFMT, "info");
  }

  @Test
  void logfmtIsPromlogsLine() {
    assertThat(
            LogLine.format(
                Logging.Format.LOGFMT, T, ZoneOffset.UTC, Level.WARN, "A.java:7", "a \"b\"", null))
        .isEqualTo("ts=2024-01-02T03:04:05.006Z caller=A.java:7 level=warn msg=\"a \\\"b\\\"\"\n");
  }

  @Test
  void jsonHasPromlogsKeysInGosOrderAndTheErrorAsOneField() throws Exception {
    String line =
        LogLine.format(
            Logging.Format.JSON,
            T,
            ZoneOffset.UTC,
            Level.ERROR,
            "A.java:7",
            "x\ny\u0001",
            new IllegalStateException("boom"));
    assertThat(line).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
    JsonNode n = JSON.readTree(line);
    assertThat(n.fieldNames()).toIterable().containsExactly("caller", "err", "level", "msg", "ts");
    assertThat(n.get("msg").asText()).isEqualTo("x\ny\u0001");
    assertThat(n.get("err").asText())
        .startsWith("java.lang.IllegalStateException: boom")
        .contains("\tat io.clustermonitor.examples.LogLineTest")
        .doesNotEndWith("\n");
    assertThat(n.get("ts").asText()).isEqualTo("2024-01-02T03:04:05.006Z");
    assertThat(line).contains("\\u0001");
  }

  @Test
  void logrusFormatsUseLocalSecondsWithTheOffset() throws Exception {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertThat(LogLine.format(Logging.Format.TXT, T, berlin, Level.INFO, null, "hi", null))
        .isEqualTo("time=\"2024-01-02T04:04:05+01:00\" level=info msg=\"hi\"\n");
    assertThat(LogLine.format(Logging.Format.TXT, T, ZoneOffset.UTC, Level.INFO, null, "hi", null))
        .isEqualTo("time=\"2024-01-02T03:04:05Z\" level=info msg=\"hi\"\n");
    assertThat(
            LogLine.format(
                Logging.Format.TXT, T, ZoneId.of("America/St_Johns"), Level.INFO, null, "", null))
        .startsWith("time=\"2024-01-01T23:34:05-03:30\"");
    String json =
        LogLine.format(
            Logging.Format.LOGRUS_JSON, T, berlin, Level.DEBUG, null, "m", new Error("e"));
    assertThat(JSON.readTree(json).fieldNames())
        .toIterable()
        .containsExactly("error", "level", "msg", "time");
    assertThat(JSON.readTree(json).get("time").asText()).isEqualTo("2024-01-02T04:04:05+01:00");
  }

  @Test
  void beforeTheEpochAndMillisecondsArePadded() {
    StringBuilder b = new StringBuilder();
    LogLine.utcMillis(b, -1L);
    assertThat(b).hasToString("1969-12-31T23:59:59.999Z");
    b.setLength(0);
    LogLine.utcMillis(b, 0L);
    assertThat(b).hasToString("1970-01-01T00:00:00.000Z");
  }

  @Test
  void aNullMessageIsAnEmptyString() {
    assertThat(
            LogLine.format(Logging.Format.LOGFMT, T, ZoneOffset.UTC, Level.INFO, null, null, null))
        .contains("caller=unknown:0 level=info msg=\"\"");
  }

  private static String captured(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theBackendIsOursAndWritesTheCallersFileAndLine() {
    Logger log = LoggerFactory.getLogger("io.clustermonitor.test");
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
        .startsWith(LogProvider.class.getName());
    String out = captured(() -> log.info("one {} and {}", 1, "two"));
    assertThat(out)
        .matches(
            "ts=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z caller=LogLineTest\\.java:\\d+"
                + " level=info msg=\"one 1 and two\"\n");
    // the fluent API's builder frames are slf4j's: the caller is still this file
    assertThat(captured(() -> log.atWarn().setMessage("fluent").log()))
        .contains("caller=LogLineTest.java:")
        .contains("level=warn msg=\"fluent\"");
    // a trailing throwable is the error, not an argument
    assertThat(captured(() -> log.error("failed {}", "x", new RuntimeException("why"))))
        .contains("msg=\"failed x\" err=\"java.lang.RuntimeException: why\\n\\tat ");
  }

  @Test
  void levelsFollowConfigureAndNoisyLibrariesStayQuieter() {
    Logger mine = LoggerFactory.getLogger("io.clustermonitor.x");
    Logger jetty = LoggerFactory.getLogger("org.eclipse.jetty.server.Server");
    Logger ssl = LoggerFactory.getLogger("org.eclipse.jetty.util.ssl.SslContextFactory.config");
    Logger notJetty = LoggerFactory.getLogger("org.eclipse.jettyx.Y");
    assertThat(mine.isDebugEnabled()).isFalse();
    Logging.configure(null, "DEBUG");
    assertThat(mine.isDebugEnabled()).isTrue();
    assertThat(captured(() -> mine.debug("d"))).contains("level=debug msg=\"d\"");
    assertThat(jetty.isInfoEnabled()).isFalse();
    assertThat(jetty.isWarnEnabled()).isTrue();
    assertThat(ssl.isWarnEnabled()).isFalse();
    assertThat(notJetty.isDebugEnabled()).isTrue();
    Logging.configure(null, "error");
    assertThat(jetty.isWarnEnabled()).as("error silences library warnings too").isFalse();
    assertThat(captured(() -> mine.warn("w"))).isEmpty();
    Logging.configure(Logging.Format.JSON, null);
    assertThat(captured(() -> mine.error("e"))).startsWith("{\"caller\":\"LogLineTest.java:");
  }

  @Test
  void anUnknownLevelIsRefusedAndChangesNothing() {
    Logging.configure(Logging.Format.TXT, "warn");
    assertThatThrownBy(() -> Logging.configure(Logging.Format.JSON, "verbose"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("verbose");
    assertThat(LineLogger.format).isEqualTo(Logging.Format.TXT);
    assertThat(LineLogger.root).isEqualTo(Level.WARN);
  }
}
