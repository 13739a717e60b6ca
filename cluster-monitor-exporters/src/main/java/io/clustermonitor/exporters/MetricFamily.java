package io.clustermonitor.exporters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One metric family as a collector returns it: name, help, type and samples. Immutable.
 *
 * <p>Names are written <b>exactly</b> as given, in every exposition format that allows it: a
 * counter named {@code pg_stat_database_xact_commit} stays that name (prometheus-metrics would
 * append {@code _total}), so dashboards built on the Go exporters keep working.
 *
 * <pre>{@code
 * MetricFamily load =
 *     MetricFamily.builder("node_load1", MetricType.GAUGE)
 *         .help("1m load average.")
 *         .sample(0.42)
 *         .build();
 * MetricFamily commits =
 *     MetricFamily.builder("pg_stat_database_xact_commit", MetricType.COUNTER)
 *         .help("Number of transactions in this database that have been committed")
 *         .sample(1234, "datid", "5", "datname", "postgres")
 *         .build();
 * }</pre>
 *
 * @param name metric name, {@code [a-zA-Z_:][a-zA-Z0-9_:]*}
 * @param help help text (may be empty)
 * @param type metric type
 * @param samples samples, each with its own label set
 */
public record MetricFamily(String name, String help, MetricType type, List<Sample> samples) {

  /** Validates the name and copies the samples. */
  public MetricFamily {
    Objects.requireNonNull(name, "name");
    if (!validName(name, true)) {
      throw new IllegalArgumentException("Invalid metric name '" + name + "'");
    }
    Objects.requireNonNull(type, "type");
    help = help == null ? "" : help;
    samples = List.copyOf(samples);
  }

  /**
   * The families in the Prometheus text format 0.0.4, exactly as {@code /metrics} writes them
   * (names as given, a counter without {@code _total} stays a counter, empty families left out).
   */
  public static String toText(List<MetricFamily> families) {
    return TextFormat.toText(List.copyOf(families));
  }

  /** Starts a family. */
  public static Builder builder(String name, MetricType type) {
    return new Builder(name, type);
  }

  /**
   * One sample: an ordered label set and a value.
   *
   * <p>The labels are copied into an immutable, validated label set; passing the {@link #labels()}
   * of one sample to another sample (or to {@link Builder#sample(double, Map)}) reuses that set
   * without copying it again, which saves work for a collector that writes many samples with the
   * same labels.
   *
   * @param labels label names to values, in output order
   * @param value the value (NaN and infinities are allowed, as in the text format)
   * @param suffix appended to the family name for this sample: empty, or {@code _sum}, {@code
   *     _count}, {@code _bucket} in summaries and histograms
   */
  public record Sample(Map<String, String> labels, double value, String suffix) {
    /** A sample written with the family's own name. */
    public Sample(Map<String, String> labels, double value) {
      this(labels, value, "");
    }

    /** Validates label names and copies the labels, keeping their order. */
    public Sample {
      suffix = suffix == null ? "" : suffix;
      if (!suffix.isEmpty()
          && !suffix.equals("_sum")
          && !suffix.equals("_count")
          && !suffix.equals("_bucket")) {
        throw new IllegalArgumentException("Invalid sample suffix '" + suffix + "'");
      }
      labels = LabelSet.of(labels);
    }
  }

  /** Builder for {@link MetricFamily}; not thread-safe. */
  public static final class Builder {
    private final String name;
    private final MetricType type;
    private String help = "";
    private final List<Sample> samples = new ArrayList<>();

    private Builder(String name, MetricType type) {
      this.name = name;
      this.type = type;
    }

    /** Sets the help text. */
    public Builder help(String text) {
      this.help = text;
      return this;
    }

    /**
     * Adds a sample.
     *
     * @param labelPairs alternating label names and values
     */
    public Builder sample(double value, String... labelPairs) {
      if (labelPairs.length % 2 != 0) {
        throw new IllegalArgumentException("labelPairs must alternate names and values");
      }
      samples.add(new Sample(LabelSet.ofPairs(labelPairs), value));
      return this;
    }

    /** Adds a sample with the labels in map order. */
    public Builder sample(double value, Map<String, String> labels) {
      samples.add(new Sample(labels, value));
      return this;
    }

    /**
     * Adds one summary child: a {@code quantile} sample per entry, then {@code _sum} and {@code
     * _count}, all with {@code labels} (for {@link MetricType#SUMMARY} families).
     *
     * @param quantiles quantile (0..1) to value, in output order
     */
    public Builder summary(
        Map<String, String> labels, Map<Double, Double> quantiles, double sum, double count) {
      for (Map.Entry<Double, Double> q : quantiles.entrySet()) {
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put("quantile", goFloat(q.getKey()));
        samples.add(new Sample(l, q.getValue()));
      }
      samples.add(new Sample(labels, sum, "_sum"));
      samples.add(new Sample(labels, count, "_count"));
      return this;
    }

    /**
     * Adds one histogram child: a {@code _bucket{le}} sample per upper bound with its cumulative
     * count, {@code le="+Inf"} with {@code count} (or with the value given for the {@code +Inf}
     * bound, as Go's text encoder keeps an explicit {@code +Inf} bucket), then {@code _sum} and
     * {@code _count} (for {@link MetricType#HISTOGRAM} families).
     *
     * @param cumulativeBuckets upper bound to cumulative count, in ascending order of bounds
     */
    public Builder histogram(
        Map<String, String> labels,
        Map<Double, Double> cumulativeBuckets,
        double sum,
        double count) {
      for (Map.Entry<Double, Double> b : cumulativeBuckets.entrySet()) {
        if (b.getKey().isInfinite()) {
          continue;
        }
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put("le", goFloat(b.getKey()));
        samples.add(new Sample(l, b.getValue(), "_bucket"));
      }
      Map<String, String> inf = new LinkedHashMap<>(labels);
      inf.put("le", "+Inf");
      samples.add(
          new Sample(
              inf, cumulativeBuckets.getOrDefault(Double.POSITIVE_INFINITY, count), "_bucket"));
      samples.add(new Sample(labels, sum, "_sum"));
      samples.add(new Sample(labels, count, "_count"));
      return this;
    }

    /** Whether no sample was added yet. */
    public boolean isEmpty() {
      return samples.isEmpty();
    }

    /**
     * A bound or quantile as Go's client writes it in a label ({@code strconv.FormatFloat(v, 'g',
     * -1, 64)}): {@code 0.5}, {@code 1024}, {@code 1.048576e+06}.
     */
    static String goFloat(double v) {
      if (v == 0) {
        return "0";
      }
      if (Double.isNaN(v)) {
        return "NaN";
      }
      if (Double.isInfinite(v)) {
        return v > 0 ? "+Inf" : "-Inf";
      }
      java.math.BigDecimal bd = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros();
      String digits = bd.unscaledValue().abs().toString();
      int exp = digits.length() - 1 - bd.scale();
      if (exp < -4 || exp >= 6) {
        StringBuilder b = new StringBuilder();
        if (v < 0) {
          b.append('-');
        }
        b.append(digits.charAt(0));
        if (digits.length() > 1) {
          b.append('.').append(digits, 1, digits.length());
        }
        b.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) {
          b.append('0');
        }
        return b.append(a).toString();
      }
      return bd.toPlainString();
    }

    /** Builds the family. */
    public MetricFamily build() {
      return new MetricFamily(name, help, type, samples);
    }
  }

  /**
   * Whether {@code s} is a metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}, with colons) or a label
   * name ({@code [a-zA-Z_][a-zA-Z0-9_]*}).
   */
  static boolean validName(String s, boolean colons) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (colons && c == ':')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
