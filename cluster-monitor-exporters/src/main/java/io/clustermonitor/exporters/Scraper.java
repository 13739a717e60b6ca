package io.clustermonitor.exporters;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scrape: every collector's families in registration order, then the SDK's own families ({@code
 * <ns>_scrape_collector_success}, {@code <ns>_scrape_collector_duration_seconds}, {@code
 * cluster_monitor_build_info}).
 *
 * <p>Duplicate family names are resolved deterministically: the first collector in registration
 * order keeps the name, a later family with the same name is dropped (logged once per name and
 * collector). The SDK's own names are reserved. Thread-safe.
 */
final class Scraper {
  private static final Logger LOG = LoggerFactory.getLogger(Scraper.class);

  private final CollectorRunner runner;
  private final String successName;
  private final String durationName;
  private final MetricFamily buildInfo;
  private final List<MetricsCollector> exporterMetrics;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /** Creates a scraper over a runner; {@code buildInfo} may be null (left out). */
  public Scraper(CollectorRunner runner, String namespace, MetricFamily buildInfo) {
    this(runner, namespace, buildInfo, List.of());
  }

  /**
   * Creates a scraper over a runner.
   *
   * @param buildInfo the build info family, or null to leave it out
   * @param exporterMetrics the exporter's own metrics ({@code process_*}, {@code *_build_info}):
   *     called on the scrape thread after the collectors, outside the collector machinery (no
   *     success series, kept under a {@code collect[]} filter, left out of one-off target scrapes);
   *     one that throws is logged and skipped
   */
  public Scraper(
      CollectorRunner runner,
      String namespace,
      MetricFamily buildInfo,
      List<MetricsCollector> exporterMetrics) {
    this.runner = runner;
    this.successName = namespace + "_scrape_collector_success";
    this.durationName = namespace + "_scrape_collector_duration_seconds";
    this.buildInfo = buildInfo;
    this.exporterMetrics = List.copyOf(exporterMetrics);
  }

  /** Collects everything once. */
  public List<MetricFamily> scrape() {
    return assemble(runner.collectAll(), true);
  }

  /** Collects only the registered collectors named in {@code names}. */
  public List<MetricFamily> scrape(Set<String> names) {
    return assemble(runner.collect(names::contains), true);
  }

  /** Collects one request's own collectors (not the registered ones). */
  public List<MetricFamily> scrapeOnce(List<MetricsCollector> collectors) {
    return assemble(runner.collectOnce(collectors), false);
  }

  /** The registered collectors' names. */
  public List<String> collectorNames() {
    return runner.collectors().stream().map(MetricsCollector::name).toList();
  }

  private List<MetricFamily> assemble(List<CollectorRunner.Outcome> outcomes, boolean self) {
    Set<String> seen = new HashSet<>();
    seen.add(successName);
    seen.add(durationName);
    if (buildInfo != null) {
      seen.add(buildInfo.name());
    }
    List<MetricFamily> out = new ArrayList<>();
    MetricFamily.Builder success =
        MetricFamily.builder(successName, MetricType.GAUGE)
            .help("Whether a collector succeeded (1) or failed or timed out (0).");
    MetricFamily.Builder duration =
        MetricFamily.builder(durationName, MetricType.GAUGE)
            .help("How long a collector took in this scrape, in seconds.");
    for (CollectorRunner.Outcome o : outcomes) {
      for (MetricFamily family : o.families()) {
        if (seen.add(family.name())) {
          out.add(family);
        } else if (warned.add(o.collector() + "/" + family.name())) {
          LOG.warn(
              "Collector {} returned family {} which an earlier collector (or the SDK) already"
                  + " provides; dropped",
              o.collector(),
              family.name());
        }
      }
      success.sample(o.success() ? 1 : 0, Map.of("collector", o.collector()));
      duration.sample(o.seconds(), Map.of("collector", o.collector()));
    }
    if (!outcomes.isEmpty()) {
      out.add(success.build());
      out.add(duration.build());
    }
    if (buildInfo != null) {
      out.add(buildInfo);
    }
    if (self) {
      for (MetricsCollector c : exporterMetrics) {
        addExporterMetrics(c, seen, out);
      }
    }
    return out;
  }

  private void addExporterMetrics(MetricsCollector c, Set<String> seen, List<MetricFamily> out) {
    List<MetricFamily> families;
    try {
      families = c.collect();
    } catch (Exception | LinkageError e) {
      LOG.warn("Exporter metrics {} failed: {}", c.name(), e.toString());
      return;
    }
    if (families == null) {
      return;
    }
    for (MetricFamily family : families) {
      if (seen.add(family.name())) {
        out.add(family);
      } else if (warned.add("exporter-metrics/" + family.name())) {
        LOG.warn(
            "Exporter metrics {} returned family {} which a collector already provides; dropped",
            c.name(),
            family.name());
      }
    }
  }
}
