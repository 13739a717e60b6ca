package io.clustermonitor.exporters.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code REDIS_PASSWORD_FILE}: either redis_exporter's JSON object mapping each address to
 * its password ({@code {"redis://host:6379": "secret"}}) or a file holding just the password. Error
 * messages never contain the file's content.
 */
final class PasswordFile {
  private PasswordFile() {}

  /** The password for {@code address}, or null when the JSON map has no entry for it. */
  static String passwordFor(Path file, String address) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (!text.startsWith("{")) {
      return text;
    }
    Map<String, String> map = parseObject(text, file);
    String pw = map.get(address);
    if (pw == null && !address.contains("://")) {
      pw = map.get("redis://" + address);
    }
    return pw;
  }

  /** Parses a flat JSON object of string values. */
  static Map<String, String> parseObject(String text, Path source) {
    Map<String, String> map = new LinkedHashMap<>();
    int[] pos = {1};
    skipWs(text, pos);
    if (peek(text, pos) == '}') {
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
