package io.clustermonitor.exporters.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A postgres_exporter {@code queries.yaml} ({@code --extend.query-path}): top-level keys are metric
 * namespaces, each with {@code query}, optional {@code master}, {@code cache_seconds}, {@code
 * runonserver} and a {@code metrics} list of {@code column: {usage, description, mapping}} with
 * usage {@code LABEL}, {@code COUNTER}, {@code GAUGE}, {@code MAPPEDMETRIC}, {@code DURATION} or
 * {@code DISCARD}. Our addition: an optional per-query {@code timeout} ({@code 500ms}, {@code 5s},
 * {@code 1m}), which Go ignores.
 */
final class UserQueries {
  enum Usage {
    DISCARD,
    LABEL,
    COUNTER,
    GAUGE,
    MAPPEDMETRIC,
    DURATION
  }

  record Column(String name, Usage usage, String description, Map<String, Double> mapping) {}

  record Query(
      String namespace,
      String sql,
      boolean master,
      long cacheSeconds,
      String runOnServer,
      Duration timeout,
      List<Column> columns) {
    Column column(String name) {
      for (Column c : columns) {
        if (c.name().equals(name)) {
          return c;
        }
      }
      return null;
    }
  }

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  final Path path;
  final String hashsum;
  final List<Query> queries;

  private UserQueries(Path path, String hashsum, List<Query> queries) {
    this.path = path;
    this.hashsum = hashsum;
    this.queries = List.copyOf(queries);
  }

  /**
   * Reads and validates a file.
   *
   * @throws IllegalArgumentException naming the file and the first problem
   */
  static UserQueries load(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot read --extend.query-path " + path + ": " + e.getClass().getSimpleName());
    }
    return parse(path, bytes);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static UserQueries parse(Path path, byte[] bytes) {
    String where = "--extend.query-path " + path;
    Object root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      root = new Yaml(new SafeConstructor(options)).load(new String(bytes, StandardCharsets.UTF_8));
    } catch (YAMLException e) {
      String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new IllegalArgumentException(where + " is not valid YAML: " + msg);
    }
    List<Query> out = new ArrayList<>();
    if (root == null) {
      return new UserQueries(path, sha256(bytes), out);
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw new IllegalArgumentException(where + ": expected a map of metric namespaces");
    }
    for (Map.Entry<?, ?> e : top.entrySet()) {
      String ns = String.valueOf(e.getKey());
      String at = where + ": " + ns;
      if (!NAME.matcher(ns).matches()) {
        throw new IllegalArgumentException(at + ": not a valid metric name");
      }
      if (!(e.getValue() instanceof Map<?, ?> q)) {
        throw new IllegalArgumentException(at + ": expected query, metrics, ...");
      }
      Object sql = q.get("query");
      if (!(sql instanceof String s) || s.isBlank()) {
        throw new IllegalArgumentException(at + ": 'query' is missing or empty");
      }
      boolean master = bool(at + ".master", q.get("master"));
      long cache = 0;
      Object cs = q.get("cache_seconds");
      if (cs != null) {
        if (!(cs instanceof Number n) || n.longValue() < 0) {
          throw new IllegalArgumentException(at + ": cache_seconds must be a whole number >= 0");
        }
        cache = n.longValue();
      }
      Object ros = q.get("runonserver");
      Duration timeout = null;
      Object to = q.get("timeout");
      if (to != null) {
        timeout = duration(at + ".timeout", String.valueOf(to));
      }
      Object metrics = q.get("metrics");
      if (!(metrics instanceof List<?> list) || list.isEmpty()) {
        throw new IllegalArgumentException(at + ": 'metrics' must be a non-empty list");
      }
      List<Column> columns = new ArrayList<>();
      for (Object item : list) {
        if (!(item instanceof Map<?, ?> m) || m.isEmpty()) {
          throw new IllegalArgumentException(at + ": each metric must be 'column: {usage: ...}'");
        }
        for (Map.Entry<?, ?> c : m.entrySet()) {
          columns.add(column(at, String.valueOf(c.getKey()), c.getValue()));
        }
      }
      out.add(
          new Query(
              ns,
              (String) sql,
              master,
              cache,
              ros == null ? "" : ros.toString(),
              timeout,
              columns));
    }
    return new UserQueries(path, sha256(bytes), out);
  }

  private static Column column(String at, String name, Object spec) {
    String where = at + "." + name;
    if (!(spec instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(where + ": expected usage and description");
    }
    Object u = m.get("usage");
    if (u == null) {
      throw new IllegalArgumentException(where + ": 'usage' is missing");
    }
    Usage usage;
    try {
      usage = Usage.valueOf(u.toString().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          where
              + ": unknown usage '"
              + u
              + "' (LABEL, COUNTER, GAUGE, MAPPEDMETRIC, DURATION or DISCARD)");
    }
    Object d = m.get("description");
    Map<String, Double> mapping = new LinkedHashMap<>();
    Object mp = m.get("mapping");
    if (mp != null) {
      if (!(mp instanceof Map<?, ?> mm)) {
        throw new IllegalArgumentException(where + ": 'mapping' must map text to numbers");
      }
      for (Map.Entry<?, ?> x : mm.entrySet()) {
        if (!(x.getValue() instanceof Number n)) {
          throw new IllegalArgumentException(
              where + ": mapping value for '" + x.getKey() + "' is not a number");
        }
        mapping.put(String.valueOf(x.getKey()), n.doubleValue());
      }
    }
    if (usage == Usage.MAPPEDMETRIC && mapping.isEmpty()) {
      throw new IllegalArgumentException(where + ": MAPPEDMETRIC needs a 'mapping'");
    }
    if (usage != Usage.DISCARD && usage != Usage.LABEL && !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(where + ": not a valid metric name");
    }
    return new Column(name, usage, d == null ? "" : d.toString(), Map.copyOf(mapping));
  }

  private static boolean bool(String where, Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(where + " must be true or false");
  }

  static Duration duration(String where, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1e3));
      } else if (t.endsWith("m")) {
        d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
      } else {
        d = Duration.ofSeconds(Long.parseLong(t));
      }
      if (d.isNegative() || d.isZero()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          where + " must be a positive duration like 500ms, 5s or 1m, got '" + text + "'");
    }
  }
}
