package io.clustermonitor.exporters.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One web config file, two servers: ours (ExporterServer + WebConfig) and Debian's node_exporter
 * 1.5 started with {@code --web.config.file} on another port. Every answer is asked of both.
 */
class WebConfigIT {
  static final String GO = "/usr/bin/prometheus-node-exporter";

  @TempDir static Path dir;
  static final List<AutoCloseable> started = new ArrayList<>();
  static Server oursTls;
  static Server goTls;
  static Server oursMtls;
  static Server goMtls;

  record Server(String name, int port) {
    URI uri(String path) {
      return URI.create("https://127.0.0.1:" + port + path);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    WebTestFiles.selfSigned(dir, "first", "first");
    WebTestFiles.selfSigned(dir, "second", "second");
    WebTestFiles.selfSigned(dir, "ca", "client-ca");
    WebTestFiles.signedBy(dir, "client", "ca", "scraper");
    Files.copy(dir.resolve("first.crt"), dir.resolve("server.crt"));
    Files.copy(dir.resolve("first.key"), dir.resolve("server.key"));
    String users =
        "basic_auth_users:\n"
            + "  alice: '"
            + WebTestFiles.bcrypt(dir, "alice", "wonderland")
            + "'\n"
            + "  bob: '"
            + WebTestFiles.bcrypt(dir, "bob", "builder")
            + "'\n";
    Path web = dir.resolve("web.yml");
    Files.writeString(
        web,
        "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
            + "http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
            + users);
    Path mtls = dir.resolve("mtls.yml");
    Files.writeString(
        mtls,
        "tls_server_config:\n  cert_file: first.crt\n  key_file: first.key\n"
            + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n"
            + users);
    oursTls = ours("ours", web);
    goTls = go("node_exporter", web);
    oursMtls = ours("ours mTLS", mtls);
    goMtls = go("node_exporter mTLS", mtls);
  }

  static Server ours(String name, Path file) {
    MetricsCollector up =
        new MetricsCollector() {
          @Override
          public String name() {
            return "up";
          }

          @Override
          public List<MetricFamily> collect() {
            return List.of(
                MetricFamily.builder("node_load1", MetricType.GAUGE)
                    .help("1m load.")
                    .sample(0.5)
                    .build());
          }
        };
    ExporterServer s =
        WebConfig.load(file)
            .applyTo(ExporterServer.builder())
            .listenAddress("127.0.0.1:0")
            .namespace("node")
            .register(up)
            .start();
    started.add(s);
    return new Server(name, s.port());
  }

  static Server go(String name, Path file) throws Exception {
    int port = CompatSupport.freePort();
    CompatSupport.Started p =
        CompatSupport.start(
            java.util.Map.of(),
            GO,
            "--web.listen-address=127.0.0.1:" + port,
            "--web.config.file=" + file,
            "--collector.disable-defaults",
            "--collector.loadavg");
    started.add(p);
    Server s = new Server(name, port);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return socket.isConnected();
              }
            });
    return s;
  }

  @AfterAll
  static void stop() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }

  static SSLContext client(boolean withCert) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    javax.net.ssl.KeyManager[] keys = null;
    if (withCert) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(
          "client",
          Pem.privateKey(Files.readAllBytes(dir.resolve("client.key"))),
          new char[0],
          Pem.certificates(Files.readAllBytes(dir.resolve("client.crt")))
              .toArray(new X509Certificate[0]));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      keys = kmf.getKeyManagers();
    }
    ctx.init(keys, new TrustManager[] {new WebConfigTest.TrustAll()}, null);
    return ctx;
  }

  static HttpResponse<String> get(Server s, String user, String password, boolean clientCert)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(client(clientCert))
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    HttpRequest.Builder r =
        HttpRequest.newBuilder(s.uri("/metrics")).timeout(Duration.ofSeconds(30));
    if (user != null) {
      r.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<Server> tlsServers() {
    return List.of(oursTls, goTls);
  }

  @Test
  void rightUserGets200WithTheConfiguredHeader() throws Exception {
    for (Server s : tlsServers()) {
      HttpResponse<String> r = get(s, "alice", "wonderland", false);
      assertThat(r.statusCode()).as(s.name()).isEqualTo(200);
      assertThat(r.body()).as(s.name()).contains("node_load1");
      assertThat(r.headers().firstValue("X-Frame-Options")).as(s.name()).hasValue("deny");
      assertThat(get(s, "bob", "builder", false).statusCode()).as(s.name()).isEqualTo(200);
    }
  }

  @Test
  void wrongPasswordUnknownUserAndNoCredentialsGet401WithBasicChallenge() throws Exception {
    for (Server s : tlsServers()) {
      for (String[] cred :
          new String[][] {{"alice", "builder"}, {"mallory", "wonderland"}, {null, null}}) {
        HttpResponse<String> r = get(s, cred[0], cred[1], false);
        assertThat(r.statusCode()).as("%s %s", s.name(), cred[0]).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate"))
            .as("%s %s", s.name(), cred[0])
            .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(r.body()).doesNotContain("node_load1");
      }
    }
  }

  /** What a plain-HTTP request on the TLS port gets: never metrics. */
  static String plainHttp(Server s) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return answer.isEmpty() ? "closed" : answer.lines().findFirst().orElse("");
    } catch (IOException e) {
      return "closed";
    }
  }

  @Test
  void plainHttpOnTheTlsPortIsRefused() {
    for (Server s : tlsServers()) {
      String answer = plainHttp(s);
      // Go answers "HTTP/1.0 400 Bad Request" (client sent HTTP to an HTTPS server); the JDK
      // closes the connection. Neither serves anything.
      assertThat(answer)
          .as(s.name())
          .satisfiesAnyOf(
              a -> assertThat(a).isEqualTo("closed"),
              a -> assertThat(a).startsWith("HTTP/1.0 400"),
              a -> assertThat(a).startsWith("\u0015\u0003")); // a TLS alert record
      assertThat(answer).doesNotContain("200");
    }
  }

  @Test
  void clientCertificateRequiredWhenTheFileSaysSo() throws Exception {
    for (Server s : List.of(oursMtls, goMtls)) {
      boolean refused;
      try {
        refused = get(s, "alice", "wonderland", false).statusCode() != 200;
      } catch (IOException e) {
        refused = true;
      }
      assertThat(refused).as("%s without a client certificate", s.name()).isTrue();
      HttpResponse<String> r = get(s, "alice", "wonderland", true);
      assertThat(r.statusCode()).as(s.name()).isEqualTo(200);
      assertThat(get(s, "alice", "nope", true).statusCode()).as(s.name()).isEqualTo(401);
    }
  }

  /** The subject of the server certificate of a new handshake. */
  static String certificateSubject(Server s) throws Exception {
    try (SSLSocket socket =
        (SSLSocket)
            client(false)
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), s.port())) {
      socket.setSoTimeout(15_000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    }
  }

  @Test
  void replacedCertificateIsUsedByTheNextHandshake() throws Exception {
    for (Server s : tlsServers()) {
      assertThat(certificateSubject(s)).as(s.name()).isEqualTo("CN=first");
    }
    Files.copy(dir.resolve("second.key"), dir.resolve("server.key.new"));
    Files.copy(dir.resolve("second.crt"), dir.resolve("server.crt.new"));
    Files.move(
        dir.resolve("server.key.new"),
        dir.resolve("server.key"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Files.move(
        dir.resolve("server.crt.new"),
        dir.resolve("server.crt"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    try {
      for (Server s : tlsServers()) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(300))
            .ignoreExceptions()
            .untilAsserted(() -> assertThat(certificateSubject(s)).isEqualTo("CN=second"));
        assertThat(get(s, "alice", "wonderland", false).statusCode()).as(s.name()).isEqualTo(200);
      }
    } finally {
      Files.copy(
          dir.resolve("first.key"), dir.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(
          dir.resolve("first.crt"), dir.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
      for (Server s : tlsServers()) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(300))
            .ignoreExceptions()
            .untilAsserted(() -> assertThat(certificateSubject(s)).isEqualTo("CN=first"));
      }
    }
  }
}
