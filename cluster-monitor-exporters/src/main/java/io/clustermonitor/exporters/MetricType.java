package io.clustermonitor.exporters;

/** Prometheus metric types our collectors emit. */
public enum MetricType {
  /** A monotonically increasing value. The family name is written exactly as given. */
  COUNTER,
  /** A value that goes up and down. */
  GAUGE,
  /** A value of unknown type (Prometheus {@code untyped}). */
  UNTYPED
}
