package io.clustermonitor.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The {@code --help} layout of the exporter commands: our own options under "Options:", then every
 * flag of the Go exporter the command stands in for (its own flags and the shared web and log
 * flags) under "Go-compatible (redis_exporter 1.55) options:". Name it in the command's
 * {@code @Command(modelTransformer = GoHelp.class)}; it also adds node_exporter's generated flags
 * ({@link NodeOptions.GoFlags}) when the command mixes in {@link NodeOptions}.
 *
 * <p>Every option of an exporter command is a Go exporter's flag except the few of {@link #OWN}.
 */
final class GoHelp implements CommandLine.IModelTransformer {
  /** Section key of the Go-compatible options. */
  static final String SECTION_KEY_GO_OPTIONS = "goOptions";

  /** Our own options (longest name) on the exporter commands; every other one is a Go flag. */
  static final Set<String> OWN =
      Set.of(
          "--listen",
          "--help",
          "--version",
          "--docker-host",
          "--container-label",
          "--container-include",
          "--container-exclude",
          "--statement-timeout",
          "--collection-timeout",
          "--web.enable-jvm-metrics");

  /** The Go exporter and version a profile stands in for, as the help heading names it. */
  static String goName(GoWebOptions.Profile profile) {
    return switch (profile) {
      case NODE -> "node_exporter 1.7.0";
      case POSTGRES -> "postgres_exporter 0.15";
      case REDIS -> "redis_exporter 1.55";
      case CONTAINER -> "cAdvisor 0.47";
    };
  }

  /** The heading of the Go-compatible section for {@code profile}. */
  static String heading(GoWebOptions.Profile profile) {
    return "Go-compatible (" + goName(profile) + ") options:";
  }

  @Override
  public CommandSpec transform(CommandSpec spec) {
    new NodeOptions.GoFlags().transform(spec);
    GoWebOptions.Profile profile = null;
    for (CommandSpec mixin : spec.mixins().values()) {
      if (mixin.userObject() instanceof GoWebOptions web) {
        profile = web.profile;
      }
    }
    if (profile == null) {
      throw new IllegalStateException(spec.name() + " has no GoWebOptions mixin");
    }
    String heading = heading(profile);
    UsageMessageSpec usage = spec.usageMessage();
    Map<String, CommandLine.IHelpSectionRenderer> sections = usage.sectionMap();
    sections.put(
        UsageMessageSpec.SECTION_KEY_OPTION_LIST,
        help -> help.optionListExcludingGroups(visible(help.commandSpec(), false)));
    sections.put(
        SECTION_KEY_GO_OPTIONS,
        help -> {
          List<OptionSpec> go = visible(help.commandSpec(), true);
          if (go.isEmpty()) {
            return "";
          }
          return String.format("%n%s%n", heading) + help.optionListExcludingGroups(go);
        });
    List<String> keys = new ArrayList<>(usage.sectionKeys());
    keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1, SECTION_KEY_GO_OPTIONS);
    usage.sectionKeys(keys);
    return spec;
  }

  /** Whether {@code option} is a Go exporter's flag rather than one of ours. */
  static boolean isGo(OptionSpec option) {
    return !OWN.contains(option.longestName());
  }

  private static List<OptionSpec> visible(CommandSpec spec, boolean go) {
    return spec.options().stream().filter(o -> !o.hidden() && isGo(o) == go).toList();
  }
}
