package io.clustermonitor.exporters;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The immutable, validated, ordered labels of a {@link MetricFamily.Sample}: two arrays, and the
 * text format's label block ({@code {a="x",b="y"}}, escaped, UTF-8) rendered once on first use, so
 * samples that share one label set (a container's labels on each of its series) are escaped and
 * encoded once. Equality and hash code are those of {@link Map}.
 */
final class LabelSet extends AbstractMap<String, String> {
  static final LabelSet EMPTY = new LabelSet(new String[0], new String[0]);
  private static final byte[] NONE = new byte[0];

  private final String[] names;
  private final String[] values;
  private volatile byte[] block; // rendered label block, lazily

  private LabelSet(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /** The labels as a label set: {@code labels} itself when it is one, else a validated copy. */
  static LabelSet of(Map<String, String> labels) {
    if (labels instanceof LabelSet set) {
      return set;
    }
    int n = labels.size();
    if (n == 0) {
      return EMPTY;
    }
    String[] names = new String[n];
    String[] values = new String[n];
    int i = 0;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (i == n) {
        throw new IllegalArgumentException("labels changed while being copied");
      }
      names[i] = checkName(e.getKey());
      values[i] = Objects.requireNonNull(e.getValue(), "label value");
      i++;
    }
    if (i != n) {
      throw new IllegalArgumentException("labels changed while being copied");
    }
    return new LabelSet(names, values);
  }

  /** Alternating names and values; a repeated name keeps its first place and its last value. */
  static LabelSet ofPairs(String... pairs) {
    int n = pairs.length / 2;
    if (n == 0) {
      return EMPTY;
    }
    for (int i = 0; i < pairs.length; i += 2) {
      for (int j = 0; j < i; j += 2) {
        if (pairs[i].equals(pairs[j])) {
          Map<String, String> m = new LinkedHashMap<>();
          for (int k = 0; k < pairs.length; k += 2) {
            m.put(pairs[k], pairs[k + 1]);
          }
          return of(m);
        }
      }
    }
    String[] names = new String[n];
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = checkName(pairs[2 * i]);
      values[i] = Objects.requireNonNull(pairs[2 * i + 1], "label value");
    }
    return new LabelSet(names, values);
  }

  private static String checkName(String name) {
    if (name == null || !MetricFamily.validName(name, false) || name.startsWith("__")) {
      throw new IllegalArgumentException("Invalid label name '" + name + "'");
    }
    return name;
  }

  /**
   * The label block of the text format: {@code {name="value",...}} with values escaped (backslash,
   * double quote, newline), UTF-8; empty for no labels. Do not modify.
   */
  byte[] block() {
    byte[] b = block;
    if (b == null) {
      b = names.length == 0 ? NONE : render().getBytes(StandardCharsets.UTF_8);
      block = b;
    }
    return b;
  }

  private String render() {
    StringBuilder out = new StringBuilder(16 * names.length + 16);
    out.append('{');
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(names[i]).append("=\"");
      String v = values[i];
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        switch (c) {
          case '\\' -> out.append("\\\\");
          case '"' -> out.append("\\\"");
          case '\n' -> out.append("\\n");
          default -> out.append(c);
        }
      }
      out.append('"');
    }
    return out.append('}').toString();
  }

  @Override
  public int size() {
    return names.length;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public String get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  private int indexOf(Object key) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return names.length;
      }

      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < names.length;
          }

          @Override
          public Map.Entry<String, String> next() {
            if (next >= names.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
          }
        };
      }
    };
  }
}
