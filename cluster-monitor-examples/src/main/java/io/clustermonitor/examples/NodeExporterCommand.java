package io.clustermonitor.examples;

import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.node.NodeCollector;
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

/** {@code node-exporter}: host metrics, a drop-in for node_exporter on port 9100. */
@Command(
    modelTransformer = GoHelp.class,
    name = "node-exporter",
    mixinStandardHelpOptions = true,
    versionProvider = JarVersionProvider.class,
    description = {
      "Serves host metrics named as node_exporter 1.7.0 names them, with its default Linux"
          + " collectors, its --[no-]collector.<name>, --collector.disable-defaults and"
          + " --collector.<name>.<option> flags (including --collector.textfile.directory) and"
          + " /metrics?collect[]=<name>. Valid node_exporter collectors this build does not"
          + " implement are accepted with one warning. See docs/metrics.md. Listens on every"
          + " interface on port 9100 by default, as node_exporter; --listen 127.0.0.1:9100 for"
          + " loopback only."
    })
final class NodeExporterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:CM_WEB_LISTEN_ADDRESS:-:9100}",
      description =
          "Address to listen on (env: CM_WEB_LISTEN_ADDRESS; default ${DEFAULT-VALUE}, every"
              + " interface, as node_exporter; 127.0.0.1:9100 for loopback only).")
  String listen;

  /** Go flags we accept and ignore (a WARN each), or a usage error: see {@link GoFlags}. */
  @Unmatched List<String> unmatched = new ArrayList<>();

  @Mixin GoWebOptions web = GoWebOptions.node();

  @Mixin NodeOptions node = new NodeOptions();

  Map<String, String> env = System.getenv();
  final Running running = new Running();
  volatile ExporterServer server;

  @Override
  public Integer call() throws Exception {
    web.configureLogging(env);
    NodeCollector collector;
    try {
      collector = node.collector();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    return ExporterCommands.serving(spec, "node-exporter", "node", listen)
        .web(web, unmatched)
        .env(env)
        .collectors(collector.subCollectors())
        .until(running, s -> server = s)
        .serve();
  }
}
