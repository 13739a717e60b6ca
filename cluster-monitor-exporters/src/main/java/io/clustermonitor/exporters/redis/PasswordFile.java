package io.clustermonitor.exporters.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --redis.password-file}: redis_exporter's JSON object mapping each address to its password
 * ({@code {"redis://host:6379": "secret"}}), or a file holding just the password of the configured
 * address. Error messages name the file, never its content.
 */
final class PasswordFile {
  private final Map<String, String> byAddress;
  private final String bare;

  private PasswordFile(Map<String, String> byAddress, String bare) {
    this.byAddress = byAddress;
    this.bare = bare;
  }

  /**
   * Reads the file.
   *
   * @throws IllegalArgumentException when it cannot be read or is not a JSON object of strings
   */
  static PasswordFile load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read Redis password file " + file + ": " + e.getClass().getSimpleName(), null);
    } catch (java.io.UncheckedIOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot read Redis password file " + file + " (not UTF-8 text)", null);
    }
    if (!text.startsWith("{") && !text.startsWith("[") && !text.startsWith("\"")) {
      return new PasswordFile(Map.of(), text.isEmpty() ? null : text);
    }
    if (!text.startsWith("{")) {
      throw new IllegalArgumentException(
          "Invalid Redis password file "
              + file
              + ": expected a JSON object of address to password");
    }
    int[] pos = {1};
    Map<String, String> map = parseObject(text, file, pos);
    skipWs(text, pos);
    if (pos[0] < text.length()) {
      throw invalid(file, pos[0]);
    }
    return new PasswordFile(map, null);
  }

  /**
   * The password of an address: the JSON entry whose key is the address as written, else the entry
   * naming the same server ({@link RedisTarget#canonical()}), else null.
   */
  String passwordFor(RedisTarget target, String addressAsWritten) {
    String pw = byAddress.get(addressAsWritten);
    if (pw != null) {
      return pw;
    }
    for (Map.Entry<String, String> e : byAddress.entrySet()) {
      try {
        if (RedisTarget.parse(e.getKey()).canonical().equals(target.canonical())) {
          return e.getValue();
        }
      } catch (IllegalArgumentException ignored) {
        // an entry that is not an address matches nothing
      }
    }
    return null;
  }

  /** The password of a file that holds only a password (it applies to the configured address). */
  String barePassword() {
    return bare;
  }

  /** Number of JSON entries. */
  int size() {
    return byAddress.size();
  }

  /** Parses a flat JSON object of string values. */
  static Map<String, String> parseObject(String text, Path source, int[] pos) {
    Map<String, String> map = new LinkedHashMap<>();
    skipWs(text, pos);
    if (peek(text, pos) == '}') {
      pos[0]++;
      return map;
    }
    while (true) {
      skipWs(text, pos);
      String key = string(text, pos, source);
      skipWs(text, pos);
      expect(text, pos, ':', source);
      skipWs(text, pos);
      String value = string(text, pos, source);
      map.put(key, value);
      skipWs(text, pos);
      char c = peek(text, pos);
      pos[0]++;
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        throw invalid(source, pos[0] - 1);
      }
    }
  }

  private static char peek(String t, int[] pos) {
    return pos[0] < t.length() ? t.charAt(pos[0]) : '\0';
  }

  private static void skipWs(String t, int[] pos) {
    while (pos[0] < t.length() && Character.isWhitespace(t.charAt(pos[0]))) {
      pos[0]++;
    }
  }

  private static void expect(String t, int[] pos, char c, Path source) {
    if (peek(t, pos) != c) {
      throw invalid(source, pos[0]);
    }
    pos[0]++;
  }

  private static String string(String t, int[] pos, Path source) {
    expect(t, pos, '"', source);
    StringBuilder sb = new StringBuilder();
    while (pos[0] < t.length()) {
      char c = t.charAt(pos[0]++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\' && pos[0] < t.length()) {
        char e = t.charAt(pos[0]++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (pos[0] + 4 > t.length()) {
              throw invalid(source, pos[0]);
            }
            try {
              sb.append((char) Integer.parseInt(t.substring(pos[0], pos[0] + 4), 16));
            } catch (NumberFormatException ex) {
              throw invalid(source, pos[0]);
            }
            pos[0] += 4;
          }
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
    throw invalid(source, pos[0]);
  }

  private static IllegalArgumentException invalid(Path source, int offset) {
    return new IllegalArgumentException(
        "Invalid JSON in Redis password file " + source + " at offset " + offset);
  }
}
