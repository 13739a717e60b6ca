package io.clustermonitor.examples;

import io.clustermonitor.exporters.ExporterConfig;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.TargetScraper;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Starts an {@link ExporterServer} for one of the exporter commands and blocks. */
final class ExporterCommands {

  private ExporterCommands() {}

  /**
   * Serves {@code collectors} on {@code listen} until {@code running} stops. Authentication, TLS
   * and the collector timeout come from the SDK's {@code CM_WEB_*} / {@code CM_COLLECTOR_TIMEOUT}
   * variables.
   *
   * @return the exit code
   */
  static int serve(
      CommandSpec spec,
      String title,
      String namespace,
      String listen,
      Map<String, String> env,
      List<MetricsCollector> collectors,
      Running running,
      java.util.function.Consumer<ExporterServer> started)
      throws InterruptedException {
    return serve(spec, title, namespace, listen, env, collectors, Map.of(), running, started);
  }

  /**
   * As {@link #serve(CommandSpec, String, String, String, Map, List, Running,
   * java.util.function.Consumer)}, with multi-target endpoints ({@code /scrape}, {@code /probe})
   * mounted at their paths.
   */
  static int serve(
      CommandSpec spec,
      String title,
      String namespace,
      String listen,
      Map<String, String> env,
      List<MetricsCollector> collectors,
      Map<String, TargetScraper> targets,
      Running running,
      java.util.function.Consumer<ExporterServer> started)
      throws InterruptedException {
    ExporterServer.enableTcpNoDelay();
    ListenAddress address;
    ExporterServer.Builder builder;
    try {
      address = ListenAddress.parse(listen);
      address.socketAddress();
      builder =
          ExporterServer.builder()
              .config(ExporterConfig.fromEnvironment(env, listen))
              .host(address.host())
              .port(address.port())
              .namespace(namespace)
              .title(title);
      for (MetricsCollector c : collectors) {
        builder.register(c);
      }
      targets.forEach(builder::target);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    ExporterServer server;
    try {
      server = builder.start();
    } catch (UncheckedIOException e) {
      spec.commandLine().getErr().printf("Cannot listen on %s: %s%n", listen, e.getMessage());
      return 1;
    }
    try (ExporterServer s = server) {
      started.accept(s);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("cluster-monitor %s on http://%s/metrics%n", title, address.hostPort(s.port()));
      out.flush();
      running.await();
    }
    return 0;
  }
}
