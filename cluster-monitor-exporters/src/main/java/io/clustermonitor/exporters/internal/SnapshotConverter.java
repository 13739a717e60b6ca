package io.clustermonitor.exporters.internal;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 *   <li>gauges become {@link GaugeSnapshot}s, untyped families {@link UnknownSnapshot}s.
 * </ul>
 *
 * A family the model rejects (e.g. a duplicate label set) is logged and left out of that format.
 */
public final class SnapshotConverter {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotConverter.class);
  private static final String TOTAL = "_total";

  private SnapshotConverter() {}

  /** Converts the families in order. */
  public static MetricSnapshots convert(List<MetricFamily> families) {
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
    if (family.type() == MetricType.COUNTER
        && family.name().endsWith(TOTAL)
        && family.name().length() > TOTAL.length()) {
      CounterSnapshot.Builder b =
          CounterSnapshot.builder()
              .name(family.name().substring(0, family.name().length() - TOTAL.length()))
              .help(family.help());
      for (MetricFamily.Sample s : family.samples()) {
        b.dataPoint(
            CounterSnapshot.CounterDataPointSnapshot.builder()
                .value(s.value())
                .labels(labels(s.labels()))
                .build());
      }
      return b.build();
    }
    if (family.type() == MetricType.GAUGE) {
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

  private static Labels labels(Map<String, String> labels) {
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
