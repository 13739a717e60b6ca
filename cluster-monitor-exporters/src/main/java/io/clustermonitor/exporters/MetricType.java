package io.clustermonitor.exporters;

/** Prometheus metric types our collectors emit. */
public enum MetricType {
  /** A monotonically increasing value. The family name is written exactly as given. */
  COUNTER,
  /** A value that goes up and down. */
  GAUGE,
  /** A value of unknown type (Prometheus {@code untyped}). */
  UNTYPED,
  /**
   * Quantiles with {@code _sum} and {@code _count} samples, as Go's const summaries (samples made
   * with {@link MetricFamily.Builder#summary}).
   */
  SUMMARY,
  /**
   * Cumulative {@code _bucket{le}} samples with {@code _sum} and {@code _count}, as Go's const
   * histograms (samples made with {@link MetricFamily.Builder#histogram}).
   */
  HISTOGRAM
}
