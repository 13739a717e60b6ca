package io.clustermonitor.exporters;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts our families to prometheus-metrics snapshots for the OpenMetrics and protobuf writers.
 *
 * <p>Those writers append {@code _total} to every counter. To keep names exact:
 *
 * <ul>
 *   <li>a counter whose name ends in {@code _total} becomes a {@link CounterSnapshot} named without
 *       the suffix, so it is written with its exact name and type {@code counter};
 *   <li>a counter without {@code _total} (e.g. {@code pg_stat_database_xact_commit}, {@code
 *       container_memory_failcnt}) becomes an {@link UnknownSnapshot}: exact name, type {@code
 *       unknown} (OpenMetrics) or {@code UNTYPED} (protobuf); {@code rate()} works the same;
 *   <li>gauges become {@link GaugeSnapshot}s, untyped families {@link UnknownSnapshot}s;
 *   <li>summaries and histograms ({@code quantile}/{@code le} samples with {@code _sum} and {@code
 *       _count}) become {@link SummarySnapshot}s and classic {@link HistogramSnapshot}s.
 * </ul>
 *
 * A family the model rejects (e.g. a duplicate label set) is logged and left out of that format.
 *
 * <p>The per-type conversions are also {@link RegistrySnapshots}' (the registry bridge), which only
 * decides which of them a family gets under the registry's naming rules.
 */
final class SnapshotConverter {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotConverter.class);
  private static final String TOTAL = "_total";

  private SnapshotConverter() {}

  /**
   * Converts the families in order. On a prometheus-metrics model before 1.4, which rejects a gauge
   * named {@code *_info} or {@code *_total}, the conversion is the registry bridge's ({@link
   * RegistrySnapshots}): such a gauge becomes an info metric or a counter with the same served name
   * instead of being left out of every OpenMetrics and protobuf scrape with a warning each time.
   */
  public static MetricSnapshots convert(List<MetricFamily> families) {
    if (!RegistrySnapshots.ANY_SUFFIX) {
      return RegistrySnapshots.convert(families);
    }
    List<MetricSnapshot> out = new ArrayList<>(families.size());
    for (MetricFamily family : families) {
      if (family.samples().isEmpty()) {
        continue;
      }
      try {
        out.add(convert(family));
      } catch (RuntimeException e) {
        LOG.warn(
            "Metric family {} left out of the snapshot formats: {}", family.name(), e.toString());
      }
    }
    return new MetricSnapshots(out);
  }

  static MetricSnapshot convert(MetricFamily family) {
    String name = family.name();
    return switch (family.type()) {
      case COUNTER ->
          hasSuffix(name, TOTAL) ? counter(family, strip(name, TOTAL)) : unknown(family);
      case SUMMARY -> summary(family);
      case HISTOGRAM -> histogram(family);
      case GAUGE -> gauge(family);
      default -> unknown(family);
    };
  }

  /** Whether {@code name} ends in {@code suffix} and has something before it. */
  static boolean hasSuffix(String name, String suffix) {
    return name.endsWith(suffix) && name.length() > suffix.length();
  }

  /** {@code name} without {@code suffix}. */
  static String strip(String name, String suffix) {
    return name.substring(0, name.length() - suffix.length());
  }

  /** The family as a counter named {@code base} (the writers append {@code _total}). */
  static MetricSnapshot counter(MetricFamily family, String base) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(base).help(family.help());
    for (MetricFamily.Sample s : family.samples()) {
      b.dataPoint(
          CounterSnapshot.CounterDataPointSnapshot.builder()
              .value(s.value())
              .labels(labels(s.labels()))
              .build());
    }
    return b.build();
  }

  /** The family as a gauge of the same name. */
  static MetricSnapshot gauge(MetricFamily family) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(family.name()).help(family.help());
    for (MetricFamily.Sample s : family.samples()) {
      b.dataPoint(
          GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .value(s.value())
              .labels(labels(s.labels()))
              .build());
    }
    return b.build();
  }

  /** The family as an unknown (untyped) metric of the same name. */
  static MetricSnapshot unknown(MetricFamily family) {
    UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(family.name()).help(family.help());
    for (MetricFamily.Sample s : family.samples()) {
      b.dataPoint(
          UnknownSnapshot.UnknownDataPointSnapshot.builder()
              .value(s.value())
              .labels(labels(s.labels()))
              .build());
    }
    return b.build();
  }

  /** The samples of a summary or histogram, grouped by their labels without quantile/le. */
  private static final class Child {
    final Map<String, String> labels;
    final List<MetricFamily.Sample> points = new ArrayList<>();
    double sum;
    double count;

    Child(Map<String, String> labels) {
      this.labels = labels;
    }
  }

  private static Map<Map<String, String>, Child> children(MetricFamily family, String special) {
    Map<Map<String, String>, Child> children = new LinkedHashMap<>();
    for (MetricFamily.Sample s : family.samples()) {
      Map<String, String> key = new LinkedHashMap<>(s.labels());
      key.remove(special);
      Child c = children.computeIfAbsent(key, Child::new);
      switch (s.suffix()) {
        case "_sum" -> c.sum = s.value();
        case "_count" -> c.count = s.value();
        default -> c.points.add(s);
      }
    }
    return children;
  }

  /** A summary family ({@code quantile} samples with {@code _sum} and {@code _count}). */
  static MetricSnapshot summary(MetricFamily family) {
    SummarySnapshot.Builder b = SummarySnapshot.builder().name(family.name()).help(family.help());
    for (Child c : children(family, "quantile").values()) {
      List<Quantile> quantiles = new ArrayList<>();
      for (MetricFamily.Sample s : c.points) {
        quantiles.add(new Quantile(Double.parseDouble(s.labels().get("quantile")), s.value()));
      }
      b.dataPoint(
          SummarySnapshot.SummaryDataPointSnapshot.builder()
              .quantiles(Quantiles.of(quantiles))
              .sum(c.sum)
              .count((long) c.count)
              .labels(labels(c.labels))
              .build());
    }
    return b.build();
  }

  /** A classic histogram family ({@code le} samples with {@code _sum} and {@code _count}). */
  static MetricSnapshot histogram(MetricFamily family) {
    HistogramSnapshot.Builder b =
        HistogramSnapshot.builder().name(family.name()).help(family.help());
    for (Child c : children(family, "le").values()) {
      TreeMap<Double, Double> cumulative = new TreeMap<>();
      for (MetricFamily.Sample s : c.points) {
        String le = s.labels().get("le");
        cumulative.put(
            le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), s.value());
      }
      cumulative.putIfAbsent(Double.POSITIVE_INFINITY, c.count);
      double[] bounds = new double[cumulative.size()];
      long[] counts = new long[cumulative.size()];
      int i = 0;
      double previous = 0;
      for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
        bounds[i] = e.getKey();
        counts[i] = (long) Math.max(0, e.getValue() - previous);
        previous = Math.max(previous, e.getValue());
        i++;
      }
      b.dataPoint(
          HistogramSnapshot.HistogramDataPointSnapshot.builder()
              .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
              .sum(c.sum)
              .labels(labels(c.labels))
              .build());
    }
    return b.build();
  }

  /** Our labels in the model. */
  static Labels labels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      b.label(e.getKey(), e.getValue());
    }
    return b.build();
  }
}
