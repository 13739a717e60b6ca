package io.clustermonitor.core.health;

import io.clustermonitor.core.internal.PrometheusText;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks that an exporter's {@code /metrics} page (Prometheus text format) has a sample with a
 * given name, optionally with certain labels and a value within bounds. UP when at least one
 * matching sample is within the bounds. Create with {@link HealthChecks#metric(String, String)}:
 *
 * <pre>{@code
 * HealthCheck pg = HealthChecks.metric("http://127.0.0.1:9187/metrics", "pg_up").atLeast(1);
 * HealthCheck web =
 *     HealthChecks.metric("http://127.0.0.1:8081/metrics", "container_last_seen")
 *         .label("name", "web");
 * }</pre>
 *
 * <p>The name is a sample name as written on the page (a counter is {@code x_total}, a histogram
 * has {@code x_bucket}, {@code x_sum}, {@code x_count}). Immutable and thread-safe.
 */
public final class MetricCheck implements HealthCheck {
  private static final String ACCEPT = "text/plain;version=0.0.4;q=1,*/*;q=0.1";

  private final String metricsUrl;
  private final String name;
  private final Map<String, String> labels;
  private final double min;
  private final double max;

  MetricCheck(String metricsUrl, String name) {
    this(
        Objects.requireNonNull(metricsUrl, "metricsUrl"),
        validName(name),
        Map.of(),
        Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY);
  }

  private MetricCheck(
      String metricsUrl, String name, Map<String, String> labels, double min, double max) {
    this.metricsUrl = metricsUrl;
    this.name = name;
    this.labels = labels;
    this.min = min;
    this.max = max;
  }

  private static String validName(String name) {
    if (!PrometheusText.isValidName(name)) {
      throw new IllegalArgumentException("Invalid metric name '" + name + "'");
    }
    return name;
  }

  /**
   * Requires the label {@code key} to have {@code value}.
   *
   * @throws IllegalArgumentException when {@code key} is not a valid label name
   */
  public MetricCheck label(String key, String value) {
    if (!PrometheusText.isValidName(key) || key.contains(":")) {
      throw new IllegalArgumentException("Invalid label name '" + key + "'");
    }
    Map<String, String> m = new LinkedHashMap<>(labels);
    m.put(key, Objects.requireNonNull(value, "value"));
    return new MetricCheck(metricsUrl, name, java.util.Collections.unmodifiableMap(m), min, max);
  }

  /**
   * Requires the value to be at least {@code bound}.
   *
   * @throws IllegalArgumentException when {@code bound} is NaN or above the upper bound
   */
  public MetricCheck atLeast(double bound) {
    return bounds(bound, max);
  }

  /**
   * Requires the value to be at most {@code bound}.
   *
   * @throws IllegalArgumentException when {@code bound} is NaN or below the lower bound
   */
  public MetricCheck atMost(double bound) {
    return bounds(min, bound);
  }

  private MetricCheck bounds(double lo, double hi) {
    if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi) {
      throw new IllegalArgumentException("Invalid value bounds [" + lo + ", " + hi + "]");
    }
    return new MetricCheck(metricsUrl, name, labels, lo, hi);
  }

  @Override
  public CheckResult check(Duration timeout) {
    Http.Response r;
    try {
      URI uri = Http.parse(metricsUrl);
      r = Http.get(uri, timeout, ACCEPT);
    } catch (Http.Failure f) {
      return CheckResult.down(f.getMessage()).withDetail("url", metricsUrl);
    }
    return evaluate(r).withDetail("url", metricsUrl);
  }

  private CheckResult evaluate(Http.Response r) {
    if (r.status() != 200) {
      return CheckResult.down("HTTP " + r.status() + ", expected 200: " + r.snippet());
    }
    if (Http.isHtml(r.contentType())) {
      return CheckResult.down(
          "answer is HTML (" + r.contentType() + "), not Prometheus text format: " + r.snippet());
    }
    List<PrometheusText.Sample> samples;
    try {
      samples = PrometheusText.parse(r.body());
    } catch (PrometheusText.ParseException e) {
      return CheckResult.down("answer is not Prometheus text format: " + e.getMessage());
    }
    List<PrometheusText.Sample> named = new ArrayList<>();
    for (PrometheusText.Sample s : samples) {
      if (s.name().equals(name)) {
        named.add(s);
      }
    }
    if (named.isEmpty()) {
      return CheckResult.down(
          "metric " + name + " not found (" + samples.size() + " samples on the page)");
    }
    List<PrometheusText.Sample> matching = new ArrayList<>();
    for (PrometheusText.Sample s : named) {
      if (s.labels().entrySet().containsAll(labels.entrySet())) {
        matching.add(s);
      }
    }
    if (matching.isEmpty()) {
      return CheckResult.down(
          "no " + name + " sample with labels " + labels + "; found " + describe(named));
    }
    for (PrometheusText.Sample s : matching) {
      if (s.value() >= min && s.value() <= max) {
        return CheckResult.up(s + " = " + format(s.value())).withDetail("value", format(s.value()));
      }
    }
    return CheckResult.down(describe(matching) + ", expected " + boundsText());
  }

  private static String describe(List<PrometheusText.Sample> samples) {
    StringBuilder sb = new StringBuilder();
    int n = 0;
    for (PrometheusText.Sample s : samples) {
      if (n++ == 3) {
        sb.append(", ... (").append(samples.size()).append(" samples)");
        break;
      }
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(s).append(" = ").append(format(s.value()));
    }
    return sb.toString();
  }

  private String boundsText() {
    if (min == Double.NEGATIVE_INFINITY) {
      return "<= " + format(max);
    }
    if (max == Double.POSITIVE_INFINITY) {
      return ">= " + format(min);
    }
    return "between " + format(min) + " and " + format(max);
  }

  private static String format(double v) {
    return v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : Double.toString(v);
  }

  @Override
  public String toString() {
    return "metric " + name + labels + " at " + metricsUrl;
  }
}
