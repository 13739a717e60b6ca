package io.clustermonitor.examples;

import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * The runnable jar's log lines: the format and level the Go exporters' flags ask for, written by
 * log4j-core on stderr (configuration: {@link LogConfig}).
 *
 * <ul>
 *   <li>{@link Format#LOGFMT} (default) and {@link Format#JSON}: Go promlog/go-kit, as
 *       node_exporter and postgres_exporter write them ({@code --log.format}).
 *   <li>{@link Format#TXT} and {@link Format#LOGRUS_JSON}: logrus, as redis_exporter writes them
 *       ({@code -log-format}).
 * </ul>
 */
final class Logging {
  /** System property read by {@link LogConfig}: the line format. */
  static final String FORMAT_PROPERTY = "cm.log.format";

  /** System property read by {@link LogConfig}: the root level. */
  static final String LEVEL_PROPERTY = "cm.log.level";

  /** A line format, named as {@link LogConfig} names its pattern. */
  enum Format {
    /** {@code ts=2024-01-02T03:04:05.678Z caller=File.java:12 level=info msg="..."}. */
    LOGFMT("logfmt"),
    /** {@code {"caller":"File.java:12","level":"info","msg":"...","ts":"..."}}. */
    JSON("json"),
    /** logrus text: {@code time="2024-01-02T03:04:05Z" level=info msg="..."}. */
    TXT("txt"),
    /** logrus JSON: {@code {"level":"info","msg":"...","time":"..."}}. */
    LOGRUS_JSON("logrus-json");

    final String appender;

    Format(String appender) {
      this.appender = appender;
    }
  }

  private Logging() {}

  /**
   * Switches the format and the level (debug, info, warn or error; null keeps each as it is) and
   * reconfigures log4j, so loggers made before the flags were parsed follow too. Does nothing to
   * another slf4j backend.
   */
  static void configure(Format format, String level) {
    if (format == null && level == null) {
      return;
    }
    if (format != null) {
      System.setProperty(FORMAT_PROPERTY, format.appender);
    }
    if (level != null) {
      System.setProperty(LEVEL_PROPERTY, level.toLowerCase(Locale.ROOT));
    }
    if (LogManager.getContext(false) instanceof LoggerContext ctx) {
      ctx.reconfigure(LogConfig.build());
    }
  }
}
