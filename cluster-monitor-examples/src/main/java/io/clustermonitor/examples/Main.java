package io.clustermonitor.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar cluster-monitor.jar <command>}: the runnable monitor. Every command has {@code
 * --help}; every flag can also be set by the environment variable its help names.
 */
@Command(
    name = "cluster-monitor",
    mixinStandardHelpOptions = true,
    versionProvider = JarVersionProvider.class,
    description = "Watches a Docker host for Prometheus: REST API, exporters, status and health.",
    subcommands = {
      ApiProxyCommand.class,
      NodeExporterCommand.class,
      PostgresExporterCommand.class,
      RedisExporterCommand.class,
      StatusCommand.class,
      ContainerExporterCommand.class,
      ServeCommand.class,
      HealthCommand.class,
    })
public final class Main implements Runnable {
  @Spec CommandSpec spec;

  /** Without a command: usage and exit code 2. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command");
  }

  /** Runs one command and exits with its code. */
  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals(CdsTraining.ARGUMENT)) {
      System.exit(CdsTraining.run());
    }
    System.exit(commandLine(args).execute(args));
  }

  /**
   * The command line for {@code args}. When the first argument names a command, only that command's
   * model is built (under a root of the same name, so its usage, errors and exit codes are the
   * same): picocli otherwise reflects over every command, option and mixin before it parses, which
   * was the largest part of the time to the first answer of {@code serve}. Anything else (no
   * command, an unknown one, {@code --help}, {@code --version}) gets the full model.
   */
  static CommandLine commandLine(String... args) {
    if (args.length > 0) {
      Command root = Main.class.getAnnotation(Command.class);
      for (Class<?> c : root.subcommands()) {
        Command sub = c.getAnnotation(Command.class);
        if (sub.name().equals(args[0])) {
          CommandSpec spec = CommandSpec.wrapWithoutInspection(new Main()).name(root.name());
          spec.usageMessage().description(root.description());
          return new CommandLine(spec).addSubcommand(sub.name(), new CommandLine(c));
        }
      }
    }
    return new CommandLine(new Main());
  }
}
