package io.clustermonitor.examples.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strictly parsed query string: percent escapes must be well formed UTF-8, only the parameters an
 * endpoint names are accepted, and no value may hold control characters. Anything else is a 400.
 */
final class Query {
  static final int MAX_PARAMETERS = 32;
  static final Query EMPTY = new Query(Map.of());

  private final Map<String, List<String>> params;

  private Query(Map<String, List<String>> params) {
    this.params = params;
  }

  /** Parses a raw (still encoded) query; {@code null} or empty gives an empty query. */
  static Query parse(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return EMPTY;
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    String[] pairs = rawQuery.split("&", -1);
    if (pairs.length > MAX_PARAMETERS) {
      throw ApiException.badRequest("Too many query parameters (at most " + MAX_PARAMETERS + ")");
    }
    for (String pair : pairs) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (key.isEmpty()) {
        throw ApiException.badRequest("Query parameter without a name");
      }
      params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return new Query(params);
  }

  /** Rejects parameters not in {@code allowed}. */
  Query allow(Set<String> allowed) {
    for (String key : params.keySet()) {
      if (!allowed.contains(key)) {
        throw ApiException.badRequest(
            "Unknown query parameter '" + key + "'; allowed: " + String.join(", ", allowed));
      }
    }
    return this;
  }

  /** All values of {@code key}, in order. */
  List<String> all(String key) {
    return params.getOrDefault(key, List.of());
  }

  /** The single value of {@code key}, or {@code null}; repeating it is a 400. */
  String single(String key) {
    List<String> values = all(key);
    if (values.size() > 1) {
      throw ApiException.badRequest("Query parameter '" + key + "' given more than once");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  /** A boolean flag: absent gives {@code dflt}; empty, true, 1 give true; false, 0 give false. */
  boolean flag(String key, boolean dflt) {
    String v = single(key);
    if (v == null) {
      return dflt;
    }
    switch (v) {
      case "", "true", "1":
        return true;
      case "false", "0":
        return false;
      default:
        throw ApiException.badRequest("Query parameter '" + key + "' must be true, false, 1 or 0");
    }
  }

  /** Percent-decodes (and {@code +} to space) strictly, then rejects control characters. */
  static String decode(String raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw ApiException.badRequest("Malformed percent escape in query string");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw ApiException.badRequest("Malformed percent escape in query string");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else if (c == '+') {
        out.write(' ');
      } else if (c < 0x80) {
        out.write(c);
      } else {
        int cp = raw.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp) - 1;
      }
    }
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(out.toByteArray()))
              .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("Query string is not valid UTF-8");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw ApiException.badRequest("Control characters are not allowed in the query string");
      }
    }
    return s;
  }
}
