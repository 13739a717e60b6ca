package io.clustermonitor.exporters.web;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key material and handshake parameters one {@link ConfigFile} asks for, loaded from its PEM
 * files. Building one reads the files and checks them as Go does (the key matches the certificate,
 * the client CA file holds certificates); failures are one-line {@link IllegalArgumentException}s
 * naming the file.
 */
record TlsMaterial(SSLContext context, ConfigFile config, List<String> ignored) {
  private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
  private static final MethodHandle SET_NAMED_GROUPS = namedGroupsSetter();

  static TlsMaterial load(ConfigFile c) {
    Path file = c.file();
    List<X509Certificate> chain;
    PrivateKey key;
    try {
      chain = Pem.certificates(read(file, "cert_file", c.certFile()));
    } catch (GeneralSecurityException e) {
      throw ConfigFile.fail(
          file, "tls_server_config.cert_file " + c.certFile() + ": " + ConfigFile.reason(e));
    }
    try {
      key = Pem.privateKey(read(file, "key_file", c.keyFile()));
    } catch (GeneralSecurityException e) {
      throw ConfigFile.fail(
          file, "tls_server_config.key_file " + c.keyFile() + ": " + ConfigFile.reason(e));
    }
    if (!matches(key, chain.get(0).getPublicKey())) {
      throw ConfigFile.fail(
          file,
          "tls_server_config.key_file "
              + c.keyFile()
              + " does not belong to the certificate in "
              + c.certFile());
    }
    List<X509Certificate> cas = List.of();
    if (c.clientCaFile() != null) {
      try {
        cas = Pem.certificates(read(file, "client_ca_file", c.clientCaFile()));
      } catch (GeneralSecurityException e) {
        throw ConfigFile.fail(
            file,
            "tls_server_config.client_ca_file " + c.clientCaFile() + ": " + ConfigFile.reason(e));
      }
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] pass = new char[0];
      ks.setKeyEntry("server", key, pass, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pass);
      TrustManager[] trust = null;
      if (c.clientAuth() != GoTls.ClientAuth.NONE) {
        X509TrustManager verifier = null;
        if (c.clientAuth().verify) {
          verifier = caTrust(cas);
        }
        trust = new TrustManager[] {new ClientTrust(verifier, cas, c.clientAllowedSans())};
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), trust, new SecureRandom());
      List<String> ignored = new ArrayList<>();
      parameters(c, ctx, ignored);
      return new TlsMaterial(ctx, c, List.copyOf(ignored));
    } catch (GeneralSecurityException | IOException e) {
      throw ConfigFile.fail(file, "cannot set up TLS: " + ConfigFile.reason(e));
    }
  }

  /** New handshake parameters (a fresh object each time: callers may change it). */
  SSLParameters parameters() {
    return parameters(config, context, new ArrayList<>());
  }

  /** Files whose change means new material. */
  static List<Path> files(ConfigFile c) {
    List<Path> out = new ArrayList<>();
    for (Path p : new Path[] {c.certFile(), c.keyFile(), c.clientCaFile()}) {
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  private static SSLParameters parameters(ConfigFile c, SSLContext ctx, List<String> ignored) {
    SSLParameters supported = ctx.getSupportedSSLParameters();
    Set<String> supportedProtocols = Set.of(supported.getProtocols());
    String[] protocols =
        Arrays.stream(GoTls.protocols(c.minVersion(), c.maxVersion()))
            .filter(supportedProtocols::contains)
            .toArray(String[]::new);
    SSLParameters p = new SSLParameters();
    p.setProtocols(protocols);
    p.setNeedClientAuth(c.clientAuth().need);
    if (!c.clientAuth().need) {
      p.setWantClientAuth(c.clientAuth().want);
    }
    p.setUseCipherSuitesOrder(c.preferServerCipherSuites());
    if (!c.cipherSuites().isEmpty()) {
      Set<String> available = Set.of(supported.getCipherSuites());
      Set<String> suites = new LinkedHashSet<>();
      for (String s : c.cipherSuites()) {
        if (GoTls.TLS13_SUITES.contains(s)) {
          continue; // Go ignores TLS 1.3 suites in cipher_suites; they stay enabled below
        }
        if (available.contains(s)) {
          suites.add(s);
        } else {
          ignored.add("cipher suite " + s + " (not in this JDK)");
        }
      }
      if (suites.isEmpty() && !Arrays.asList(protocols).equals(List.of("TLSv1.3"))) {
        throw ConfigFile.fail(
            c.file(), "tls_server_config.cipher_suites: none of them is available in this JDK");
      }
      for (String s : ctx.getDefaultSSLParameters().getCipherSuites()) {
        if (GoTls.TLS13_SUITES.contains(s)) {
          suites.add(s);
        }
      }
      p.setCipherSuites(suites.toArray(new String[0]));
    }
    if (!c.curvePreferences().isEmpty()) {
      String[] groups = c.curvePreferences().stream().map(GoTls.CURVES::get).toArray(String[]::new);
      if (SET_NAMED_GROUPS != null) {
        try {
          SET_NAMED_GROUPS.invoke(p, groups);
        } catch (Throwable e) {
          ignored.add("curve_preferences (" + e + ")");
        }
      } else {
        ignored.add("curve_preferences (needs Java 20 or later; the JDK's defaults apply)");
      }
    }
    return p;
  }

  private static MethodHandle namedGroupsSetter() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(
              SSLParameters.class,
              "setNamedGroups",
              MethodType.methodType(void.class, String[].class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }

  private static byte[] read(Path config, String key, Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw ConfigFile.fail(
          config,
          "tls_server_config."
              + key
              + " "
              + path
              + " cannot be read: "
              + e.getClass().getSimpleName());
    }
  }

  private static boolean matches(PrivateKey key, PublicKey pub) {
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "RSASSA-PSS" -> "RSASSA-PSS";
          default -> null;
        };
    if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
      return false;
    }
    if (alg == null) {
      return true; // an algorithm we cannot probe: the handshake will tell
    }
    try {
      byte[] probe = "cluster-monitor key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      if (alg.equals("RSASSA-PSS")) {
        s.setParameter(
            new java.security.spec.PSSParameterSpec(
                "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
      }
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      s.initVerify(pub);
      s.update(probe);
      return s.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static X509TrustManager caTrust(List<X509Certificate> cas)
      throws GeneralSecurityException, IOException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (cas.isEmpty()) {
      tmf.init((KeyStore) null); // like Go without ClientCAs: the system roots
    } else {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      int i = 0;
      for (X509Certificate ca : cas) {
        ks.setCertificateEntry("ca" + i++, ca);
      }
      tmf.init(ks);
    }
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509 trust manager");
  }

  /**
   * Client certificate check: chain verification against the client CAs when the policy asks for it
   * (Go's Verify* policies), anything otherwise (RequestClientCert, RequireAnyClientCert), then the
   * allowed SANs.
   */
  static final class ClientTrust extends X509ExtendedTrustManager {
    private final X509TrustManager verifier;
    private final X509Certificate[] issuers;
    private final List<String> allowedSans;

    ClientTrust(X509TrustManager verifier, List<X509Certificate> cas, List<String> allowedSans) {
      this.verifier = verifier;
      this.issuers = cas.toArray(new X509Certificate[0]);
      this.allowedSans = allowedSans;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("no client certificate");
      }
      if (verifier != null) {
        verifier.checkClientTrusted(chain, authType);
      }
      if (!allowedSans.isEmpty()) {
        List<String> sans = sans(chain[0]);
        if (sans.stream().noneMatch(allowedSans::contains)) {
          throw new CertificateException(
              "client certificate has none of the allowed SANs " + allowedSans);
        }
      }
    }

    private static List<String> sans(X509Certificate cert) throws CertificateParsingException {
      List<String> out = new ArrayList<>();
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names == null) {
        return out;
      }
      for (List<?> n : names) {
        int type = (Integer) n.get(0);
        // 1 rfc822 (email), 2 DNS, 6 URI, 7 IP: the SAN kinds Go compares
        if ((type == 1 || type == 2 || type == 6 || type == 7) && n.get(1) instanceof String s) {
          out.add(s);
        }
      }
      return out;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("server-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return issuers.clone();
    }
  }

  static void logIgnored(Path file, List<String> ignored) {
    for (String i : ignored) {
      LOG.warn("web config file {}: ignoring {}", file, i);
    }
  }
}
