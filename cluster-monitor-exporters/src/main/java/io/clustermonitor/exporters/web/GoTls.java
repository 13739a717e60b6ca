package io.clustermonitor.exporters.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Go's crypto/tls names, as exporter-toolkit accepts them, and their JSSE counterparts. */
final class GoTls {
  private GoTls() {}

  /** exporter-toolkit's {@code min_version}/{@code max_version} values, oldest first. */
  static final Map<String, String> VERSIONS = new LinkedHashMap<>();

  /** Go curve names to JSSE named groups. */
  static final Map<String, String> CURVES = new LinkedHashMap<>();

  /**
   * Names Go's {@code tls.CipherSuites()} lists (the ones exporter-toolkit accepts). Go spells them
   * as IANA does, which is also how JSSE names them.
   */
  static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_RSA_WITH_AES_128_CBC_SHA",
          "TLS_RSA_WITH_AES_256_CBC_SHA",
          "TLS_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

  /** TLS 1.3 suites: Go does not let them be configured, so they stay on whatever is listed. */
  static final List<String> TLS13_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  /** exporter-toolkit's client_auth_type values (with the old alias) to our policy. */
  static final Map<String, ClientAuth> CLIENT_AUTH = new LinkedHashMap<>();

  static {
    VERSIONS.put("TLS10", "TLSv1");
    VERSIONS.put("TLS11", "TLSv1.1");
    VERSIONS.put("TLS12", "TLSv1.2");
    VERSIONS.put("TLS13", "TLSv1.3");
    CURVES.put("CurveP256", "secp256r1");
    CURVES.put("CurveP384", "secp384r1");
    CURVES.put("CurveP521", "secp521r1");
    CURVES.put("X25519", "x25519");
    CLIENT_AUTH.put("NoClientCert", ClientAuth.NONE);
    CLIENT_AUTH.put("RequestClientCert", ClientAuth.REQUEST);
    CLIENT_AUTH.put("RequireAnyClientCert", ClientAuth.REQUIRE_ANY);
    CLIENT_AUTH.put("RequireClientCert", ClientAuth.REQUIRE_ANY);
    CLIENT_AUTH.put("VerifyClientCertIfGiven", ClientAuth.VERIFY_IF_GIVEN);
    CLIENT_AUTH.put("RequireAndVerifyClientCert", ClientAuth.REQUIRE_AND_VERIFY);
  }

  /** What Go's tls.ClientAuthType values ask of a client certificate. */
  enum ClientAuth {
    NONE(false, false, false),
    REQUEST(true, false, false),
    REQUIRE_ANY(false, true, false),
    VERIFY_IF_GIVEN(true, false, true),
    REQUIRE_AND_VERIFY(false, true, true);

    final boolean want;
    final boolean need;
    final boolean verify;

    ClientAuth(boolean want, boolean need, boolean verify) {
      this.want = want;
      this.need = need;
      this.verify = verify;
    }
  }

  /** The JSSE protocol names from {@code min} to {@code max} (Go names), inclusive. */
  static String[] protocols(String min, String max) {
    List<String> names = List.copyOf(VERSIONS.keySet());
    int from = names.indexOf(min);
    int to = names.indexOf(max);
    return names.subList(from, to + 1).stream().map(VERSIONS::get).toArray(String[]::new);
  }
}
