package io.clustermonitor.examples.compose;

import java.util.Map;

/**
 * The only metric names rules and dashboards may use that our collectors do not emit, each with the
 * reason. StackEndToEndIT checks that the real Prometheus and Alertmanager do emit them.
 */
final class ForeignMetrics {

  /** Emitted by Prometheus itself (for every target, or on its own /metrics). */
  static final Map<String, String> PROMETHEUS =
      Map.of(
          "up", "synthesized by Prometheus for every scrape target",
          "prometheus_config_last_reload_successful", "Prometheus' own /metrics (job prometheus)",
          "prometheus_rule_evaluation_failures_total", "Prometheus' own /metrics (job prometheus)",
          "prometheus_notifications_alertmanagers_discovered",
              "Prometheus' own /metrics (job prometheus)");

  /** Emitted by Alertmanager on its /metrics (job alertmanager). */
  static final Map<String, String> ALERTMANAGER =
      Map.of(
          "alertmanager_notifications_failed_total",
          "Alertmanager's own /metrics (job alertmanager)");

  private ForeignMetrics() {}

  static boolean allowed(String name) {
    return PROMETHEUS.containsKey(name) || ALERTMANAGER.containsKey(name);
  }
}
