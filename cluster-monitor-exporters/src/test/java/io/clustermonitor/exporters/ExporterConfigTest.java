package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExporterConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsApplyWhenNothingIsSet() {
    ExporterConfig c = ExporterConfig.fromEnvironment(Map.of(), "127.0.0.1:9100");

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(9100);
    assertThat(c.bearerToken()).isEmpty();
    assertThat(c.basicAuthUser()).isEmpty();
    assertThat(c.tlsKeystore()).isEmpty();
    assertThat(c.collectorTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void flagsWinOverEnvironment() {
    ExporterConfig c =
        ExporterConfig.parse(
            new String[] {"--web.listen-address=0.0.0.0:9200", "--collector.timeout", "1500ms"},
            Map.of("CM_WEB_LISTEN_ADDRESS", "127.0.0.1:9300", "CM_COLLECTOR_TIMEOUT", "9s"),
            "127.0.0.1:9100");

    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(9200);
    assertThat(c.collectorTimeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void secretFileWinsOverTheVariableAndLosesItsTrailingNewline() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "from-file\n");

    ExporterConfig c =
        ExporterConfig.fromEnvironment(
            Map.of("CM_WEB_BEARER_TOKEN", "from-env", "CM_WEB_BEARER_TOKEN_FILE", file.toString()),
            "127.0.0.1:9100");

    assertThat(c.bearerToken()).hasValue("from-file");
    assertThat(c.toString()).doesNotContain("from-file");
  }

  @Test
  void secretHelperReadsTheVariableWhenNoFileIsSet() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "p@ss\r\n");

    assertThat(ExporterConfig.secret(Map.of("REDIS_PASSWORD", "plain"), "REDIS_PASSWORD"))
        .hasValue("plain");
    assertThat(
            ExporterConfig.secret(Map.of("REDIS_PASSWORD_FILE", file.toString()), "REDIS_PASSWORD"))
        .hasValue("p@ss");
    assertThat(ExporterConfig.secret(Map.of(), "REDIS_PASSWORD")).isEmpty();
  }

  @Test
  void anUnreadableSecretFileNamesTheVariable() {
    assertThatThrownBy(
            () ->
                ExporterConfig.secret(
                    Map.of("DATA_SOURCE_PASS_FILE", dir.resolve("missing").toString()),
                    "DATA_SOURCE_PASS"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DATA_SOURCE_PASS_FILE")
        .hasMessageContaining("missing");
  }

  @Test
  void anEmptySecretFileIsAnError() throws Exception {
    Path file = Files.writeString(dir.resolve("empty"), "\n");

    assertThatThrownBy(
            () ->
                ExporterConfig.fromEnvironment(
                    Map.of("CM_WEB_BEARER_TOKEN_FILE", file.toString()), "127.0.0.1:1"))
        .hasMessageContaining("CM_WEB_BEARER_TOKEN_FILE")
        .hasMessageContaining("empty");
  }

  @Test
  void basicAuthPasswordFileFlagIsRead() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "hunter2\n");

    ExporterConfig c =
        ExporterConfig.parse(
            new String[] {"--web.basic-auth-user=prom", "--web.basic-auth-password-file=" + file},
            Map.of(),
            "127.0.0.1:9100");

    assertThat(c.basicAuthUser()).hasValue("prom");
    assertThat(c.basicAuthPassword()).hasValue("hunter2");
    assertThat(c.toString()).contains("basic(prom)").doesNotContain("hunter2");
  }

  @Test
  void badInputIsRejectedWithClearMessages() {
    Map<String, String> none = Map.of();
    assertThatThrownBy(() -> ExporterConfig.parse(new String[] {"--nope=1"}, none, "127.0.0.1:1"))
        .hasMessageContaining("Unknown flag --nope");
    assertThatThrownBy(
            () -> ExporterConfig.parse(new String[] {"--web.listen-address"}, none, "127.0.0.1:1"))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> ExporterConfig.parse(new String[] {"stray"}, none, "127.0.0.1:1"))
        .hasMessageContaining("Unexpected argument");
    assertThatThrownBy(() -> ExporterConfig.fromEnvironment(none, "127.0.0.1"))
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> ExporterConfig.fromEnvironment(none, "127.0.0.1:http"))
        .hasMessageContaining("numeric port");
    assertThatThrownBy(() -> ExporterConfig.fromEnvironment(none, "127.0.0.1:99999"))
        .hasMessageContaining("out of range");
    assertThatThrownBy(
            () -> ExporterConfig.fromEnvironment(Map.of("CM_COLLECTOR_TIMEOUT", "soon"), "h:1"))
        .hasMessageContaining("CM_COLLECTOR_TIMEOUT");
    assertThatThrownBy(
            () -> ExporterConfig.fromEnvironment(Map.of("CM_COLLECTOR_TIMEOUT", "0s"), "h:1"))
        .hasMessageContaining("positive");
    assertThatThrownBy(
            () -> ExporterConfig.fromEnvironment(Map.of("CM_WEB_BASIC_AUTH_USER", "u"), "h:1"))
        .hasMessageContaining("needs both");
    assertThatThrownBy(
            () -> ExporterConfig.fromEnvironment(Map.of("CM_WEB_TLS_KEYSTORE", "/k.p12"), "h:1"))
        .hasMessageContaining("CM_WEB_TLS_KEYSTORE_PASSWORD");
  }

  @Test
  void configIsAppliedToTheServer() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "tok\n");
    ExporterConfig c =
        ExporterConfig.parse(
            new String[] {"--web.listen-address=127.0.0.1:0", "--web.bearer-token-file=" + file},
            Map.of(),
            "127.0.0.1:9100");

    try (ExporterServer server = ExporterServer.builder().config(c).start()) {
      var http = java.net.http.HttpClient.newHttpClient();
      var req = java.net.http.HttpRequest.newBuilder(server.uri().resolve("/metrics"));
      assertThat(
              http.send(req.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                  .statusCode())
          .isEqualTo(401);
      assertThat(
              http.send(
                      req.header("Authorization", "Bearer tok").build(),
                      java.net.http.HttpResponse.BodyHandlers.discarding())
                  .statusCode())
          .isEqualTo(200);
    }
  }
}
