package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
  @TempDir static Path dir;
  static Path keystore;

  @BeforeAll
  static void createKeystore() throws Exception {
    keystore = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void metricsAreServedOverHttpsWithTheKeystore() throws Exception {
    try (ExporterServer server =
        ExporterServer.builder()
            .tls(keystore, "changeit")
            .register(
                TestCollectors.fixed(
                    "l",
                    MetricFamily.builder("x_up", MetricType.GAUGE).help("x").sample(1).build()))
            .start()) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        trust.load(in, "changeit".toCharArray());
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);

      HttpResponse<String> response =
          HttpClient.newBuilder()
              .sslContext(ctx)
              .build()
              .send(
                  HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(server.uri().getScheme()).isEqualTo("https");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("x_up 1");
    }
  }

  @Test
  void aWrongKeystorePasswordFailsStartWithoutShowingIt() {
    assertThatThrownBy(() -> ExporterServer.builder().tls(keystore, "wrong-pw-123").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot load TLS keystore")
        .hasMessageNotContaining("wrong-pw-123");
  }
}
