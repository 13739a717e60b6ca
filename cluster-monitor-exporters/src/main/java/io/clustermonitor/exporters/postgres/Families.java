package io.clustermonitor.exporters.postgres;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Families gathered over several targets; a name keeps the type and help it was first given. */
final class Families {
  private final Map<String, MetricFamily.Builder> byName = new LinkedHashMap<>();

  /** Adds a sample; labels are written sorted by name, as the Go client does. */
  void add(String name, MetricType type, String help, double value, String... labels) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      m.put(labels[i], labels[i + 1]);
    }
    add(name, type, help, value, m);
  }

  /** Adds a sample; labels are written sorted by name, as the Go client does. */
  void add(String name, MetricType type, String help, double value, Map<String, String> labels) {
    byName
        .computeIfAbsent(name, n -> MetricFamily.builder(n, type).help(help))
        .sample(value, new LinkedHashMap<>(new TreeMap<>(labels)));
  }

  boolean isEmpty() {
    return byName.isEmpty();
  }

  void addAll(Families other) {
    for (MetricFamily f : other.build()) {
      for (MetricFamily.Sample s : f.samples()) {
        add(f.name(), f.type(), f.help(), s.value(), s.labels());
      }
    }
  }

  void clear() {
    byName.clear();
  }

  List<MetricFamily> build() {
    List<MetricFamily> out = new ArrayList<>();
    for (MetricFamily.Builder b : byName.values()) {
      out.add(b.build());
    }
    return out;
  }
}
