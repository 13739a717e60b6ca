package io.clustermonitor.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The project's parser for the Prometheus text exposition format (0.0.4, and the sample lines of
 * OpenMetrics text): used by the health checks ({@link #parse}) and by node's textfile collector
 * ({@link #parseFamilies}). Internal: not a public API.
 */
public final class PrometheusText {
  private PrometheusText() {}

  /**
   * One sample line.
   *
   * @param name the sample's metric name
   * @param labels its labels in line order
   * @param value its value
   */
  public record Sample(String name, Map<String, String> labels, double value) {
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

  /** A line that breaks the format; the message starts with {@code line N:}. */
  public static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(int line, String message) {
      super("line " + line + ": " + message);
    }
  }

  /**
   * One family of {@link #parseFamilies}: its name, type ({@code counter}, {@code gauge}, {@code
   * histogram}, {@code summary} or {@code untyped}), help ({@code null} when the text has no HELP
   * line) and samples, in text order.
   *
   * @param name family name
   * @param type its type; {@code untyped} without a TYPE line
   * @param help its help text, or {@code null}
   * @param samples its samples
   * @param timestamps whether any sample carried a timestamp
   */
  public record Family(
      String name, String type, String help, List<Sample> samples, boolean timestamps) {}

  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** Parses sample lines, skipping comments, HELP and TYPE lines. */
  public static List<Sample> parse(String text) throws ParseException {
    List<Sample> samples = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      samples.add(parseLine(line, i + 1, null));
    }
    return samples;
  }

  /**
   * Parses text into families with the rules of the Prometheus text format (as Go's {@code
   * expfmt.TextParser} applies them): at most one HELP and one TYPE line per family, TYPE before
   * the family's first sample, a known type, {@code _bucket}/{@code _sum}/{@code _count} samples
   * belonging to their histogram or summary, {@code le}/{@code quantile} labels where required, no
   * repeated label name, an integer timestamp after the value if any.
   */
  public static List<Family> parseFamilies(String text) throws ParseException {
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, String> helps = new LinkedHashMap<>();
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    Set<String> stamped = new java.util.HashSet<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int n = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        String[] f = line.substring(1).strip().split("[ \t]+", 3);
        if (f.length < 2 || !(f[0].equals("HELP") || f[0].equals("TYPE"))) {
          continue; // an ordinary comment
        }
        String name = f[1];
        if (!isValidName(name)) {
          throw new ParseException(n, "invalid metric name in comment: " + name);
        }
        if (f[0].equals("HELP")) {
          if (helps.containsKey(name)) {
            throw new ParseException(n, "second HELP line for metric name " + name);
          }
          helps.put(name, f.length > 2 ? unescapeHelp(f[2]) : "");
        } else {
          String type = f.length > 2 ? f[2].strip().toLowerCase(java.util.Locale.ROOT) : "";
          if (!TYPES.contains(type)) {
            throw new ParseException(n, "unknown metric type " + type);
          }
          if (types.containsKey(name) || !samples.getOrDefault(name, List.of()).isEmpty()) {
            throw new ParseException(
                n, "second TYPE line for metric name " + name + ", or TYPE reported after samples");
          }
          types.put(name, type);
        }
        samples.computeIfAbsent(name, k -> new ArrayList<>());
        continue;
      }
      boolean[] ts = new boolean[1];
      Sample s = parseLine(line, n, ts);
      String family = familyOf(s.name(), types);
      String type = types.getOrDefault(family, "untyped");
      if (type.equals("histogram")
          && s.name().equals(family + "_bucket")
          && !s.labels().containsKey("le")) {
        throw new ParseException(n, "histogram bucket without le label: " + s);
      }
      if (type.equals("summary")
          && s.name().equals(family)
          && !s.labels().containsKey("quantile")) {
        throw new ParseException(n, "summary sample without quantile label: " + s);
      }
      if (type.equals("histogram") && s.name().equals(family)) {
        throw new ParseException(n, "histogram sample without _bucket, _sum or _count: " + s);
      }
      String special = type.equals("histogram") ? "le" : type.equals("summary") ? "quantile" : null;
      if (special != null && s.labels().containsKey(special)) {
        try {
          parseGoFloat(s.labels().get(special));
        } catch (NumberFormatException e) {
          throw new ParseException(
              n,
              "expected float as value for '"
                  + special
                  + "' label, got \""
                  + snippet(s.labels().get(special))
                  + "\"");
        }
      }
      samples.computeIfAbsent(family, k -> new ArrayList<>()).add(s);
      if (ts[0]) {
        stamped.add(family);
      }
    }
    List<Family> out = new ArrayList<>();
    for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
      String name = e.getKey();
      if (e.getValue().isEmpty() && !types.containsKey(name)) {
        continue; // a HELP line alone: no family
      }
      out.add(
          new Family(
              name,
              types.getOrDefault(name, "untyped"),
              helps.get(name),
              List.copyOf(e.getValue()),
              stamped.contains(name)));
    }
    return out;
  }

  private static String familyOf(String sample, Map<String, String> types) {
    for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
      if (sample.endsWith(suffix)) {
        String base = sample.substring(0, sample.length() - suffix.length());
        String t = types.get(base);
        if ("histogram".equals(t) || ("summary".equals(t) && !suffix.equals("_bucket"))) {
          return base;
        }
      }
    }
    return sample;
  }

  private static String unescapeHelp(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        b.append(e == 'n' ? '\n' : e == '\\' ? '\\' : e);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static Sample parseLine(String line, int n, boolean[] timestamp) throws ParseException {
    int p = 0;
    while (p < line.length() && isNameChar(line.charAt(p), p == 0)) {
      p++;
    }
    if (p == 0) {
      throw new ParseException(n, "expected a metric name, found '" + snippet(line) + "'");
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
          throw new ParseException(n, "expected a label name in '" + snippet(line) + "'");
        }
        String key = line.substring(start, p);
        if (timestamp != null && labels.containsKey(key)) {
          throw new ParseException(n, "duplicate label name " + key);
        }
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
    if (timestamp != null) {
      if (rest.length > 2) {
        throw new ParseException(n, "unexpected text after the timestamp: " + snippet(line));
      }
      if (rest.length == 2) {
        try {
          Long.parseLong(rest[1]);
        } catch (NumberFormatException e) {
          throw new ParseException(n, "'" + snippet(rest[1]) + "' is not a timestamp");
        }
        timestamp[0] = true;
      }
    }
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
          throw new ParseException(n, "'" + snippet(s) + "' is not a number");
        }
    }
  }

  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /**
   * A float as Go's text parser reads an {@code le} or {@code quantile} label value ({@code
   * strconv.ParseFloat} without hex, underscores or out-of-range values): decimal numbers, {@code
   * Inf}/{@code Infinity} with an optional sign and {@code NaN}, case-insensitive.
   *
   * @throws NumberFormatException if Go would reject it
   */
  public static double parseGoFloat(String s) {
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    if (!DECIMAL.matcher(s).matches()) {
      throw new NumberFormatException("not a float: " + s);
    }
    double v = Double.parseDouble(s);
    if (Double.isInfinite(v)) {
      throw new NumberFormatException("out of range: " + s);
    }
    return v;
  }

  private static String snippet(String s) {
    String one = s.strip().replaceAll("\\s*\\R\\s*", " ");
    return one.length() > 120 ? one.substring(0, 120) + "..." : one;
  }

  private static int skipSpaces(String s, int p) {
    while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
      p++;
    }
    return p;
  }

  /** Whether {@code c} may appear in a metric or label name (at the start if {@code first}). */
  public static boolean isNameChar(char c, boolean first) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || c == ':'
        || (!first && c >= '0' && c <= '9');
  }

  /** Whether {@code name} is a valid metric name. */
  public static boolean isValidName(String name) {
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
