package io.clustermonitor.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Go exporter flags we accept but do not implement yet: each one given is logged once as a WARN
 * naming it and otherwise ignored, so a valid Go command line never exits 2. Commands collect what
 * picocli did not match with {@code @Unmatched} and hand it to {@link #accept}; anything that is
 * not a known Go flag is still a usage error.
 *
 * <pre>{@code
 * static final GoFlags IGNORED =
 *     GoFlags.of("node_exporter")
 *         .flag("web.systemd-socket", false)
 *         .pattern("(no-)?collector\\.wifi", false)
 *         .pattern("collector\\.textfile\\.directory", true);
 * ...
 * IGNORED.accept(spec, unmatched);
 * }</pre>
 *
 * Names are given without dashes; {@code -name}, {@code --name}, {@code --name=value} and {@code
 * --name value} (for flags that take a value) all match, as Go's flag and kingpin parsers allow.
 */
final class GoFlags {
  private static final Logger LOG = LoggerFactory.getLogger("cluster-monitor");

  private final String exporter;
  private final Map<Pattern, Boolean> flags = new LinkedHashMap<>();

  private GoFlags(String exporter) {
    this.exporter = exporter;
  }

  /** An empty table for the Go exporter named {@code exporter} (used in the WARN). */
  static GoFlags of(String exporter) {
    return new GoFlags(exporter);
  }

  /** A flag by exact name, without dashes; {@code takesValue} false for booleans. */
  GoFlags flag(String name, boolean takesValue) {
    return pattern(Pattern.quote(name), takesValue);
  }

  /** Flags whose name (without dashes) matches {@code regex} entirely. */
  GoFlags pattern(String regex, boolean takesValue) {
    flags.put(Pattern.compile(regex), takesValue);
    return this;
  }

  /** A copy with the flags of {@code other} added. */
  GoFlags with(GoFlags other) {
    GoFlags g = new GoFlags(exporter);
    g.flags.putAll(flags);
    g.flags.putAll(other.flags);
    return g;
  }

  /**
   * Logs one WARN per known Go flag in {@code unmatched} and returns their names.
   *
   * @throws ParameterException (exit 2 with usage) for anything else
   */
  List<String> accept(CommandSpec spec, List<String> unmatched) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> args = unmatched == null ? List.of() : unmatched;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
        throw new ParameterException(spec.commandLine(), "Unexpected argument: " + arg);
      }
      String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      Boolean takesValue = lookup(name);
      if (takesValue == null) {
        throw new ParameterException(spec.commandLine(), "Unknown option: '" + arg + "'");
      }
      if (takesValue && eq < 0) {
        if (i + 1 >= args.size()) {
          throw new ParameterException(
              spec.commandLine(), "Missing value for " + exporter + " flag --" + name);
        }
        i++;
      }
      if (seen.add(name)) {
        LOG.warn(
            "flag --{} of {} is accepted but not implemented by cluster-monitor yet; ignored",
            name,
            exporter);
      }
    }
    return new ArrayList<>(seen);
  }

  private Boolean lookup(String name) {
    for (Map.Entry<Pattern, Boolean> e : flags.entrySet()) {
      if (e.getKey().matcher(name).matches()) {
        return e.getValue();
      }
    }
    return null;
  }
}
