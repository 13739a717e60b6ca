package io.clustermonitor.exporters.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * One read of an exporter-toolkit web config file (toolkit v0.10.0 format), checked as strictly as
 * the toolkit's {@code yaml.UnmarshalStrict} plus its validators: unknown keys, wrong types, bad
 * enum values, bad bcrypt hashes and inconsistent TLS settings are each one {@link
 * IllegalArgumentException} whose message names the file and the problem. Files it names are not
 * read here (see {@link TlsMaterial}); relative paths are resolved against the file's directory.
 */
record ConfigFile(
    Path file,
    boolean tlsEnabled,
    Path certFile,
    Path keyFile,
    GoTls.ClientAuth clientAuth,
    Path clientCaFile,
    List<String> clientAllowedSans,
    String minVersion,
    String maxVersion,
    List<String> cipherSuites,
    boolean preferServerCipherSuites,
    List<String> curvePreferences,
    boolean http2,
    Map<String, String> headers,
    Map<String, String> users) {

  static final Set<String> TOP_KEYS =
      Set.of("tls_server_config", "http_server_config", "basic_auth_users");
  static final List<String> TLS_KEYS =
      List.of(
          "cert_file",
          "key_file",
          "client_auth_type",
          "client_ca_file",
          "client_allowed_sans",
          "min_version",
          "max_version",
          "cipher_suites",
          "prefer_server_cipher_suites",
          "curve_preferences");
  static final List<String> HTTP_KEYS = List.of("http2", "headers");

  /** Headers the toolkit lets a file set, with their allowed values (null: any value). */
  static final Map<String, List<String>> HEADERS = new LinkedHashMap<>();

  static {
    HEADERS.put("Content-Security-Policy", null);
    HEADERS.put("X-Frame-Options", List.of("deny", "sameorigin"));
    HEADERS.put("X-Content-Type-Options", List.of("nosniff"));
    HEADERS.put("X-XSS-Protection", null);
    HEADERS.put("Strict-Transport-Security", null);
  }

  /**
   * What {@code htpasswd -nBC <cost>} writes ({@code $2y$}), and the {@code $2a$}/{@code $2b$} (and
   * old {@code $2x$}) variants: two-digit cost, 22 characters of salt, 31 of hash.
   */
  private static final Pattern BCRYPT =
      Pattern.compile("\\$2[abxy]\\$([0-9]{2})\\$[./A-Za-z0-9]{53}");

  /** Reads and checks {@code file}. */
  static ConfigFile read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "web config file " + file + " cannot be read: " + reason(e), e);
    }
    return parse(file, text);
  }

  static ConfigFile parse(Path file, String text) {
    Object root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      root = new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      String where =
          e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1);
      throw fail(file, "is not valid YAML" + where + ": " + oneLine(e.getProblem()));
    } catch (YAMLException e) {
      throw fail(file, "is not valid YAML: " + oneLine(e.getMessage()));
    }
    Map<String, Object> top = map(file, root, "the top level", TOP_KEYS);
    Map<String, Object> tls =
        map(file, top.get("tls_server_config"), "tls_server_config", TLS_KEYS);
    Map<String, Object> http =
        map(file, top.get("http_server_config"), "http_server_config", HTTP_KEYS);
    Path dir = file.toAbsolutePath().getParent();

    String cert = string(file, tls, "tls_server_config", "cert_file");
    String key = string(file, tls, "tls_server_config", "key_file");
    String authName = string(file, tls, "tls_server_config", "client_auth_type");
    String ca = string(file, tls, "tls_server_config", "client_ca_file");
    boolean tlsEnabled = !cert.isEmpty() || !key.isEmpty() || !authName.isEmpty() || !ca.isEmpty();
    GoTls.ClientAuth auth = GoTls.ClientAuth.NONE;
    if (!authName.isEmpty()) {
      auth = GoTls.CLIENT_AUTH.get(authName);
      if (auth == null) {
        throw fail(
            file,
            "tls_server_config.client_auth_type '"
                + authName
                + "' is not one of "
                + String.join(", ", GoTls.CLIENT_AUTH.keySet()));
      }
    }
    List<String> sans = strings(file, tls, "tls_server_config", "client_allowed_sans");
    String min = version(file, tls, "min_version", "TLS12");
    String max = version(file, tls, "max_version", "TLS13");
    List<String> ciphers = strings(file, tls, "tls_server_config", "cipher_suites");
    for (String c : ciphers) {
      if (!GoTls.CIPHER_SUITES.contains(c)) {
        throw fail(
            file,
            "tls_server_config.cipher_suites: unknown cipher '"
                + c
                + "' (Go names such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
      }
    }
    List<String> curves = strings(file, tls, "tls_server_config", "curve_preferences");
    for (String c : curves) {
      if (!GoTls.CURVES.containsKey(c)) {
        throw fail(
            file,
            "tls_server_config.curve_preferences: unknown curve '"
                + c
                + "' (one of "
                + String.join(", ", GoTls.CURVES.keySet())
                + ")");
      }
    }
    boolean prefer = bool(file, tls, "tls_server_config", "prefer_server_cipher_suites", true);
    if (tlsEnabled) {
      if (cert.isEmpty()) {
        throw fail(file, "tls_server_config: missing cert_file");
      }
      if (key.isEmpty()) {
        throw fail(file, "tls_server_config: missing key_file");
      }
      if (!ca.isEmpty() && auth == GoTls.ClientAuth.NONE) {
        throw fail(
            file,
            "tls_server_config.client_ca_file is set but client_auth_type is NoClientCert"
                + " (say RequireAndVerifyClientCert or VerifyClientCertIfGiven)");
      }
      if (!sans.isEmpty() && !auth.need) {
        throw fail(
            file,
            "tls_server_config.client_allowed_sans needs client_auth_type RequireAnyClientCert"
                + " or RequireAndVerifyClientCert");
      }
      if (GoTls.protocols(min, max).length == 0) {
        throw fail(file, "tls_server_config.min_version " + min + " is above max_version " + max);
      }
    }

    boolean http2 = bool(file, http, "http_server_config", "http2", true);
    Map<String, String> headers = new LinkedHashMap<>();
    Object rawHeaders = http.get("headers");
    if (rawHeaders != null) {
      if (!(rawHeaders instanceof Map<?, ?> hm)) {
        throw fail(file, "http_server_config.headers must be a mapping of header to value");
      }
      for (Map.Entry<?, ?> e : hm.entrySet()) {
        String name = String.valueOf(e.getKey());
        if (!HEADERS.containsKey(name)) {
          throw fail(
              file,
              "http_server_config.headers: header '"
                  + name
                  + "' can not be configured (only "
                  + String.join(", ", HEADERS.keySet())
                  + ")");
        }
        String value = scalar(file, e.getValue(), "http_server_config.headers." + name);
        List<String> allowed = HEADERS.get(name);
        if (allowed != null && !allowed.contains(value)) {
          throw fail(
              file,
              "http_server_config.headers: "
                  + name
                  + " must be one of "
                  + String.join(", ", allowed)
                  + ", got '"
                  + value
                  + "'");
        }
        headers.put(name, value);
      }
    }

    Map<String, String> users = new LinkedHashMap<>();
    Object rawUsers = top.get("basic_auth_users");
    if (rawUsers != null) {
      if (!(rawUsers instanceof Map<?, ?> um)) {
        throw fail(file, "basic_auth_users must be a mapping of user name to bcrypt hash");
      }
      for (Map.Entry<?, ?> e : um.entrySet()) {
        String user = String.valueOf(e.getKey());
        String hash = e.getValue() == null ? "" : scalar(file, e.getValue(), "basic_auth_users");
        var m = BCRYPT.matcher(hash);
        if (!m.matches()) {
          throw fail(
              file,
              "basic_auth_users: the hash of user '"
                  + user
                  + "' is not a bcrypt hash ($2y$, $2b$ or $2a$, a two-digit cost, 53 more"
                  + " characters; make one with htpasswd -nBC 10 "
                  + user
                  + ")");
        }
        int cost = Integer.parseInt(m.group(1));
        if (cost < 4 || cost > 31) {
          throw fail(
              file,
              "basic_auth_users: the hash of user '"
                  + user
                  + "' has bcrypt cost "
                  + cost
                  + ", outside 4-31");
        }
        users.put(user, hash);
      }
    }

    return new ConfigFile(
        file,
        tlsEnabled,
        cert.isEmpty() ? null : dir.resolve(cert),
        key.isEmpty() ? null : dir.resolve(key),
        auth,
        ca.isEmpty() ? null : dir.resolve(ca),
        List.copyOf(sans),
        min,
        max,
        List.copyOf(ciphers),
        prefer,
        List.copyOf(curves),
        http2,
        Collections.unmodifiableMap(headers),
        Collections.unmodifiableMap(users));
  }

  /** The bcrypt cost of a hash this class accepted. */
  static int cost(String hash) {
    return Integer.parseInt(hash.substring(4, 6));
  }

  private static String version(Path file, Map<String, Object> tls, String key, String dflt) {
    String v = string(file, tls, "tls_server_config", key);
    if (v.isEmpty()) {
      return dflt;
    }
    if (!GoTls.VERSIONS.containsKey(v)) {
      throw fail(
          file,
          "tls_server_config."
              + key
              + ": unknown TLS version '"
              + v
              + "' (one of "
              + String.join(", ", GoTls.VERSIONS.keySet())
              + ")");
    }
    return v;
  }

  private static Map<String, Object> map(
      Path file, Object value, String where, java.util.Collection<String> known) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> m)) {
      throw fail(file, where + " must be a mapping");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = String.valueOf(e.getKey());
      if (!known.contains(k)) {
        String prefix = where.equals("the top level") ? "" : where + ".";
        throw fail(
            file,
            "unknown key '"
                + prefix
                + k
                + "' (known"
                + (prefix.isEmpty() ? "" : " in " + where)
                + ": "
                + String.join(", ", known.stream().sorted().toList())
                + ")");
      }
      out.put(k, e.getValue());
    }
    return out;
  }

  private static String string(Path file, Map<String, Object> m, String section, String key) {
    Object v = m.get(key);
    return v == null ? "" : scalar(file, v, section + "." + key);
  }

  private static String scalar(Path file, Object v, String where) {
    if (v instanceof Map || v instanceof List) {
      throw fail(file, where + " must be a single value, not a list or mapping");
    }
    return String.valueOf(v);
  }

  private static boolean bool(
      Path file, Map<String, Object> m, String section, String key, boolean dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Boolean b)) {
      throw fail(file, section + "." + key + " must be true or false, got '" + v + "'");
    }
    return b;
  }

  private static List<String> strings(
      Path file, Map<String, Object> m, String section, String key) {
    Object v = m.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw fail(file, section + "." + key + " must be a list");
    }
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      out.add(scalar(file, o, section + "." + key));
    }
    return out;
  }

  static IllegalArgumentException fail(Path file, String problem) {
    return new IllegalArgumentException("web config file " + file + ": " + problem);
  }

  static String reason(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : " (" + oneLine(m) + ")");
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
