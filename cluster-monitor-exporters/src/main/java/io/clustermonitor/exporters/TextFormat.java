package io.clustermonitor.exporters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link MetricFamily} lists in the Prometheus text format 0.0.4, names exactly as given.
 *
 * <p>Escaping follows the format: in {@code # HELP} lines backslash and newline are escaped; in
 * label values backslash, double quote and newline. Values are written as integers when they are
 * whole numbers below 2^53, otherwise with {@link Double#toString(double)}; {@code NaN}, {@code
 * +Inf} and {@code -Inf} as spelled by the format. Families without samples are left out.
 */
final class TextFormat {
  /** The content type of the format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final double MAX_EXACT = 9.007199254740992E15; // 2^53

  private TextFormat() {}

  /** Renders the families to a string. */
  public static String toText(List<MetricFamily> families) {
    StringBuilder out = new StringBuilder(256 + families.size() * 128);
    append(out, families);
    return out.toString();
  }

  /** Writes the families to a writer (not flushed). */
  public static void write(Writer writer, List<MetricFamily> families) {
    try {
      StringBuilder out = new StringBuilder(8192);
      for (MetricFamily family : families) {
        appendFamily(out, family);
        if (out.length() > 8192) {
          writer.append(out);
          out.setLength(0);
        }
      }
      writer.append(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends the families to a builder. */
  public static void append(StringBuilder out, List<MetricFamily> families) {
    for (MetricFamily family : families) {
      appendFamily(out, family);
    }
  }

  private static void appendFamily(StringBuilder out, MetricFamily family) {
    if (family.samples().isEmpty()) {
      return;
    }
    String name = family.name();
    out.append("# HELP ").append(name).append(' ');
    escapeHelp(out, family.help());
    out.append('\n');
    out.append("# TYPE ").append(name).append(' ').append(typeName(family.type())).append('\n');
    for (MetricFamily.Sample sample : family.samples()) {
      out.append(name).append(sample.suffix());
      Map<String, String> labels = sample.labels();
      if (!labels.isEmpty()) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> label : labels.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          out.append(label.getKey()).append("=\"");
          escapeLabelValue(out, label.getValue());
          out.append('"');
        }
        out.append('}');
      }
      out.append(' ');
      appendValue(out, sample.value());
      out.append('\n');
    }
  }

  /** The type keyword of the text format. */
  public static String typeName(MetricType type) {
    return switch (type) {
      case COUNTER -> "counter";
      case GAUGE -> "gauge";
      case UNTYPED -> "untyped";
      case SUMMARY -> "summary";
      case HISTOGRAM -> "histogram";
    };
  }

  /** Appends a value as the text format spells it. */
  public static void appendValue(StringBuilder out, double value) {
    if (Double.isNaN(value)) {
      out.append("NaN");
    } else if (value == Double.POSITIVE_INFINITY) {
      out.append("+Inf");
    } else if (value == Double.NEGATIVE_INFINITY) {
      out.append("-Inf");
    } else if (value == Math.rint(value) && Math.abs(value) < MAX_EXACT) {
      out.append((long) value);
    } else {
      out.append(value);
    }
  }

  private static void escapeHelp(StringBuilder out, String help) {
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  private static void escapeLabelValue(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }
}
