package io.clustermonitor.exporters;

import static io.clustermonitor.exporters.SnapshotConverter.counter;
import static io.clustermonitor.exporters.SnapshotConverter.gauge;
import static io.clustermonitor.exporters.SnapshotConverter.hasSuffix;
import static io.clustermonitor.exporters.SnapshotConverter.histogram;
import static io.clustermonitor.exporters.SnapshotConverter.labels;
import static io.clustermonitor.exporters.SnapshotConverter.strip;
import static io.clustermonitor.exporters.SnapshotConverter.summary;
import static io.clustermonitor.exporters.SnapshotConverter.unknown;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our families as a registry's snapshots, keeping the exact names the model can express (see {@link
 * CollectorBridge}): this class picks the snapshot type for each family, {@link SnapshotConverter}
 * builds it. Uses only API present from prometheus-metrics 1.3.x on; whether the model accepts
 * names with a reserved suffix is probed once, not guessed from a version string.
 */
final class RegistrySnapshots {
  private static final Logger LOG = LoggerFactory.getLogger(RegistrySnapshots.class);
  private static final String TOTAL = "_total";
  private static final String INFO = "_info";
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  /** Whether this prometheus-metrics model takes any legal name (1.4+) or rejects suffixes. */
  static final boolean ANY_SUFFIX = acceptsSuffixedGauge();

  private RegistrySnapshots() {}

  private static boolean acceptsSuffixedGauge() {
    try {
      GaugeSnapshot.builder()
          .name("probe_total")
          .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1).build())
          .build();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Converts in order; a family the model cannot take, or whose name another family already has in
   * this scrape, is left out (logged once per name).
   */
  static MetricSnapshots convert(List<MetricFamily> families) {
    List<MetricSnapshot> out = new ArrayList<>(families.size());
    Set<String> seen = new HashSet<>();
    for (MetricFamily family : families) {
      if (family.samples().isEmpty()) {
        continue;
      }
      MetricSnapshot snapshot;
      try {
        snapshot = convert(family);
      } catch (RuntimeException e) {
        warnOnce(family.name(), "left out: " + e.getMessage());
        continue;
      }
      if (snapshot == null) {
        warnOnce(
            family.name(),
            "left out: prometheus-metrics "
                + "before 1.4 rejects this name for a "
                + family.type().name().toLowerCase(java.util.Locale.ROOT));
      } else if (!seen.add(snapshot.getMetadata().getPrometheusName())) {
        warnOnce(family.name(), "left out: another family has the same name in this scrape");
      } else {
        out.add(snapshot);
      }
    }
    return new MetricSnapshots(out);
  }

  private static void warnOnce(String name, String why) {
    if (WARNED.add(name + why)) {
      LOG.warn("Metric family {} {}", name, why);
    }
  }

  /** One family, or null when the model cannot name it. */
  static MetricSnapshot convert(MetricFamily family) {
    String name = family.name();
    switch (family.type()) {
      case SUMMARY:
        return summary(family);
      case HISTOGRAM:
        return histogram(family);
      case COUNTER:
        if (hasSuffix(name, TOTAL)) {
          return counter(family, strip(name, TOTAL));
        }
        return reservedSuffix(name) ? null : unknown(family);
      case GAUGE:
        if (ANY_SUFFIX || !reservedSuffix(name)) {
          return gauge(family);
        }
        return oldModelFallback(family);
      default:
        if (ANY_SUFFIX || !reservedSuffix(name)) {
          return unknown(family);
        }
        return oldModelFallback(family);
    }
  }

  /** 1.3.x: a {@code *_total} gauge as a counter, a {@code *_info} of ones as an info metric. */
  private static MetricSnapshot oldModelFallback(MetricFamily family) {
    String name = family.name();
    if (hasSuffix(name, TOTAL)) {
      return counter(family, strip(name, TOTAL));
    }
    if (hasSuffix(name, INFO)
        && family.samples().stream().allMatch(s -> s.value() == 1 && s.suffix().isEmpty())) {
      InfoSnapshot.Builder b = InfoSnapshot.builder().name(strip(name, INFO)).help(family.help());
      for (MetricFamily.Sample s : family.samples()) {
        b.dataPoint(
            InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels(s.labels())).build());
      }
      return b.build();
    }
    return null;
  }

  private static boolean reservedSuffix(String name) {
    return hasSuffix(name, TOTAL)
        || hasSuffix(name, INFO)
        || hasSuffix(name, "_created")
        || hasSuffix(name, "_bucket");
  }
}
