package io.clustermonitor.examples;

import java.net.URI;
import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * The runnable jar's log4j configuration, built in code: one line per event on stderr, in the
 * format of the Go exporters it replaces (docs/architecture.md, "Logging"), the format from the
 * system property {@code cm.log.format}, the root level from {@code cm.log.level} (both set from
 * the flags by {@code Logging}).
 *
 * <p>In code rather than in a {@code log4j2.xml}: reading an XML file loads the JDK's XML parser,
 * and finding the factory for it makes log4j try its JSON and YAML factories, which load Jackson's
 * mapper to see whether it is there: about 300 classes and 100 ms of every command's start, for a
 * configuration that never changes. {@code Main} hands it to log4j before the first logger; the
 * {@code log4j2.configurationFactory} entry of {@code log4j2.component.properties} names this class
 * for every other way in (tests, a user's own {@code main}).
 */
public final class LogConfig extends ConfigurationFactory {
  /** The pattern of each line format, by its property value. */
  static String pattern(String format) {
    return switch (format) {
      case "json" ->
          "{\"caller\":\"%enc{%F:%L}{JSON}\",%notEmpty{\"err\":\"%enc{%ex}{JSON}\",}"
              + "\"level\":\"%level{lowerCase=true}\",\"msg\":\"%enc{%m}{JSON}\","
              + "\"ts\":\"%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}{UTC}\"}%n";
      case "txt" ->
          "time=\"%d{yyyy-MM-dd'T'HH:mm:ssXXX}\" level=%level{lowerCase=true}"
              + " msg=\"%enc{%m}{JSON}\"%notEmpty{ error=\"%enc{%ex}{JSON}\"}%n";
      case "logrus-json" ->
          "{%notEmpty{\"error\":\"%enc{%ex}{JSON}\",}"
              + "\"level\":\"%level{lowerCase=true}\",\"msg\":\"%enc{%m}{JSON}\","
              + "\"time\":\"%d{yyyy-MM-dd'T'HH:mm:ssXXX}\"}%n";
      default ->
          "ts=%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}{UTC} caller=%F:%L level=%level{lowerCase=true}"
              + " msg=\"%enc{%m}{JSON}\"%notEmpty{ err=\"%enc{%ex}{JSON}\"}%n";
    };
  }

  /** The configuration for the current values of the two system properties. */
  static Configuration build() {
    ConfigurationBuilder<BuiltConfiguration> b = newConfigurationBuilder();
    b.setConfigurationName("cluster-monitor");
    b.setStatusLevel(Level.WARN);
    b.setShutdownHook("disable");
    String format = System.getProperty(Logging.FORMAT_PROPERTY, "logfmt");
    // follow: like slf4j-simple before, each line goes to the System.err of the moment (tests
    // capture it with System.setErr)
    b.add(
        b.newAppender("stderr", "Console")
            .addAttribute("target", "SYSTEM_ERR")
            .addAttribute("follow", true)
            .add(
                b.newLayout("PatternLayout")
                    .addAttribute("alwaysWriteExceptions", false)
                    .addAttribute("pattern", pattern(format))));
    // httpclient5 logs a retried request to a missing socket at INFO, which would turn one-line
    // error messages (e.g. `status` on an unreachable engine) into two lines
    b.add(b.newLogger("org.apache.hc.client5.http.impl.classic", Level.WARN));
    // Jetty announces every start and stop of a connector at INFO; our commands print their own
    // line. The weak-cipher notices are WARNs about the JDK's defaults that a web config file may
    // narrow.
    b.add(b.newLogger("org.eclipse.jetty", Level.WARN));
    b.add(b.newLogger("org.eclipse.jetty.util.ssl.SslContextFactory.config", Level.ERROR));
    String level = System.getProperty(Logging.LEVEL_PROPERTY, "info").toUpperCase(Locale.ROOT);
    b.add(b.newRootLogger(Level.toLevel(level, Level.INFO)).add(b.newAppenderRef("stderr")));
    return b.build(false);
  }

  /** For log4j, which makes it from {@code log4j2.component.properties}. */
  public LogConfig() {}

  @Override
  protected String[] getSupportedTypes() {
    return new String[] {"*"};
  }

  @Override
  public Configuration getConfiguration(LoggerContext context, ConfigurationSource source) {
    return build();
  }

  @Override
  public Configuration getConfiguration(LoggerContext context, String name, URI location) {
    return build();
  }
}
