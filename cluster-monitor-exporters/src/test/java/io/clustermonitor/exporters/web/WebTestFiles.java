package io.clustermonitor.exporters.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Certificates (openssl) and bcrypt hashes (htpasswd, apache2-utils) made by the tests. */
final class WebTestFiles {
  private WebTestFiles() {}

  static String run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s: %s", List.of(command), text).isZero();
    return text;
  }

  /** {@code htpasswd -nbBC 10 user password}: the hash part, {@code $2y$10$...}. */
  static String bcrypt(Path dir, String user, String password) throws Exception {
    String line = run(dir, "htpasswd", "-nbBC", "10", user, password).trim();
    assertThat(line).startsWith(user + ":$2y$10$");
    return line.substring(user.length() + 1);
  }

  /**
   * A self-signed RSA certificate for 127.0.0.1/localhost: {@code name.crt} and {@code name.key}
   * (PKCS#8) in {@code dir}.
   */
  static void selfSigned(Path dir, String name, String cn) throws Exception {
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
        "/CN=" + cn,
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        name + ".key",
        "-out",
        name + ".crt");
  }

  /** A self-signed EC P-256 certificate whose key is in SEC 1 form ({@code EC PRIVATE KEY}). */
  static void selfSignedEc(Path dir, String name) throws Exception {
    run(
        dir,
        "openssl",
        "ecparam",
        "-name",
        "prime256v1",
        "-genkey",
        "-noout",
        "-out",
        name + ".key");
    run(
        dir,
        "openssl",
        "req",
        "-x509",
        "-new",
        "-key",
        name + ".key",
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-out",
        name + ".crt");
  }

  /** A client certificate {@code name.crt}/{@code name.key} signed by {@code ca}.crt/.key. */
  static void signedBy(Path dir, String name, String ca, String cn) throws Exception {
    run(
        dir,
        "openssl",
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + cn,
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr");
    run(
        dir,
        "openssl",
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        ca + ".crt",
        "-CAkey",
        ca + ".key",
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        name + ".crt");
  }
}
