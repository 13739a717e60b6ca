package io.clustermonitor.examples.compose;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the metric names a PromQL expression reads. A small tokenizer, not a parser: it skips
 * strings, comments, label matchers ({@code {...}}), ranges and subqueries ({@code [...]}), numbers
 * and durations, Grafana variables ({@code $x}, {@code ${x}}), function and aggregation calls (an
 * identifier followed by {@code (}), keywords, and the label lists after {@code by}, {@code
 * without}, {@code on}, {@code ignoring}, {@code group_left} and {@code group_right}. What is left
 * are metric names. An exact {@code __name__="x"} matcher counts as metric {@code x}.
 */
final class PromQlMetricNames {

  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan", "start", "end");

  private static final Set<String> LABEL_LIST_KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  private static final Pattern EXACT_NAME = Pattern.compile("__name__\\s*=\\s*\"([^\"]*)\"");

  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile");

  private final String q;
  private int i;
  private final Set<String> names = new TreeSet<>();

  private PromQlMetricNames(String query) {
    this.q = query;
  }

  /** Returns the metric names in {@code query}, sorted. */
  static Set<String> of(String query) {
    if (query == null) {
      throw new IllegalArgumentException("query must not be null");
    }
    PromQlMetricNames t = new PromQlMetricNames(query);
    t.scan();
    return t.names;
  }

  /**
   * Returns the metric names in a Grafana template variable query: {@code label_values(expr,
   * label)} reads {@code expr}; {@code label_values(label)} reads no metric; anything else is
   * PromQL.
   */
  static Set<String> ofGrafanaVariable(String query) {
    String s = query.strip();
    if (s.startsWith("label_values(") && s.endsWith(")")) {
      String inner = s.substring("label_values(".length(), s.length() - 1);
      int comma = lastTopLevelComma(inner);
      return comma < 0 ? Set.of() : of(inner.substring(0, comma));
    }
    if (s.startsWith("query_result(") && s.endsWith(")")) {
      return of(s.substring("query_result(".length(), s.length() - 1));
    }
    if (s.startsWith("metrics(") || s.startsWith("label_names(")) {
      throw new IllegalArgumentException("variable query reads no fixed metric: " + query);
    }
    return of(s);
  }

  private static int lastTopLevelComma(String s) {
    int depth = 0;
    int last = -1;
    boolean inString = false;
    char quote = 0;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (inString) {
        if (c == '\\') {
          k++;
        } else if (c == quote) {
          inString = false;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        inString = true;
        quote = c;
      } else if (c == '(' || c == '{' || c == '[') {
        depth++;
      } else if (c == ')' || c == '}' || c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        last = k;
      }
    }
    return last;
  }

  private void scan() {
    while (i < q.length()) {
      char c = q.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        skipString();
      } else if (c == '#') {
        while (i < q.length() && q.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '{') {
        labelMatchers();
      } else if (c == '[') {
        skipBalanced('[', ']');
      } else if (c == '$') {
        skipVariable();
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < q.length() && isDigit(i + 1))) {
        while (i < q.length() && (isIdentPart(q.charAt(i)) || q.charAt(i) == '.')) {
          i++;
        }
      } else if (isIdentStart(c)) {
        identifier();
      } else {
        i++;
      }
    }
  }

  private void identifier() {
    int start = i;
    while (i < q.length() && isIdentPart(q.charAt(i))) {
      i++;
    }
    String word = q.substring(start, i);
    String lower = word.toLowerCase(Locale.ROOT);
    int next = skipSpaces(i);
    boolean callOrList = next < q.length() && q.charAt(next) == '(';
    if (LABEL_LIST_KEYWORDS.contains(lower)) {
      if (callOrList) {
        i = next;
        skipBalanced('(', ')');
      }
      return;
    }
    if (callOrList || KEYWORDS.contains(lower)) {
      return;
    }
    if (AGGREGATIONS.contains(lower) && startsWithWord(next, "by", "without")) {
      return; // "sum by (x) (...)": the modifier comes between the operator and its argument
    }
    names.add(word);
  }

  private void labelMatchers() {
    int end = findClosing('{', '}');
    String body = q.substring(i + 1, end);
    Matcher m = EXACT_NAME.matcher(body);
    while (m.find()) {
      names.add(m.group(1));
    }
    i = end + 1;
  }

  private void skipBalanced(char open, char close) {
    i = findClosing(open, close) + 1;
  }

  private int findClosing(char open, char close) {
    int depth = 0;
    int k = i;
    while (k < q.length()) {
      char c = q.charAt(k);
      if (c == '"' || c == '\'' || c == '`') {
        k = endOfString(k);
        continue;
      }
      if (c == open) {
        depth++;
      } else if (c == close) {
        depth--;
        if (depth == 0) {
          return k;
        }
      }
      k++;
    }
    throw new IllegalArgumentException("unbalanced '" + open + "' in: " + q);
  }

  private void skipString() {
    i = endOfString(i);
  }

  /** Returns the index just past the string literal that starts at {@code k}. */
  private int endOfString(int k) {
    char quote = q.charAt(k++);
    while (k < q.length()) {
      char c = q.charAt(k++);
      if (c == '\\' && quote != '`') {
        k++;
      } else if (c == quote) {
        return k;
      }
    }
    throw new IllegalArgumentException("unterminated string in: " + q);
  }

  private void skipVariable() {
    i++;
    if (i < q.length() && q.charAt(i) == '{') {
      skipBalanced('{', '}');
      return;
    }
    while (i < q.length() && isIdentPart(q.charAt(i))) {
      i++;
    }
  }

  private boolean startsWithWord(int k, String... words) {
    for (String w : words) {
      int end = k + w.length();
      if (end <= q.length()
          && q.regionMatches(true, k, w, 0, w.length())
          && (end == q.length() || !isIdentPart(q.charAt(end)))) {
        return true;
      }
    }
    return false;
  }

  private int skipSpaces(int k) {
    while (k < q.length() && Character.isWhitespace(q.charAt(k))) {
      k++;
    }
    return k;
  }

  private boolean isDigit(int k) {
    return Character.isDigit(q.charAt(k));
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9');
  }
}
