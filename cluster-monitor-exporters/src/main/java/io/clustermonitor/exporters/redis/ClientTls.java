package io.clustermonitor.exporters.redis;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Client TLS for {@code rediss://} as redis_exporter's {@code --tls-ca-cert-file}, {@code
 * --tls-client-cert-file}, {@code --tls-client-key-file} and {@code --skip-tls-verification}: PEM
 * files, the JDK's trust store when no CA file is given, host name verification unless skipped.
 *
 * @param caCertFile PEM CA bundle, or null for the JDK default trust store
 * @param clientCertFile PEM client certificate chain, or null
 * @param clientKeyFile PEM private key (PKCS#8, or PKCS#1 RSA) of the client certificate, or null
 * @param skipVerification trust any server certificate and skip host name checks
 */
record ClientTls(
    Path caCertFile, Path clientCertFile, Path clientKeyFile, boolean skipVerification) {

  static final ClientTls DEFAULT = new ClientTls(null, null, null, false);

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  ClientTls {
    if ((clientCertFile == null) != (clientKeyFile == null)) {
      throw new IllegalArgumentException(
          "TLS client key file and cert file should both be present");
    }
  }

  /**
   * Builds the SSL context.
   *
   * @throws IllegalArgumentException when a file is missing or not valid PEM (the message names the
   *     file, never its content)
   */
  SSLContext context() {
    try {
      javax.net.ssl.KeyManager[] keyManagers = null;
      if (clientCertFile != null) {
        List<Certificate> chain = certificates(clientCertFile);
        PrivateKey key = privateKey(clientKeyFile);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, new char[0], chain.toArray(Certificate[]::new));
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        keyManagers = kmf.getKeyManagers();
      }
      TrustManager[] trustManagers;
      if (skipVerification) {
        trustManagers = new TrustManager[] {new TrustAll()};
      } else if (caCertFile != null) {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (Certificate c : certificates(caCertFile)) {
          ts.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        trustManagers = tmf.getTrustManagers();
      } else {
        trustManagers = null;
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keyManagers, trustManagers, null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("Cannot set up Redis client TLS: " + e.getMessage(), null);
    }
  }

  private static List<byte[]> blocks(Path file, String... types) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read TLS file " + file, null);
    }
    List<byte[]> out = new ArrayList<>();
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      for (String t : types) {
        if (m.group(1).equals(t)) {
          out.add(Base64.getMimeDecoder().decode(m.group(2)));
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "No PEM " + String.join(" or ", types) + " block in TLS file " + file);
    }
    return out;
  }

  private static List<Certificate> certificates(Path file) throws GeneralSecurityException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<Certificate> out = new ArrayList<>();
    for (byte[] der : blocks(file, "CERTIFICATE")) {
      out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
    }
    return out;
  }

  private static PrivateKey privateKey(Path file) {
    byte[] der = blocks(file, "PRIVATE KEY", "RSA PRIVATE KEY").get(0);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read TLS file " + file, null);
    }
    if (text.contains("BEGIN RSA PRIVATE KEY")) {
      der = pkcs1ToPkcs8(der);
    }
    for (String alg : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("Unsupported private key in TLS file " + file);
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo. */
  private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    byte[] algorithm = {
      0x02,
      0x01,
      0x00,
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    byte[] octets = derHeader(0x04, pkcs1.length);
    int bodyLength = algorithm.length + octets.length + pkcs1.length;
    byte[] seq = derHeader(0x30, bodyLength);
    byte[] out = new byte[seq.length + bodyLength];
    int p = 0;
    System.arraycopy(seq, 0, out, p, seq.length);
    p += seq.length;
    System.arraycopy(algorithm, 0, out, p, algorithm.length);
    p += algorithm.length;
    System.arraycopy(octets, 0, out, p, octets.length);
    p += octets.length;
    System.arraycopy(pkcs1, 0, out, p, pkcs1.length);
    return out;
  }

  private static byte[] derHeader(int tag, int length) {
    if (length < 0x80) {
      return new byte[] {(byte) tag, (byte) length};
    }
    if (length < 0x100) {
      return new byte[] {(byte) tag, (byte) 0x81, (byte) length};
    }
    if (length < 0x10000) {
      return new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
    }
    return new byte[] {
      (byte) tag, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length
    };
  }

  /** {@code --skip-tls-verification}: accepts any server certificate. */
  private static final class TrustAll implements X509TrustManager {
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
