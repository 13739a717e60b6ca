package io.clustermonitor.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import org.slf4j.event.Level;

/**
 * One log line in one of the Go exporters' formats ({@link Logging.Format}): the fields, their
 * order, the timestamp shape and the escaping of Go's promlog (go-kit) and logrus writers.
 */
final class LogLine {
  private LogLine() {}

  /**
   * The line, ending in {@code \n}, for an event at {@code epochMillis}; {@code caller} is {@code
   * File.java:12} (or null when unknown), {@code error} null when none.
   */
  static String format(
      Logging.Format format,
      long epochMillis,
      ZoneId zone,
      Level level,
      String caller,
      String msg,
      Throwable error) {
    StringBuilder b = new StringBuilder(96 + (msg == null ? 0 : msg.length()));
    String lvl = level.name().toLowerCase(Locale.ROOT);
    String err = error == null ? null : stackTrace(error);
    String call = caller == null ? "unknown:0" : caller;
    switch (format) {
      case JSON -> {
        b.append("{\"caller\":");
        quote(b, call);
        if (err != null) {
          b.append(",\"err\":");
          quote(b, err);
        }
        b.append(",\"level\":\"").append(lvl).append("\",\"msg\":");
        quote(b, msg);
        b.append(",\"ts\":\"");
        utcMillis(b, epochMillis);
        b.append("\"}");
      }
      case TXT -> {
        b.append("time=\"");
        localSeconds(b, epochMillis, zone);
        b.append("\" level=").append(lvl).append(" msg=");
        quote(b, msg);
        if (err != null) {
          b.append(" error=");
          quote(b, err);
        }
      }
      case LOGRUS_JSON -> {
        b.append('{');
        if (err != null) {
          b.append("\"error\":");
          quote(b, err);
          b.append(',');
        }
        b.append("\"level\":\"").append(lvl).append("\",\"msg\":");
        quote(b, msg);
        b.append(",\"time\":\"");
        localSeconds(b, epochMillis, zone);
        b.append("\"}");
      }
      case LOGFMT -> {
        b.append("ts=");
        utcMillis(b, epochMillis);
        b.append(" caller=").append(call).append(" level=").append(lvl).append(" msg=");
        quote(b, msg);
        if (err != null) {
          b.append(" err=");
          quote(b, err);
        }
      }
    }
    return b.append('\n').toString();
  }

  /**
   * {@code t}'s stack trace as {@link Throwable#printStackTrace()} writes it, less the last
   * newline.
   */
  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    try (PrintWriter p = new PrintWriter(w)) {
      t.printStackTrace(p);
    }
    String s = w.toString();
    return s.endsWith(System.lineSeparator())
        ? s.substring(0, s.length() - System.lineSeparator().length())
        : s;
  }

  /**
   * {@code s} as a JSON string (quotes included): {@code "} and {@code \} escaped, control
   * characters as {@code \n}, {@code \t}, ... or {@code \}{@code u00XX}; everything else as is.
   */
  static void quote(StringBuilder b, String s) {
    b.append('"');
    if (s != null) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          case '\b' -> b.append("\\b");
          case '\f' -> b.append("\\f");
          default -> {
            if (c < 0x20) {
              b.append("\\u00").append(hex(c >> 4)).append(hex(c & 0xf));
            } else {
              b.append(c);
            }
          }
        }
      }
    }
    b.append('"');
  }

  private static char hex(int d) {
    return Character.toUpperCase(Character.forDigit(d, 16));
  }

  /** promlog's timestamp: {@code 2024-01-02T03:04:05.678Z}, UTC, milliseconds. */
  static void utcMillis(StringBuilder b, long epochMillis) {
    LocalDateTime t =
        LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000L), 0, ZoneOffset.UTC);
    dateTime(b, t);
    b.append('.');
    pad(b, (int) Math.floorMod(epochMillis, 1000L), 3);
    b.append('Z');
  }

  /** logrus's timestamp: {@code 2024-01-02T03:04:05+01:00} in {@code zone}, {@code Z} for UTC. */
  static void localSeconds(StringBuilder b, long epochMillis, ZoneId zone) {
    long seconds = Math.floorDiv(epochMillis, 1000L);
    ZoneOffset offset = zone.getRules().getOffset(java.time.Instant.ofEpochSecond(seconds));
    dateTime(b, LocalDateTime.ofEpochSecond(seconds, 0, offset));
    int total = offset.getTotalSeconds();
    if (total == 0) {
      b.append('Z');
      return;
    }
    b.append(total < 0 ? '-' : '+');
    int abs = Math.abs(total);
    pad(b, abs / 3600, 2);
    b.append(':');
    pad(b, abs / 60 % 60, 2);
  }

  private static void dateTime(StringBuilder b, LocalDateTime t) {
    pad(b, t.getYear(), 4);
    b.append('-');
    pad(b, t.getMonthValue(), 2);
    b.append('-');
    pad(b, t.getDayOfMonth(), 2);
    b.append('T');
    pad(b, t.getHour(), 2);
    b.append(':');
    pad(b, t.getMinute(), 2);
    b.append(':');
    pad(b, t.getSecond(), 2);
  }

  private static void pad(StringBuilder b, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      b.append('0');
    }
    b.append(s);
  }
}
