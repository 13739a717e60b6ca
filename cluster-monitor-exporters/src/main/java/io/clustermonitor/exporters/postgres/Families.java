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
  private static final class Acc {
    final MetricType type;
    final String help;
    final List<MetricFamily.Sample> samples = new ArrayList<>();

    Acc(MetricType type, String help) {
      this.type = type;
      this.help = help;
    }
  }

  private final Map<String, Acc> byName = new LinkedHashMap<>();

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
    acc(name, type, help)
        .samples
        .add(new MetricFamily.Sample(new LinkedHashMap<>(new TreeMap<>(labels)), value));
  }

  /**
   * Adds one child of a {@link MetricType#HISTOGRAM} family, as Go's const histograms write it:
   * {@code _bucket} per bound with {@code le} last, {@code le="+Inf"} equal to {@code count}, then
   * {@code _sum} and {@code _count}; the other labels sorted by name.
   *
   * @param cumulativeBuckets upper bound to cumulative count, in ascending order of bounds
   */
  void histogram(
      String name,
      String help,
      Map<String, String> labels,
      Map<Double, Double> cumulativeBuckets,
      double sum,
      double count) {
    MetricFamily child =
        MetricFamily.builder(name, MetricType.HISTOGRAM)
            .histogram(new LinkedHashMap<>(new TreeMap<>(labels)), cumulativeBuckets, sum, count)
            .build();
    acc(name, MetricType.HISTOGRAM, help).samples.addAll(child.samples());
  }

  private Acc acc(String name, MetricType type, String help) {
    return byName.computeIfAbsent(name, n -> new Acc(type, help));
  }

  boolean isEmpty() {
    return byName.isEmpty();
  }

  void addAll(Families other) {
    for (Map.Entry<String, Acc> e : other.byName.entrySet()) {
      Acc o = e.getValue();
      acc(e.getKey(), o.type, o.help).samples.addAll(o.samples);
    }
  }

  void clear() {
    byName.clear();
  }

  List<MetricFamily> build() {
    List<MetricFamily> out = new ArrayList<>();
    for (Map.Entry<String, Acc> e : byName.entrySet()) {
      Acc a = e.getValue();
      out.add(new MetricFamily(e.getKey(), a.help, a.type, a.samples));
    }
    return out;
  }
}
