package io.clustermonitor.examples;

import java.util.Locale;
import org.slf4j.event.Level;

/**
 * The runnable jar's log lines: the format and level the Go exporters' flags ask for, written on
 * stderr by the jar's own slf4j backend ({@link LogProvider}, lines: {@link LogLine}).
 *
 * <ul>
 *   <li>{@link Format#LOGFMT} (default) and {@link Format#JSON}: Go promlog/go-kit, as
 *       node_exporter and postgres_exporter write them ({@code --log.format}).
 *   <li>{@link Format#TXT} and {@link Format#LOGRUS_JSON}: logrus, as redis_exporter writes them
 *       ({@code -log-format}).
 * </ul>
 */
final class Logging {
  /** A line format. */
  enum Format {
    /** {@code ts=2024-01-02T03:04:05.678Z caller=File.java:12 level=info msg="..."}. */
    LOGFMT,
    /** {@code {"caller":"File.java:12","level":"info","msg":"...","ts":"..."}}. */
    JSON,
    /** logrus text: {@code time="2024-01-02T03:04:05Z" level=info msg="..."}. */
    TXT,
    /** logrus JSON: {@code {"level":"info","msg":"...","time":"..."}}. */
    LOGRUS_JSON
  }

  private Logging() {}

  /**
   * Switches the format and the level (trace, debug, info, warn or error, any case; null keeps each
   * as it is) of every logger of the jar's backend, those made before the flags were parsed
   * included. Does nothing to another slf4j backend.
   *
   * @throws IllegalArgumentException for another level name
   */
  static void configure(Format format, String level) {
    Level parsed = level == null ? null : level(level);
    if (format != null) {
      LineLogger.format = format;
    }
    if (parsed != null) {
      LineLogger.root = parsed;
    }
  }

  /** The slf4j level of a flag's value. */
  static Level level(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT);
    for (Level l : Level.values()) {
      if (l.name().equals(n)) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "unknown log level \"" + name + "\": want debug, info, warn or error");
  }
}
