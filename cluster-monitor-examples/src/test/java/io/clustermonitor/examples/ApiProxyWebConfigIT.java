package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code api-proxy --web.config.file} against the real engine, with a self-signed certificate
 * (openssl) and two bcrypt users (htpasswd) made here: HTTPS with basic auth on the API, plain HTTP
 * refused, a bad file a one-line startup error.
 */
class ApiProxyWebConfigIT {

  private static String run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s: %s", List.of(command), text).isZero();
    return text;
  }

  /** {@code htpasswd -nbBC 10 user password}: the {@code $2y$10$...} hash. */
  private static String bcrypt(Path dir, String user, String password) throws Exception {
    String line = run(dir, "htpasswd", "-nbBC", "10", user, password).trim();
    assertThat(line).startsWith(user + ":$2y$10$");
    return line.substring(user.length() + 1);
  }

  /** The environment without the CM_WEB_* TLS and auth variables the web config file replaces. */
  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("CM_WEB_"));
    return env;
  }

  private static HttpClient trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "api-proxy", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(30)).build();
  }

  private static HttpResponse<String> get(HttpClient http, String url, String user, String pw)
      throws IOException, InterruptedException {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
    if (user != null) {
      String basic = user + ":" + pw;
      r.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The first line a plain-HTTP request on {@code port} gets back, or "closed". */
  private static String plainHttp(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /api/containers HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return answer.isEmpty() ? "closed" : answer.lines().findFirst().orElse("");
    } catch (IOException e) {
      return "closed";
    }
  }

  @Test
  void httpsWithBasicAuthUsersFromTheWebConfigFile(@TempDir Path dir) throws Exception {
    run(
        dir,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        "api.key",
        "-out",
        "api.crt");
    Path web =
        Files.writeString(
            dir.resolve("web.yml"),
            "tls_server_config:\n"
                + "  cert_file: api.crt\n"
                + "  key_file: api.key\n"
                + "http_server_config:\n"
                + "  headers:\n"
                + "    X-Content-Type-Options: nosniff\n"
                + "basic_auth_users:\n"
                + "  alice: '"
                + bcrypt(dir, "alice", "wonderland")
                + "'\n"
                + "  bob: '"
                + bcrypt(dir, "bob", "builder")
                + "'\n");
    ApiProxyCommand command = new ApiProxyCommand();
    command.env = env();
    try (BackgroundCommand run =
        BackgroundCommand.start(
            command,
            command.running::stop,
            "--listen",
            "127.0.0.1:0",
            "--web.config.file",
            web.toString())) {
      int port =
          Integer.parseInt(
              run.awaitOut(
                  Pattern.compile("on https://127\\.0\\.0\\.1:(\\d+)"), Duration.ofSeconds(120)));
      String base = "https://127.0.0.1:" + port;
      HttpClient https = trusting(dir.resolve("api.crt"));

      // the list answers 503 until the registry's first sync, which a loaded engine delays
      HttpResponse<String> alice =
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> get(https, base + "/api/containers", "alice", "wonderland"),
                  r -> r.statusCode() != 503);
      assertThat(alice.statusCode()).as(alice.body()).isEqualTo(200);
      assertThat(alice.body()).startsWith("[");
      assertThat(alice.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(get(https, base + "/api/containers", "bob", "builder").statusCode())
          .isEqualTo(200);

      HttpResponse<String> wrong = get(https, base + "/api/containers", "alice", "looking-glass");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
      assertThat(wrong.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      HttpResponse<String> unknown = get(https, base + "/api/containers", "mallory", "wonderland");
      assertThat(unknown.statusCode()).isEqualTo(401);

      HttpResponse<String> none = get(https, base + "/api/containers", null, null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));

      String plain = plainHttp(port);
      assertThat(plain)
          .satisfiesAnyOf(
              a -> assertThat(a).isEqualTo("closed"),
              a -> assertThat(a).startsWith("HTTP/1.0 400"),
              a -> assertThat(a).startsWith("HTTP/1.1 400"),
              a -> assertThat(a).startsWith("\u0015\u0003")); // a TLS alert record
      assertThat(plain).doesNotContain("200");

      assertThat(run.stopAndAwaitExit(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void aBadFileFailsAtStartupWithOneLineNamingTheProblem(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("web.yml"), "basic_auth_user:\n  alice: x\n");
    ApiProxyCommand command = new ApiProxyCommand();
    command.env = env();
    ApiProxyCommandTest.Run r =
        ApiProxyCommandTest.run(
            command, "--listen", "127.0.0.1:0", "--web.config.file", bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    String first = r.err().lines().findFirst().orElse("");
    assertThat(first).startsWith("web config file " + bad + ": ").contains("basic_auth_user");
    assertThat(r.err()).doesNotContain("\tat ");
    assertThat(r.out()).doesNotContain("api-proxy on");
  }

  @Test
  void theFileIsRefusedNextToTheVariablesAndTokenItReplaces(@TempDir Path dir) throws Exception {
    Path web =
        Files.writeString(
            dir.resolve("web.yml"),
            "basic_auth_users:\n  alice: '" + bcrypt(dir, "alice", "wonderland") + "'\n");
    ApiProxyCommand withVar = new ApiProxyCommand();
    Map<String, String> env = env();
    env.put("CM_WEB_BASIC_AUTH_USER", "alice");
    withVar.env = env;
    ApiProxyCommandTest.Run v =
        ApiProxyCommandTest.run(
            withVar, "--listen", "127.0.0.1:0", "--web.config.file", web.toString());
    assertThat(v.exit()).isEqualTo(2);
    assertThat(v.err()).contains("--web.config.file and CM_WEB_BASIC_AUTH_USER");

    Path token = Files.writeString(dir.resolve("token"), "t0k3n\n");
    ApiProxyCommand withToken = new ApiProxyCommand();
    withToken.env = env();
    ApiProxyCommandTest.Run t =
        ApiProxyCommandTest.run(
            withToken,
            "--listen",
            "127.0.0.1:0",
            "--token-file",
            token.toString(),
            "--web.config.file",
            web.toString());
    assertThat(t.exit()).isEqualTo(2);
    assertThat(t.err()).contains("--token-file and the basic_auth_users of --web.config.file");
  }
}
