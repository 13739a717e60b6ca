package io.clustermonitor.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Durations as Go's {@code time.ParseDuration} reads them, the form the Go exporters' flags and
 * environment variables take: one or more decimal numbers, each with an optional fraction and a
 * unit ({@code ns}, {@code us} or {@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}), with an
 * optional sign in front: {@code 300ms}, {@code 1.5h}, {@code 2h45m}, {@code -90s}; {@code 0} alone
 * needs no unit. Surrounding blanks are ignored. Values are exact to the nanosecond, the fraction
 * rounded as Go rounds it; beyond Go's range (about 292 years) a value does not parse.
 */
public final class GoDuration {
  private GoDuration() {}

  /**
   * The duration {@code text} names.
   *
   * @param what the setting's name, for the error message
   * @throws IllegalArgumentException when {@code text} is null or not a Go duration
   */
  public static Duration parse(String what, String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    what + " must be a duration such as 1s, 500ms or 1m, got '" + text + "'"));
  }

  /**
   * The duration {@code text} names as a Go duration, or as a bare number of seconds ({@code 15},
   * {@code 2.5}: at most nine digits each side of the point), the form some of our flags took
   * before they took Go's.
   *
   * @param what the setting's name, for the error message
   * @throws IllegalArgumentException when {@code text} is neither
   */
  public static Duration parseOrSeconds(String what, String text) {
    String t = text == null ? "" : text.strip();
    if (t.matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) {
      return Duration.ofNanos(Math.round(Double.parseDouble(t) * 1e9));
    }
    return parse(what, text);
  }

  /** The duration {@code text} names, or empty when it is null or not a Go duration. */
  public static Optional<Duration> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.strip();
    int n = s.length();
    int i = 0;
    boolean negative = false;
    if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    if (s.substring(i).equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (i == n) {
      return Optional.empty();
    }
    long total = 0;
    try {
      while (i < n) {
        boolean digits = false;
        long whole = 0;
        while (i < n && isDigit(s.charAt(i))) {
          whole = Math.addExact(Math.multiplyExact(whole, 10), s.charAt(i) - '0');
          digits = true;
          i++;
        }
        long fraction = 0;
        double scale = 1;
        if (i < n && s.charAt(i) == '.') {
          i++;
          while (i < n && isDigit(s.charAt(i))) {
            // digits past what a long holds add nothing a nanosecond can show
            if (fraction < Long.MAX_VALUE / 10 - 9) {
              fraction = fraction * 10 + (s.charAt(i) - '0');
              scale *= 10;
            }
            digits = true;
            i++;
          }
        }
        if (!digits) {
          return Optional.empty();
        }
        int unitStart = i;
        while (i < n && !isDigit(s.charAt(i)) && s.charAt(i) != '.') {
          i++;
        }
        long unit = unitNanos(s.substring(unitStart, i));
        if (unit < 0) {
          return Optional.empty();
        }
        long v = Math.multiplyExact(whole, unit);
        if (fraction > 0) {
          v = Math.addExact(v, (long) (fraction * (unit / scale)));
        }
        total = Math.addExact(total, v);
      }
    } catch (ArithmeticException e) {
      return Optional.empty(); // beyond Go's range
    }
    return Optional.of(Duration.ofNanos(negative ? -total : total));
  }

  /**
   * A Go duration, or an ISO-8601 one as {@link Duration#parse} reads it ({@code PT10S}, {@code
   * PT1M30S}, any case); empty when {@code text} is neither.
   */
  public static Optional<Duration> tryParseOrIso(String text) {
    String s = text == null ? "" : text.strip();
    if (s.regionMatches(true, 0, "PT", 0, 2)) {
      try {
        return Optional.of(Duration.parse(s.toUpperCase(Locale.ROOT)));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    return tryParse(s);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Nanoseconds of one {@code unit}, -1 for no or an unknown unit. */
  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "\u00b5s", "\u03bcs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> -1L;
    };
  }
}
