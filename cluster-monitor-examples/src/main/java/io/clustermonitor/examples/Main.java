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
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
