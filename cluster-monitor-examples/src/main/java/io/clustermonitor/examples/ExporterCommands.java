package io.clustermonitor.examples;

import io.clustermonitor.exporters.ExporterConfig;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.TargetScraper;
import io.clustermonitor.exporters.web.ServerLimits;
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
   * Serves {@code collectors} on {@code listen} until {@code running} stops. Authentication, TLS,
   * the server limits ({@link ServerLimits#fromEnvironment}) and the collector timeout come from
   * the SDK's {@code CM_WEB_*} / {@code CM_COLLECTOR_TIMEOUT} variables.
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
    return serve(
        spec,
        title,
        namespace,
        listen,
        null,
        List.of(),
        env,
        collectors,
        Map.of(),
        running,
        started);
  }

  /** {@link #serve} with multi-target endpoints ({@code /probe}, {@code /scrape}) mounted too. */
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
    return serve(
        spec,
        title,
        namespace,
        listen,
        null,
        List.of(),
        env,
        collectors,
        targets,
        running,
        started);
  }

  /** The Go exporter's web and logging flags, without multi-target endpoints. */
  static int serve(
      CommandSpec spec,
      String title,
      String namespace,
      String listen,
      GoWebOptions web,
      List<String> unmatched,
      Map<String, String> env,
      List<MetricsCollector> collectors,
      Running running,
      java.util.function.Consumer<ExporterServer> started)
      throws InterruptedException {
    return serve(
        spec,
        title,
        namespace,
        listen,
        web,
        unmatched,
        env,
        collectors,
        Map.of(),
        running,
        started);
  }

  /**
   * Like {@link #serve(CommandSpec, String, String, String, Map, List, Running,
   * java.util.function.Consumer)}, with the Go exporter's web and logging flags: listen addresses,
   * telemetry path, web config file, self-metrics ({@code process_*}, {@code
   * <exporter>_build_info}) and the Go flags we accept and ignore ({@code unmatched}, checked
   * against {@link GoWebOptions#ignored()}).
   */
  static int serve(
      CommandSpec spec,
      String title,
      String namespace,
      String listen,
      GoWebOptions web,
      List<String> unmatched,
      Map<String, String> env,
      List<MetricsCollector> collectors,
      Map<String, TargetScraper> targets,
      Running running,
      java.util.function.Consumer<ExporterServer> started)
      throws InterruptedException {
    ExporterServer.Builder builder;
    GoWebOptions.Resolved resolved = null;
    String shown = listen;
    String path = "/metrics";
    try {
      if (web != null) {
        web.ignored().accept(spec, unmatched);
        resolved = web.resolve(listen, env);
        shown = String.join(", ", resolved.listen());
        path = resolved.metricsPath();
      } else {
        ListenAddress.parse(listen).socketAddress();
      }
      ListenAddress first = ListenAddress.parse(listen);
      builder =
          ExporterServer.builder()
              .config(ExporterConfig.fromEnvironment(env, listen))
              .host(first.host())
              .port(first.port())
              .namespace(namespace)
              .title(title)
              .limits(ServerLimits.fromEnvironment(env));
      for (MetricsCollector c : collectors) {
        builder.register(c);
      }
      if (resolved != null) {
        web.apply(builder, resolved, collectors);
      }
      targets.forEach(builder::target);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    ExporterServer server;
    try {
      server = builder.start();
    } catch (UncheckedIOException e) {
      spec.commandLine().getErr().printf("Cannot listen on %s: %s%n", shown, e.getMessage());
      return 1;
    }
    try (ExporterServer s = server) {
      started.accept(s);
      PrintWriter out = spec.commandLine().getOut();
      for (java.net.URI uri : s.uris()) {
        out.printf("cluster-monitor %s on %s%n", title, uri.resolve(path.substring(1)));
      }
      out.flush();
      running.await();
    }
    return 0;
  }
}
