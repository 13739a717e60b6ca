package io.clustermonitor.exporters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes {@link MetricFamily} lists in the Prometheus text format 0.0.4, names exactly as given.
 *
 * <p>Escaping follows the format: in {@code # HELP} lines backslash and newline are escaped; in
 * label values backslash, double quote and newline. Values are written as integers when they are
 * whole numbers below 2^53, otherwise with {@link Double#toString(double)}; {@code NaN}, {@code
 * +Inf} and {@code -Inf} as spelled by the format. Families without samples are left out.
 *
 * <p>The exposition is written as UTF-8 bytes straight into an {@link ExpositionBuffer}; each
 * sample's label block comes from its {@link LabelSet}, escaped and encoded once per label set.
 */
final class TextFormat {
  /** The content type of the format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final double MAX_EXACT = 9.007199254740992E15; // 2^53

  private TextFormat() {}

  /** Renders the families to a string. */
  public static String toText(List<MetricFamily> families) {
    ExpositionBuffer out = new ExpositionBuffer(256 + families.size() * 128);
    write(out, families);
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  /** Writes the families to a writer (not flushed). */
  public static void write(Writer writer, List<MetricFamily> families) {
    try {
      writer.append(toText(families));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends the families to a builder. */
  public static void append(StringBuilder out, List<MetricFamily> families) {
    out.append(toText(families));
  }

  /** Writes the families as UTF-8 into a buffer. */
  static void write(ExpositionBuffer out, List<MetricFamily> families) {
    for (MetricFamily family : families) {
      writeFamily(out, family);
    }
  }

  private static void writeFamily(ExpositionBuffer out, MetricFamily family) {
    if (family.samples().isEmpty()) {
      return;
    }
    String name = family.name();
    out.text("# HELP ").text(name).ascii(' ');
    escapeHelp(out, family.help());
    out.ascii('\n');
    out.text("# TYPE ").text(name).ascii(' ').text(typeName(family.type())).ascii('\n');
    byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII); // a valid name is ASCII
    for (MetricFamily.Sample sample : family.samples()) {
      out.write(nameBytes);
      if (!sample.suffix().isEmpty()) {
        out.text(sample.suffix());
      }
      out.write(LabelSet.of(sample.labels()).block());
      out.ascii(' ');
      writeValue(out, sample.value());
      out.ascii('\n');
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

  /** Writes a value as the text format spells it (the same text as {@link #appendValue}). */
  static void writeValue(ExpositionBuffer out, double value) {
    if (Double.isNaN(value)) {
      out.text("NaN");
    } else if (value == Double.POSITIVE_INFINITY) {
      out.text("+Inf");
    } else if (value == Double.NEGATIVE_INFINITY) {
      out.text("-Inf");
    } else if (value == Math.rint(value) && Math.abs(value) < MAX_EXACT) {
      out.decimal((long) value);
    } else {
      out.text(Double.toString(value));
    }
  }

  private static void escapeHelp(ExpositionBuffer out, String help) {
    if (help.indexOf('\\') < 0 && help.indexOf('\n') < 0) {
      out.text(help);
      return;
    }
    StringBuilder b = new StringBuilder(help.length() + 8);
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    out.text(b.toString());
  }
}
