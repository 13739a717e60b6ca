package io.clustermonitor.exporters.postgres;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One PostgreSQL target parsed from a postgres_exporter data source name: a URI ({@code
 * postgresql://user:pass@host:port/db?sslmode=disable}) or libpq key=value pairs ({@code host=...
 * port=... user=... password=... dbname=...}). {@link #toString()} never shows the password.
 *
 * @param host host name
 * @param port port
 * @param database database name
 * @param user user name
 * @param password password, or null
 * @param params the remaining libpq parameters (e.g. {@code sslmode})
 */
public record DataSource(
    String host,
    int port,
    String database,
    String user,
    String password,
    Map<String, String> params) {

  /** Validates and copies. */
  public DataSource {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("PostgreSQL data source has no host");
    }
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("PostgreSQL data source port out of range: " + port);
    }
    database = database == null || database.isEmpty() ? "postgres" : database;
    user = user == null ? "" : user;
    params = Map.copyOf(params);
  }

  /** The {@code server} label postgres_exporter uses: {@code host:port}. */
  public String server() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return "postgresql://" + (user.isEmpty() ? "" : user + "@") + server() + "/" + database;
  }

  /**
   * Reads the data sources as postgres_exporter 0.11 does: {@code DATA_SOURCE_NAME} (several
   * comma-separated) or else {@code DATA_SOURCE_URI} with {@code DATA_SOURCE_USER} and {@code
   * DATA_SOURCE_PASS}; each of the last three may instead be read from the file named by its {@code
   * _FILE} variable.
   *
   * @throws IllegalArgumentException when nothing is configured or a value cannot be parsed
   *     (messages never contain a password)
   */
  public static List<DataSource> fromEnvironment(Map<String, String> env) {
    String dsn = env.get("DATA_SOURCE_NAME");
    List<DataSource> out = new ArrayList<>();
    if (dsn != null && !dsn.isBlank()) {
      for (String part : dsn.split(",")) {
        if (!part.isBlank()) {
          out.add(parse(part.trim()));
        }
      }
      return out;
    }
    String uri = valueOrFile(env, "DATA_SOURCE_URI");
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(
          "No PostgreSQL data source: set DATA_SOURCE_NAME or DATA_SOURCE_URI");
    }
    String user = valueOrFile(env, "DATA_SOURCE_USER");
    String pass = valueOrFile(env, "DATA_SOURCE_PASS");
    for (String part : uri.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      DataSource d = parse("postgresql://" + part.trim());
      out.add(
          new DataSource(
              d.host(),
              d.port(),
              d.database(),
              user == null ? d.user() : user,
              pass == null ? d.password() : pass,
              d.params()));
    }
    return out;
  }

  private static String valueOrFile(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v != null && !v.isEmpty()) {
      return v;
    }
    String file = env.get(name + "_FILE");
    if (file == null || file.isEmpty()) {
      return null;
    }
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read " + name + "_FILE " + file + ": " + e.getClass().getSimpleName(), null);
    }
  }

  /** Parses one URI or key=value data source name. */
  public static DataSource parse(String dsn) {
    Objects.requireNonNull(dsn, "dsn");
    String s = dsn.trim();
    if (s.startsWith("postgresql://") || s.startsWith("postgres://")) {
      return parseUri(s);
    }
    if (s.contains("=")) {
      return parseKeyValue(s);
    }
    throw new IllegalArgumentException(
        "Invalid PostgreSQL data source (expected postgresql://... or key=value pairs)");
  }

  private static DataSource parseUri(String s) {
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Invalid PostgreSQL data source URI", null);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("PostgreSQL data source URI has no host");
    }
    String user = null;
    String pass = null;
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      pass = colon < 0 ? null : decode(info.substring(colon + 1));
    }
    String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          params.put(decode(kv.substring(0, eq)), decode(kv.substring(eq + 1)));
        }
      }
    }
    if (params.containsKey("password")) {
      pass = params.remove("password");
    }
    if (params.containsKey("user")) {
      user = params.remove("user");
    }
    return new DataSource(
        uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, pass, params);
  }

  private static DataSource parseKeyValue(String s) {
    Map<String, String> kv = new LinkedHashMap<>();
    int i = 0;
    while (i < s.length()) {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      int eq = s.indexOf('=', i);
      if (eq < 0) {
        if (i < s.length()) {
          throw new IllegalArgumentException("Invalid key=value PostgreSQL data source");
        }
        break;
      }
      String key = s.substring(i, eq).trim();
      i = eq + 1;
      StringBuilder v = new StringBuilder();
      if (i < s.length() && s.charAt(i) == '\'') {
        i++;
        while (i < s.length() && s.charAt(i) != '\'') {
          if (s.charAt(i) == '\\' && i + 1 < s.length()) {
            i++;
          }
          v.append(s.charAt(i++));
        }
        if (i >= s.length()) {
          throw new IllegalArgumentException("Unterminated quote in PostgreSQL data source");
        }
        i++;
      } else {
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
          if (s.charAt(i) == '\\' && i + 1 < s.length()) {
            i++;
          }
          v.append(s.charAt(i++));
        }
      }
      kv.put(key, v.toString());
    }
    String host = kv.remove("host");
    String port = kv.remove("port");
    String db = kv.remove("dbname");
    String user = kv.remove("user");
    String pass = kv.remove("password");
    int p;
    try {
      p = port == null ? 5432 : Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid port in PostgreSQL data source", null);
    }
    return new DataSource(host == null ? "localhost" : host, p, db, user, pass, kv);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
