package io.clustermonitor.core.livetest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made with {@code openssl} for TLS tests: a CA, a server certificate for {@code
 * 127.0.0.1} and {@code localhost}, and client certificates, each in Docker's layout ({@code
 * ca.pem}, {@code cert.pem}, {@code key.pem}). Keys are 2048-bit RSA, valid for a day.
 */
public final class TestCertificates {
  private final Path dir;

  /** Works in {@code dir} (created if missing). */
  public TestCertificates(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  /** Whether {@code openssl} can be run. */
  public static boolean opensslAvailable() {
    try {
      Process p =
          new ProcessBuilder("openssl", "version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Makes a self-signed CA {@code name}: {@code name/ca.pem} and {@code name/ca-key.pem}. */
  public Path ca(String name) throws IOException, InterruptedException {
    Path ca = Files.createDirectories(dir.resolve(name));
    openssl("genrsa", "-out", ca.resolve("ca-key.pem").toString(), "2048");
    openssl(
        "req",
        "-new",
        "-x509",
        "-days",
        "1",
        "-key",
        ca.resolve("ca-key.pem").toString(),
        "-subj",
        "/CN=cluster-monitor test CA " + name,
        "-out",
        ca.resolve("ca.pem").toString());
    return ca;
  }

  /**
   * Makes a directory {@code name} with {@code cert.pem} and {@code key.pem} signed by {@code ca},
   * for a server (SAN {@code IP:127.0.0.1}, {@code DNS:localhost}) or a client, and {@code ca.pem}
   * copied from {@code trusted} (the CA the holder trusts for its peer).
   */
  public Path issue(String name, Path ca, boolean server, Path trusted)
      throws IOException, InterruptedException {
    Path d = Files.createDirectories(dir.resolve(name));
    Path key = d.resolve("key.pem");
    Path csr = d.resolve("req.csr");
    Path ext = d.resolve("ext.cnf");
    openssl("genrsa", "-out", key.toString(), "2048");
    openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + name, "-out", csr.toString());
    Files.writeString(
        ext,
        server
            ? "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
            : "extendedKeyUsage=clientAuth\n");
    openssl(
        "x509",
        "-req",
        "-days",
        "1",
        "-in",
        csr.toString(),
        "-CA",
        ca.resolve("ca.pem").toString(),
        "-CAkey",
        ca.resolve("ca-key.pem").toString(),
        "-CAcreateserial",
        "-extfile",
        ext.toString(),
        "-out",
        d.resolve("cert.pem").toString());
    Files.copy(trusted.resolve("ca.pem"), d.resolve("ca.pem"));
    Files.delete(csr);
    Files.delete(ext);
    return d;
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("openssl did not finish in 60 s: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IOException("openssl failed: " + cmd + "\n" + Files.readString(log));
    }
  }
}
