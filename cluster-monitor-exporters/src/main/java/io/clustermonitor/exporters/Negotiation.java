package io.clustermonitor.exporters;

import java.util.Locale;

/** Picks the exposition format from an {@code Accept} header, honouring q-values. */
final class Negotiation {

  /** Formats the metrics endpoint can write. */
  public enum Format {
    /** Prometheus text 0.0.4, written by {@link TextFormat}. */
    TEXT,
    /** OpenMetrics 1.0 text. */
    OPENMETRICS,
    /** Prometheus protobuf, delimited {@code io.prometheus.client.MetricFamily}. */
    PROTOBUF
  }

  private Negotiation() {}

  /**
   * The best format for the header; text when the header is absent, empty or names nothing we
   * write.
   *
   * @param accept the {@code Accept} header, may be null
   * @param openMetrics whether OpenMetrics may be chosen
   */
  public static Format choose(String accept, boolean openMetrics) {
    if (accept == null || accept.isBlank()) {
      return Format.TEXT;
    }
    Format best = Format.TEXT;
    double bestQ = -1;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      double q = 1.0;
      String proto = null;
      String encoding = null;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        int eq = p.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = p.substring(eq + 1).trim();
        switch (key) {
          case "q" -> q = parseQ(value);
          case "proto" -> proto = value;
          case "encoding" -> encoding = value;
          default -> {}
        }
      }
      Format candidate;
      if (type.equals("application/vnd.google.protobuf")
          && "io.prometheus.client.MetricFamily".equals(proto)
          && "delimited".equals(encoding)) {
        candidate = Format.PROTOBUF;
      } else if (type.equals("application/openmetrics-text") && openMetrics) {
        candidate = Format.OPENMETRICS;
      } else if (type.equals("text/plain") || type.equals("text/*") || type.equals("*/*")) {
        candidate = Format.TEXT;
      } else {
        continue;
      }
      if (q > 0 && q > bestQ) {
        best = candidate;
        bestQ = q;
      }
    }
    return best;
  }

  private static double parseQ(String value) {
    try {
      double q = Double.parseDouble(value);
      return q >= 0 && q <= 1 ? q : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Whether an {@code Accept-Encoding} header allows gzip. */
  public static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] p = part.split(";");
      String coding = p[0].trim().toLowerCase(Locale.ROOT);
      if (coding.equals("gzip") || coding.equals("x-gzip")) {
        for (int i = 1; i < p.length; i++) {
          String param = p[i].trim().replace(" ", "");
          if (param.equals("q=0") || param.equals("q=0.0") || param.equals("q=0.00")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }
}
