package io.clustermonitor.examples;

import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.postgres.AuthModules;
import io.clustermonitor.exporters.postgres.PostgresCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code postgres-exporter}: PostgreSQL metrics, a drop-in for postgres_exporter on 9187. */
@Command(
    modelTransformer = GoHelp.class,
    name = "postgres-exporter",
    mixinStandardHelpOptions = true,
    versionProvider = JarVersionProvider.class,
    description = {
      "Serves PostgreSQL metrics as postgres_exporter 0.15 does on /metrics. Targets come from"
          + " DATA_SOURCE_NAME (URI or key=value, several comma-separated), or DATA_SOURCE_URI"
          + " with DATA_SOURCE_USER and DATA_SOURCE_PASS (each also as _FILE); with none set,"
          + " /metrics answers pg_up 0 (multi-target mode). Listens on every interface on port"
          + " 9187 by default, as postgres_exporter; --listen 127.0.0.1:9187 for loopback only."
    })
final class PostgresExporterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:CM_WEB_LISTEN_ADDRESS:-:9187}",
      description =
          "Address to listen on (env: CM_WEB_LISTEN_ADDRESS; default ${DEFAULT-VALUE}, every"
              + " interface, as postgres_exporter; 127.0.0.1:9187 for loopback only).")
  String listen;

  @Option(
      names = "--dumpmaps",
      negatable = true,
      description =
          "Do not run, simply dump the builtin metric maps (postgres_exporter's deprecated flag).")
  boolean dumpMaps;

  /** Go flags we accept and ignore (a WARN each), or a usage error: see {@link GoFlags}. */
  @Unmatched List<String> unmatched = new ArrayList<>();

  @Mixin GoWebOptions web = GoWebOptions.postgres();

  @Mixin PostgresOptions postgres = new PostgresOptions();

  Map<String, String> env = System.getenv();
  final Running running = new Running();
  volatile ExporterServer server;

  @Override
  public Integer call() throws Exception {
    web.configureLogging(env);
    if (dumpMaps) {
      spec.commandLine().getOut().print(PostgresCollector.dumpMaps());
      spec.commandLine().getOut().flush();
      return 0;
    }
    PostgresCollector collector;
    AuthModules modules;
    try {
      modules = postgres.authModules();
      collector = postgres.collector(env);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    try (PostgresCollector c = collector) {
      return ExporterCommands.serving(spec, "postgres-exporter", "postgres_exporter", listen)
          .web(web, unmatched)
          .env(env)
          .collectors(List.of(c))
          .targets(Map.of("/probe", c.probe(modules)))
          .until(running, s -> server = s)
          .serve();
    }
  }
}
