package io.clustermonitor.exporters.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebConfigTest {
  @TempDir static Path shared;
  static String aliceHash;
  static String bobHash;

  @TempDir Path dir;

  @BeforeAll
  static void hashesAndCerts() throws Exception {
    aliceHash = WebTestFiles.bcrypt(shared, "alice", "wonderland");
    bobHash = WebTestFiles.bcrypt(shared, "bob", "builder");
    WebTestFiles.selfSigned(shared, "server", "first");
    WebTestFiles.selfSigned(shared, "other", "second");
    WebTestFiles.selfSignedEc(shared, "ec");
  }

  private Path write(String yaml) throws Exception {
    Path f = dir.resolve("web.yml");
    Files.writeString(f, yaml);
    return f;
  }

  private Path copyCerts() throws Exception {
    for (String n : List.of("server", "other", "ec")) {
      for (String ext : List.of(".crt", ".key")) {
        Files.copy(
            shared.resolve(n + ext), dir.resolve(n + ext), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }

  private static String problem(Path file) {
    try {
      WebConfig.load(file);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).doesNotContain("\n").startsWith("web config file " + file + ": ");
      return e.getMessage().substring(("web config file " + file + ": ").length());
    }
    throw new AssertionError("no error for " + file);
  }

  @Test
  void emptyFileMeansPlainHttpWithoutAuth() throws Exception {
    WebConfig w = WebConfig.load(write(""));
    assertThat(w.tls()).isEmpty();
    assertThat(w.basicAuth()).isEmpty();
    assertThat(w.headers()).isEmpty();
    assertThat(w.http2()).isTrue();
  }

  @Test
  void unknownKeysAreRejectedWithOneLineNamingTheKey() throws Exception {
    assertThat(problem(write("tls_server_config:\n  cert: x\n")))
        .startsWith("unknown key 'tls_server_config.cert'")
        .contains("cert_file");
    assertThat(problem(write("basic_auth:\n  a: b\n")))
        .startsWith("unknown key 'basic_auth'")
        .contains("basic_auth_users");
    assertThat(problem(write("http_server_config:\n  http3: true\n")))
        .startsWith("unknown key 'http_server_config.http3'");
  }

  @Test
  void badYamlAndDuplicateKeysAreOneLine() throws Exception {
    assertThat(problem(write("basic_auth_users: [\n"))).startsWith("is not valid YAML");
    assertThat(problem(write("basic_auth_users:\n  a: x\n  a: y\n")))
        .startsWith("is not valid YAML");
  }

  @Test
  void badHashIsRejectedNamingTheUser() throws Exception {
    assertThat(problem(write("basic_auth_users:\n  carol: plaintext\n")))
        .startsWith("basic_auth_users: the hash of user 'carol' is not a bcrypt hash")
        .contains("htpasswd -nBC 10")
        .doesNotContain("plaintext");
    String truncated = aliceHash.substring(0, 40);
    assertThat(problem(write("basic_auth_users:\n  alice: " + truncated + "\n")))
        .contains("user 'alice'");
    assertThat(
            problem(write("basic_auth_users:\n  alice: '$2y$03$" + aliceHash.substring(7) + "'\n")))
        .contains("cost 3");
  }

  @Test
  void missingCertAndKeyAreNamed() throws Exception {
    assertThat(problem(write("tls_server_config:\n  key_file: x.key\n")))
        .isEqualTo("tls_server_config: missing cert_file");
    assertThat(problem(write("tls_server_config:\n  cert_file: x.crt\n")))
        .isEqualTo("tls_server_config: missing key_file");
    assertThat(problem(write("tls_server_config:\n  cert_file: nope.crt\n  key_file: nope.key\n")))
        .isEqualTo(
            "tls_server_config.cert_file "
                + dir.resolve("nope.crt")
                + " cannot be read:"
                + " NoSuchFileException");
  }

  @Test
  void keyOfAnotherCertificateIsRejected() throws Exception {
    copyCerts();
    assertThat(
            problem(write("tls_server_config:\n  cert_file: server.crt\n  key_file: other.key\n")))
        .contains("does not belong to the certificate");
  }

  @Test
  void enumsAndCombinationsAreChecked() throws Exception {
    copyCerts();
    String tls = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";
    assertThat(problem(write(tls + "  client_auth_type: Sometimes\n")))
        .startsWith("tls_server_config.client_auth_type 'Sometimes' is not one of");
    assertThat(problem(write(tls + "  client_ca_file: server.crt\n")))
        .contains("client_ca_file is set but client_auth_type is NoClientCert");
    assertThat(problem(write(tls + "  min_version: TLS14\n")))
        .startsWith("tls_server_config.min_version: unknown TLS version 'TLS14'");
    assertThat(problem(write(tls + "  min_version: TLS13\n  max_version: TLS12\n")))
        .contains("is above max_version");
    assertThat(problem(write(tls + "  cipher_suites: [TLS_FOO]\n")))
        .contains("unknown cipher 'TLS_FOO'");
    assertThat(problem(write(tls + "  curve_preferences: [CurveP999]\n")))
        .contains("unknown curve 'CurveP999'");
    assertThat(problem(write(tls + "  prefer_server_cipher_suites: maybe\n")))
        .contains("must be true or false");
    assertThat(problem(write(tls + "  client_allowed_sans: [a]\n")))
        .contains("client_allowed_sans needs client_auth_type");
    assertThat(problem(write("http_server_config:\n  headers:\n    X-Powered-By: me\n")))
        .contains("header 'X-Powered-By' can not be configured");
    assertThat(problem(write("http_server_config:\n  headers:\n    X-Frame-Options: allow\n")))
        .contains("X-Frame-Options must be one of deny, sameorigin, got 'allow'");
  }

  @Test
  void headersAndHttp2AreRead() throws Exception {
    WebConfig w =
        WebConfig.load(
            write(
                "http_server_config:\n  http2: false\n  headers:\n"
                    + "    X-Frame-Options: deny\n    Strict-Transport-Security: max-age=31536000\n"));
    assertThat(w.http2()).isFalse();
    assertThat(w.headers())
        .containsEntry("X-Frame-Options", "deny")
        .containsEntry("Strict-Transport-Security", "max-age=31536000");
  }

  @Test
  void bcryptHashesFromHtpasswdInAllThreeSpellings() throws Exception {
    WebConfig w =
        WebConfig.load(
            write(
                "basic_auth_users:\n"
                    + "  alice: '"
                    + aliceHash
                    + "'\n"
                    + "  bob: '"
                    + bobHash.replace("$2y$", "$2b$")
                    + "'\n"
                    + "  bob2: '"
                    + bobHash.replace("$2y$", "$2a$")
                    + "'\n"));
    BasicAuthenticator auth = w.basicAuth().orElseThrow();
    assertThat(auth.check("alice", "wonderland")).isTrue();
    assertThat(auth.check("alice", "Wonderland")).isFalse();
    assertThat(auth.check("bob", "builder")).isTrue();
    assertThat(auth.check("bob2", "builder")).isTrue();
    assertThat(auth.check("mallory", "wonderland")).isFalse();
    assertThat(auth.check("", "")).isFalse();
  }

  @Test
  void resultsAreCachedAndAnUnknownUserCostsOneComparisonToo() throws Exception {
    BcryptUsers users = new BcryptUsers(java.util.Map.of("alice", aliceHash, "bob", bobHash));
    assertThat(users.check("alice", "wonderland")).isTrue();
    assertThat(users.check("alice", "wonderland")).isTrue();
    assertThat(users.comparisons()).isEqualTo(1);
    assertThat(users.check("alice", "wrong")).isFalse();
    assertThat(users.comparisons()).isEqualTo(2);
    assertThat(users.check("nobody", "wonderland")).isFalse();
    assertThat(users.comparisons()).isEqualTo(3);
    assertThat(users.check("nobody", "wonderland")).isFalse();
    assertThat(users.comparisons()).isEqualTo(3);

    // time: an unknown user is compared against a cost-10 hash like a wrong password
    long wrong = Long.MAX_VALUE;
    long unknown = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      users.check("alice", "wrong" + i + "x");
      long t1 = System.nanoTime();
      users.check("nobody" + i, "wrong");
      long t2 = System.nanoTime();
      wrong = Math.min(wrong, t1 - t0);
      unknown = Math.min(unknown, t2 - t1);
    }
    assertThat((double) unknown).isGreaterThan(wrong * 0.5).isLessThan(wrong * 2.0);
  }

  @Test
  void changedFileIsReReadAndABrokenOneDeniesEveryone() throws Exception {
    Path f = write("basic_auth_users:\n  alice: '" + aliceHash + "'\n");
    WebConfig w = WebConfig.load(f);
    BasicAuthenticator auth = w.basicAuth().orElseThrow();
    assertThat(auth.check("bob", "builder")).isFalse();

    Files.writeString(
        f, "basic_auth_users:\n  alice: '" + aliceHash + "'\n  bob: '" + bobHash + "'\n");
    w.refresh();
    assertThat(auth.check("bob", "builder")).isTrue();

    Files.writeString(f, "basic_auth_users:\n  bob: nonsense\n");
    w.refresh();
    assertThat(auth.check("bob", "builder")).isFalse();
    assertThat(auth.check("alice", "wonderland")).isFalse();

    Files.writeString(f, "basic_auth_users:\n  alice: '" + aliceHash + "'\n");
    w.refresh();
    assertThat(auth.check("alice", "wonderland")).isTrue();
    assertThat(auth.check("bob", "builder")).isFalse();
  }

  @Test
  void tlsParametersFollowTheFile() throws Exception {
    copyCerts();
    WebConfig w =
        WebConfig.load(
            write(
                "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                    + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: other.crt\n"
                    + "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n"
                    + "  prefer_server_cipher_suites: false\n"));
    ServerTls tls = w.tls().orElseThrow();
    var p = tls.parameters();
    assertThat(p.getProtocols()).containsExactly("TLSv1.2", "TLSv1.3");
    assertThat(p.getNeedClientAuth()).isTrue();
    assertThat(p.getUseCipherSuitesOrder()).isFalse();
    assertThat(p.getCipherSuites())
        .contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256")
        .doesNotContain("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

    WebConfig plain =
        WebConfig.load(
            write(
                "tls_server_config:\n  cert_file: ec.crt\n  key_file: ec.key\n"
                    + "  min_version: TLS13\n  client_auth_type: VerifyClientCertIfGiven\n"));
    var q = plain.tls().orElseThrow().parameters();
    assertThat(q.getProtocols()).containsExactly("TLSv1.3");
    assertThat(q.getNeedClientAuth()).isFalse();
    assertThat(q.getWantClientAuth()).isTrue();
    assertThat(q.getCipherSuites()).isNull();
  }

  @Test
  void replacedCertificateIsUsedForTheNextHandshake() throws Exception {
    copyCerts();
    Path f = write("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n");
    Files.copy(dir.resolve("server.crt"), dir.resolve("cert.pem"));
    Files.copy(dir.resolve("server.key"), dir.resolve("key.pem"));
    WebConfig w = WebConfig.load(f);
    ServerTls tls = w.tls().orElseThrow();
    assertThat(handshakeCn(tls)).isEqualTo("CN=first");
    long g = tls.generation();

    Files.copy(dir.resolve("other.key"), dir.resolve("key.new"));
    Files.copy(dir.resolve("other.crt"), dir.resolve("cert.new"));
    Files.move(
        dir.resolve("key.new"),
        dir.resolve("key.pem"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Files.move(
        dir.resolve("cert.new"),
        dir.resolve("cert.pem"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    w.refresh();
    assertThat(tls.generation()).isGreaterThan(g);
    assertThat(handshakeCn(tls)).isEqualTo("CN=second");
  }

  /** The subject of the certificate a client sees in a handshake with {@code tls}. */
  static String handshakeCn(ServerTls tls) throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    try (SSLServerSocket server =
        (SSLServerSocket) tls.sslContext().getServerSocketFactory().createServerSocket(0, 1, lo)) {
      server.setSSLParameters(tls.parameters());
      CompletableFuture<Void> accepted =
          CompletableFuture.runAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                  s.startHandshake();
                  s.getOutputStream().write(1);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(null, new TrustManager[] {new TrustAll()}, null);
      try (SSLSocket s =
          (SSLSocket) client.getSocketFactory().createSocket(lo, server.getLocalPort())) {
        s.startHandshake();
        s.getInputStream().read();
        X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
        accepted.get(30, TimeUnit.SECONDS);
        return peer.getSubjectX500Principal().getName();
      }
    }
  }

  static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
