package io.clustermonitor.examples;

import java.time.ZoneId;
import java.util.Optional;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An slf4j logger of the runnable jar: each event at or above its level becomes one {@link LogLine}
 * on the {@code System.err} of the moment (tests capture it with {@code System.setErr}), in the
 * format and at the root level {@link Logging#configure} last set.
 */
final class LineLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  private static final StackWalker WALKER = StackWalker.getInstance();

  /** The format of every logger's lines; set by {@link Logging#configure}. */
  static volatile Logging.Format format = Logging.Format.LOGFMT;

  /** The root level (the lowest level written); set by {@link Logging#configure}. */
  static volatile Level root = Level.INFO;

  /** A floor above the root level for this logger's name, or null (see {@link #floor}). */
  private final Level floor;

  LineLogger(String name) {
    this.name = name;
    this.floor = floor(name);
  }

  /**
   * The loggers kept quieter than the root level: httpclient5 logs a retried request to a missing
   * socket at INFO, which would turn one-line error messages (e.g. {@code status} on an unreachable
   * engine) into two lines; Jetty announces every start and stop of a connector at INFO (our
   * commands print their own line), and its weak-cipher notices are WARNs about the JDK's defaults
   * that a web config file may narrow.
   */
  static Level floor(String name) {
    if (under(name, "org.eclipse.jetty.util.ssl.SslContextFactory.config")) {
      return Level.ERROR;
    }
    if (under(name, "org.eclipse.jetty")
        || under(name, "org.apache.hc.client5.http.impl.classic")) {
      return Level.WARN;
    }
    return null;
  }

  private static boolean under(String name, String prefix) {
    return name.equals(prefix) || (name.startsWith(prefix) && name.charAt(prefix.length()) == '.');
  }

  private boolean enabled(Level level) {
    Level r = root;
    int threshold = floor == null ? r.toInt() : Math.max(r.toInt(), floor.toInt());
    return level.toInt() >= threshold;
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    String msg = MessageFormatter.basicArrayFormat(pattern, arguments);
    String line =
        LogLine.format(
            format,
            System.currentTimeMillis(),
            ZoneId.systemDefault(),
            level,
            caller(),
            msg,
            throwable);
    System.err.print(line);
  }

  /** {@code File.java:12} of the first frame outside this class and slf4j, as promlog's caller. */
  private static String caller() {
    Optional<StackWalker.StackFrame> frame =
        WALKER.walk(
            s ->
                s.filter(
                        f ->
                            !f.getClassName().equals(LineLogger.class.getName())
                                && !f.getClassName().startsWith("org.slf4j."))
                    .findFirst());
    return frame
        .filter(f -> f.getFileName() != null)
        .map(f -> f.getFileName() + ":" + Math.max(0, f.getLineNumber()))
        .orElse(null);
  }
}
