package io.clustermonitor.examples;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.container.ContainerCollector;
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

/** {@code container-exporter}: container and engine metrics with cAdvisor's names on 8080. */
@Command(
    modelTransformer = GoHelp.class,
    name = "container-exporter",
    mixinStandardHelpOptions = true,
    versionProvider = JarVersionProvider.class,
    description = {
      "Serves container metrics with cAdvisor's names (container_cpu_usage_seconds_total,"
          + " container_memory_working_set_bytes, ...) and engine facts"
          + " (cluster_monitor_engine_*) on /metrics, read from the live stats engine's memory."
          + " Authentication and TLS from --web.config.file or the SDK's CM_WEB_* variables"
          + " (docs/sdk.md). Listens on every interface on port 8080 by default, as cAdvisor;"
          + " --listen 127.0.0.1:8080 (or --listen_ip 127.0.0.1) for loopback only."
    })
final class ContainerExporterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:CM_WEB_LISTEN_ADDRESS:-:8080}",
      description =
          "Address to listen on (env: CM_WEB_LISTEN_ADDRESS; default ${DEFAULT-VALUE}, every"
              + " interface, as cAdvisor; 127.0.0.1:8080 for loopback only).")
  String listen;

  /** Go flags we accept and ignore (a WARN each), or a usage error: see {@link GoFlags}. */
  @Unmatched List<String> unmatched = new ArrayList<>();

  @Mixin GoWebOptions web = new GoWebOptions.Cadvisor();

  @Mixin DockerOptions docker = new DockerOptions();

  @Mixin ContainerOptions containers = new ContainerOptions();

  Map<String, String> env = System.getenv();
  final Running running = new Running();
  volatile ExporterServer server;

  @Override
  public Integer call() throws Exception {
    web.configureLogging(env);
    DockerMonitor monitor;
    try {
      monitor =
          DockerMonitor.builder(docker.endpoint())
              .applyEnvironment(containers.monitorEnv(env))
              .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    try (DockerMonitor m = monitor) {
      ContainerCollector collector;
      try {
        collector = containers.collector(m);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      Warmup.start(m);
      return ExporterCommands.serving(spec, "container-exporter", "cluster_monitor", listen)
          .web(web, unmatched)
          .env(env)
          .collectors(List.of(collector))
          .until(running, s -> server = s)
          .serve();
    }
  }
}
