package io.clustermonitor.exporters.postgres;

import io.clustermonitor.exporters.Secret;
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
 * port=... user=... password=... dbname=...}).
 *
 * <p>The password is a {@link Secret}: {@link #toString()} never shows it, and {@link #equals} and
 * {@link #hashCode()} only look at whether a password is set, never at its value.
 *
 * @param host host name
 * @param port port
 * @param database database name
 * @param user user name
 * @param password password, or null when none is set
 * @param params the remaining libpq parameters (e.g. {@code sslmode})
 */
public record DataSource(
    String host,
    int port,
    String database,
    String user,
    Secret password,
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

  /**
   * A source from a plain password (null or empty for none).
   *
   * @throws IllegalArgumentException for a blank host or a port out of range
   */
  public static DataSource of(
      String host,
      int port,
      String database,
      String user,
      String password,
      Map<String, String> params) {
    return new DataSource(host, port, database, user, secret(password), params);
  }

  private static Secret secret(String password) {
    return password == null ? null : Secret.of(password);
  }

  /** The URI without the password, e.g. {@code postgresql://monitor@db:5432/app}. */
  @Override
  public String toString() {
    return "postgresql://" + (user.isEmpty() ? "" : user + "@") + server() + "/" + database;
  }

  /** Same host, port, database, user, parameters and password presence (values not compared). */
  @Override
  public boolean equals(Object o) {
    return o instanceof DataSource d
        && host.equals(d.host)
        && port == d.port
        && database.equals(d.database)
        && user.equals(d.user)
        && (password == null) == (d.password == null)
        && params.equals(d.params);
  }

  /** Derived from what {@link #equals} compares; never from the password. */
  @Override
  public int hashCode() {
    return Objects.hash(host, port, database, user, password == null, params);
  }

  /**
   * Reads the data sources as postgres_exporter 0.15 does: {@code DATA_SOURCE_NAME} (several
   * comma-separated) or else {@code DATA_SOURCE_URI} ({@code host:port/db?params}) with {@code
   * DATA_SOURCE_USER} and {@code DATA_SOURCE_PASS}; each of the last three may instead be read from
   * the file named by its {@code _FILE} variable, which wins over the plain variable. Nothing
   * configured gives an empty list: the multi-target ({@code /probe}) only mode, where {@code
   * /metrics} answers {@code pg_up 0}.
   *
   * @throws IllegalArgumentException when a value cannot be parsed or a file cannot be read
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
    String uri = fileOrValue(env, "DATA_SOURCE_URI");
    if (uri == null || uri.isBlank()) {
      return out;
    }
    String user = fileOrValue(env, "DATA_SOURCE_USER");
    String pass = fileOrValue(env, "DATA_SOURCE_PASS");
    DataSource d = parse("postgresql://" + uri.trim());
    out.add(
        new DataSource(
            d.host(),
            d.port(),
            d.database(),
            user == null || user.isEmpty() ? d.user() : user,
            pass == null || pass.isEmpty() ? d.password() : Secret.of(pass),
            d.params()));
    return out;
  }

  private static String fileOrValue(Map<String, String> env, String name) {
    String file = env.get(name + "_FILE");
    if (file != null && !file.isEmpty()) {
      try {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "Cannot read " + name + "_FILE " + file + ": " + e.getClass().getSimpleName(), null);
      }
    }
    return env.get(name);
  }

  /**
   * Parses a {@code /probe} target as postgres_exporter 0.15 does: a {@code postgres://} or {@code
   * postgresql://} URI, libpq key=value pairs, or a bare {@code host:port[/db]}.
   *
   * @throws IllegalArgumentException when it is none of these (the message holds no password)
   */
  public static DataSource parseTarget(String target) {
    Objects.requireNonNull(target, "target");
    String t = target.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("target is empty");
    }
    if (t.startsWith("postgresql://")
        || t.startsWith("postgres://")
        || t.matches("^[A-Za-z_]+\\s*=.*")) {
      return parse(t);
    }
    if (t.contains("://") || t.contains(" ")) {
      throw new IllegalArgumentException(
          "target is not a PostgreSQL DSN (expected host:port[/db], postgresql://... or"
              + " key=value pairs)");
    }
    return parse("postgresql://" + t);
  }

  /** This source with another database. */
  public DataSource withDatabase(String db) {
    return new DataSource(host, port, db, user, password, params);
  }

  /** This source with another user and password (a null keeps the current value). */
  public DataSource withCredentials(String newUser, String newPassword) {
    return new DataSource(
        host,
        port,
        database,
        newUser == null ? user : newUser,
        newPassword == null ? password : Secret.of(newPassword),
        params);
  }

  /** This source with another password (null for none). */
  public DataSource withPassword(Secret newPassword) {
    return new DataSource(host, port, database, user, newPassword, params);
  }

  /** This source with extra libpq parameters (they replace existing ones of the same name). */
  public DataSource withParams(Map<String, String> extra) {
    Map<String, String> p = new LinkedHashMap<>(params);
    p.putAll(extra);
    return new DataSource(host, port, database, user, password, p);
  }

  /** Parses one URI or key=value data source name. */
  public static DataSource parse(String dsn) {
    Objects.requireNonNull(dsn, "dsn");
    String s = dsn.trim();
    if (s.startsWith("postgresql://") || s.startsWith("postgres://")) {
      return parseUri(s);
    }
    if (s.matches("(?s)^[A-Za-z_]+\\s*=.*")) {
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
    return DataSource.of(
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
    return DataSource.of(host == null ? "localhost" : host, p, db, user, pass, kv);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
