package io.clustermonitor.exporters.redis;

import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.get;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} against a TLS-only redis-server this test starts ({@code --port 0 --tls-port},
 * client certificates required, the default user off, an ACL user {@code monitor}), with
 * certificates made here by openssl: a CA, a server certificate for 127.0.0.1 only and a client
 * certificate with a PKCS#1 key.
 */
class RedisTlsIT {
  static final String USER = "monitor";
  static final String PASSWORD = "cm-tls-Acl-Pw-7";

  @TempDir static Path dir;
  static CompatSupport.Started redis;
  static int port;

  static void openssl(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "/usr/bin/openssl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }

  @BeforeAll
  static void certificatesAndServer() throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-subj",
        "/CN=cm-test-ca",
        "-days",
        "2");
    Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=cm-test-server");
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "server.ext");
    openssl("genrsa", "-traditional", "-out", "client.key", "2048");
    openssl(
        "req", "-new", "-key", "client.key", "-out", "client.csr", "-subj", "/CN=cm-test-client");
    openssl(
        "x509",
        "-req",
        "-in",
        "client.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "client.crt",
        "-days",
        "2");
    assertThat(Files.readString(dir.resolve("client.key"))).contains("BEGIN RSA PRIVATE KEY");
    port = freePort();
    redis =
        RedisServers.start(
            dir,
            0,
            "--bind",
            "127.0.0.1",
            "127.0.0.2",
            "--tls-port",
            Integer.toString(port),
            "--tls-cert-file",
            dir.resolve("server.crt").toString(),
            "--tls-key-file",
            dir.resolve("server.key").toString(),
            "--tls-ca-cert-file",
            dir.resolve("ca.crt").toString(),
            "--tls-auth-clients",
            "yes",
            "--user",
            "default",
            "off",
            "--user",
            USER,
            "on",
            ">" + PASSWORD,
            "~*",
            "&*",
            "+@all");
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  static RedisCollector.Builder tls(String host) {
    return RedisCollector.builder()
        .address("rediss://" + host + ":" + port)
        .user(USER)
        .password(PASSWORD)
        .tlsCaCertFile(dir.resolve("ca.crt"))
        .tlsClientCertFile(dir.resolve("client.crt"))
        .tlsClientKeyFile(dir.resolve("client.key"))
        .timeout(Duration.ofSeconds(10));
  }

  static String error(List<MetricFamily> f) {
    return f.stream()
        .filter(m -> m.name().equals("redis_exporter_last_scrape_error"))
        .findFirst()
        .orElseThrow()
        .samples()
        .get(0)
        .labels()
        .get("err");
  }

  @Test
  void anAclUserOverVerifiedTlsWithAClientCertificateIsUp() {
    try (RedisCollector c = tls("127.0.0.1").build()) {
      List<MetricFamily> f = c.collect();
      assertThat(error(f)).isEmpty();
      Map<String, CompatSupport.Parsed> p = parse(CollectorTestKit.render(f));
      assertThat(value(p, "redis_up")).isEqualTo(1);
      assertThat(p.get("redis_instance_info").samples().get(0).labels())
          .containsEntry("tcp_port", Integer.toString(port));
      assertThat(value(p, "redis_connected_clients")).isEqualTo(1);
      assertThat(CollectorTestKit.render(f)).doesNotContain(PASSWORD);
    }
  }

  @Test
  void aWrongAclPasswordIsUpZeroWithoutThePassword() {
    try (RedisCollector c = tls("127.0.0.1").password("cm-wrong-Tls-Pw").build()) {
      List<MetricFamily> f = c.collect();
      assertThat(value(parse(CollectorTestKit.render(f)), "redis_up")).isZero();
      assertThat(error(f)).contains("WRONGPASS").doesNotContain("cm-wrong-Tls-Pw");
    }
  }

  @Test
  void theServerCertificateIsVerifiedUnlessSkipped() {
    // no CA file: the JDK trust store does not know the test CA
    try (RedisCollector c =
        tls("127.0.0.1").tlsCaCertFile(null).timeout(Duration.ofSeconds(10)).build()) {
      List<MetricFamily> f = c.collect();
      assertThat(value(parse(CollectorTestKit.render(f)), "redis_up")).isZero();
      assertThat(error(f)).containsIgnoringCase("certification path");
    }
    // 127.0.0.2 is not in the certificate: host name verification fails
    try (RedisCollector c = tls("127.0.0.2").build()) {
      List<MetricFamily> f = c.collect();
      assertThat(value(parse(CollectorTestKit.render(f)), "redis_up")).isZero();
      assertThat(error(f)).containsIgnoringCase("127.0.0.2");
    }
    try (RedisCollector c =
        tls("127.0.0.2").tlsCaCertFile(null).skipTlsVerification(true).build()) {
      assertThat(value(parse(CollectorTestKit.render(c.collect())), "redis_up")).isEqualTo(1);
    }
    // without the client certificate the server refuses the handshake
    try (RedisCollector c =
        RedisCollector.builder()
            .address("rediss://127.0.0.1:" + port)
            .user(USER)
            .password(PASSWORD)
            .tlsCaCertFile(dir.resolve("ca.crt"))
            .timeout(Duration.ofSeconds(10))
            .build()) {
      assertThat(value(parse(CollectorTestKit.render(c.collect())), "redis_up")).isZero();
    }
  }

  @Test
  void aTlsTargetOfScrapeGetsItsPasswordFileEntryAndTheConfiguredUser() throws Exception {
    Path file = dir.resolve("pw.json");
    Files.writeString(file, "{\"rediss://127.0.0.1:" + port + "\": \"" + PASSWORD + "\"}");
    try (RedisCollector c = tls("127.0.0.1").address("").password("").passwordFile(file).build();
        ExporterServer s =
            ExporterServer.builder()
                .host("127.0.0.1")
                .port(0)
                .namespace("redis")
                .register(c)
                .target("/scrape", c.targetScraper())
                .start()) {
      String target = URLEncoder.encode("rediss://127.0.0.1:" + port, StandardCharsets.UTF_8);
      String body = get("http://127.0.0.1:" + s.port() + "/scrape?target=" + target).body();
      assertThat(value(parse(body), "redis_up")).isEqualTo(1);
      assertThat(body).doesNotContain(PASSWORD);
    }
  }

  @Test
  void unusableTlsFilesAreClearErrorsNamingTheFileOnly() throws Exception {
    Path notPem = dir.resolve("not.pem");
    Files.writeString(notPem, "hello " + PASSWORD);
    assertThatThrownBy(() -> tls("127.0.0.1").tlsCaCertFile(notPem).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not.pem")
        .hasMessageNotContaining(PASSWORD);
    assertThatThrownBy(() -> tls("127.0.0.1").tlsClientKeyFile(dir.resolve("missing.key")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.key");
    assertThatThrownBy(() -> tls("127.0.0.1").tlsClientKeyFile(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both");
  }
}
