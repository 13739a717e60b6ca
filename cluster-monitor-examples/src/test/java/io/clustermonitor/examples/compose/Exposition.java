package io.clustermonitor.examples.compose;

import java.util.Set;
import java.util.TreeSet;

/** Reads the sample names out of a Prometheus text exposition. */
final class Exposition {

  private Exposition() {}

  /** The names of every sample in {@code text} (what PromQL selects), sorted. */
  static Set<String> sampleNames(String text) {
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < l.length() && l.charAt(end) != '{' && !Character.isWhitespace(l.charAt(end))) {
        end++;
      }
      names.add(l.substring(0, end));
    }
    return names;
  }
}
