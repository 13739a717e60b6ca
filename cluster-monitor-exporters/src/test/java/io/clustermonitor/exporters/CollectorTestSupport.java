package io.clustermonitor.exporters;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Family lookups and a Prometheus text rendering shared by the collector tests. */
public final class CollectorTestSupport {
  private CollectorTestSupport() {}

  /** The family named {@code name}; fails when absent. */
  public static MetricFamily family(List<MetricFamily> families, String name) {
    return families.stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no family " + name));
  }

  /** The value of the first sample of {@code name} whose labels include {@code labels}. */
  public static double value(List<MetricFamily> families, String name, String... labels) {
    return family(families, name).samples().stream()
        .filter(s -> matches(s.labels(), labels))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + name + List.of(labels)))
        .value();
  }

  private static boolean matches(Map<String, String> labels, String... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }

  /** Prometheus text format 0.0.4, names exactly as given. */
  public static String text(List<MetricFamily> families) {
    StringBuilder sb = new StringBuilder();
    for (MetricFamily f : families) {
      sb.append("# HELP ")
          .append(f.name())
          .append(' ')
          .append(f.help().replace("\\", "\\\\").replace("\n", "\\n"))
          .append('\n');
      sb.append("# TYPE ")
          .append(f.name())
          .append(' ')
          .append(f.type().name().toLowerCase(Locale.ROOT))
          .append('\n');
      for (MetricFamily.Sample s : f.samples()) {
        sb.append(f.name());
        if (!s.labels().isEmpty()) {
          sb.append('{');
          boolean first = true;
          for (Map.Entry<String, String> e : s.labels().entrySet()) {
            if (!first) {
              sb.append(',');
            }
            first = false;
            sb.append(e.getKey())
                .append("=\"")
                .append(
                    e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                .append('"');
          }
          sb.append('}');
        }
        sb.append(' ').append(format(s.value())).append('\n');
      }
    }
    return sb.toString();
  }

  private static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
