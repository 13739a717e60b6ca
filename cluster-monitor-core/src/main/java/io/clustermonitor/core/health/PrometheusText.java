package io.clustermonitor.core.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small parser for the Prometheus text exposition format (and OpenMetrics text). */
final class PrometheusText {
  private PrometheusText() {}

  record Sample(String name, Map<String, String> labels, double value) {
    @Override
    public String toString() {
      if (labels.isEmpty()) {
        return name;
      }
      StringBuilder sb = new StringBuilder(name).append('{');
      labels.forEach(
          (k, v) -> {
            if (sb.charAt(sb.length() - 1) != '{') {
              sb.append(',');
            }
            sb.append(k).append("=\"").append(v).append('"');
          });
      return sb.append('}').toString();
    }
  }

  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(int line, String message) {
      super("line " + line + ": " + message);
    }
  }

  static List<Sample> parse(String text) throws ParseException {
    List<Sample> samples = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      samples.add(parseLine(line, i + 1));
    }
    return samples;
  }

  private static Sample parseLine(String line, int n) throws ParseException {
    int p = 0;
    while (p < line.length() && isNameChar(line.charAt(p), p == 0)) {
      p++;
    }
    if (p == 0) {
      throw new ParseException(n, "expected a metric name, found '" + Http.snippet(line) + "'");
    }
    String name = line.substring(0, p);
    Map<String, String> labels = new LinkedHashMap<>();
    if (p < line.length() && line.charAt(p) == '{') {
      p++;
      while (true) {
        p = skipSpaces(line, p);
        if (p < line.length() && line.charAt(p) == '}') {
          p++;
          break;
        }
        int start = p;
        while (p < line.length() && isNameChar(line.charAt(p), p == start)) {
          p++;
        }
        if (p == start) {
          throw new ParseException(n, "expected a label name in '" + Http.snippet(line) + "'");
        }
        String key = line.substring(start, p);
        p = skipSpaces(line, p);
        if (p >= line.length() || line.charAt(p) != '=') {
          throw new ParseException(n, "expected '=' after label " + key);
        }
        p = skipSpaces(line, p + 1);
        if (p >= line.length() || line.charAt(p) != '"') {
          throw new ParseException(n, "expected a quoted value for label " + key);
        }
        p++;
        StringBuilder v = new StringBuilder();
        while (true) {
          if (p >= line.length()) {
            throw new ParseException(n, "unterminated value for label " + key);
          }
          char c = line.charAt(p++);
          if (c == '"') {
            break;
          }
          if (c == '\\' && p < line.length()) {
            char e = line.charAt(p++);
            v.append(e == 'n' ? '\n' : e);
          } else {
            v.append(c);
          }
        }
        labels.put(key, v.toString());
        p = skipSpaces(line, p);
        if (p < line.length() && line.charAt(p) == ',') {
          p++;
        } else if (p >= line.length() || line.charAt(p) != '}') {
          throw new ParseException(n, "expected ',' or '}' after label " + key);
        }
      }
    }
    if (p >= line.length() || !Character.isWhitespace(line.charAt(p))) {
      throw new ParseException(n, "expected a space and a value after " + name);
    }
    String[] rest = line.substring(p).strip().split("\\s+");
    return new Sample(name, labels, parseValue(rest[0], n));
  }

  private static double parseValue(String s, int n) throws ParseException {
    switch (s) {
      case "+Inf":
      case "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new ParseException(n, "'" + Http.snippet(s) + "' is not a number");
        }
    }
  }

  private static int skipSpaces(String s, int p) {
    while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
      p++;
    }
    return p;
  }

  static boolean isNameChar(char c, boolean first) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || c == ':'
        || (!first && c >= '0' && c <= '9');
  }

  static boolean isValidName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isNameChar(name.charAt(i), i == 0)) {
        return false;
      }
    }
    return true;
  }
}
