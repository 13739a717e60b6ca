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
import java.util.Objects;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Starts an {@link ExporterServer} for one of the exporter commands and blocks:
 *
 * <pre>{@code
 * return ExporterCommands.serving(spec, "node-exporter", "node", listen)
 *     .web(web, unmatched)
 *     .env(env)
 *     .collectors(collector.subCollectors())
 *     .until(running, s -> server = s)
 *     .serve();
 * }</pre>
 */
final class ExporterCommands {

  private ExporterCommands() {}

  /**
   * Starts the options of one exporter command.
   *
   * @param title the command name, shown on the landing page and in the "on URL" line
   * @param namespace the prefix of the scrape self-metrics ({@code node}, {@code redis_exporter})
   * @param listen the command's {@code --listen} value
   */
  static Serving serving(CommandSpec spec, String title, String namespace, String listen) {
    return new Serving(spec, title, namespace, listen);
  }

  /** What one exporter command serves, and until when. Not thread-safe; use once. */
  static final class Serving {
    private final CommandSpec spec;
    private final String title;
    private final String namespace;
    private final String listen;
    private GoWebOptions web;
    private List<String> unmatched = List.of();
    private Map<String, String> env = Map.of();
    private List<MetricsCollector> collectors = List.of();
    private Map<String, TargetScraper> targets = Map.of();
    private Running running;
    private Consumer<ExporterServer> started = s -> {};

    private Serving(CommandSpec spec, String title, String namespace, String listen) {
      this.spec = Objects.requireNonNull(spec, "spec");
      this.title = Objects.requireNonNull(title, "title");
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      this.listen = Objects.requireNonNull(listen, "listen");
    }

    /**
     * The Go exporter's web and logging flags: listen addresses, telemetry path, web config file,
     * {@code --web.max-requests}, self-metrics ({@code process_*}, {@code <exporter>_build_info})
     * and the Go flags we accept and ignore ({@code unmatched}, checked against {@link
     * GoWebOptions#ignored()}). Without it, only {@code listen} and the {@code CM_WEB_*} variables
     * apply.
     */
    Serving web(GoWebOptions web, List<String> unmatched) {
      this.web = Objects.requireNonNull(web, "web");
      this.unmatched = List.copyOf(unmatched);
      return this;
    }

    /**
     * The environment: authentication, TLS, the server limits ({@link
     * ServerLimits#fromEnvironment}) and the collector timeout come from the SDK's {@code CM_WEB_*}
     * / {@code CM_COLLECTOR_TIMEOUT} variables, the Go exporters' from theirs.
     */
    Serving env(Map<String, String> env) {
      this.env = Map.copyOf(env);
      return this;
    }

    /** The collectors of {@code /metrics}. */
    Serving collectors(List<MetricsCollector> collectors) {
      this.collectors = List.copyOf(collectors);
      return this;
    }

    /** Multi-target endpoints ({@code /probe}, {@code /scrape}) by path. */
    Serving targets(Map<String, TargetScraper> targets) {
      this.targets = Map.copyOf(targets);
      return this;
    }

    /** Serves until {@code running} stops, calling {@code started} once the server listens. */
    Serving until(Running running, Consumer<ExporterServer> started) {
      this.running = Objects.requireNonNull(running, "running");
      this.started = Objects.requireNonNull(started, "started");
      return this;
    }

    /**
     * Starts the server, prints one "on URL" line per listen address and blocks until {@link #until
     * running} stops.
     *
     * @return the exit code (1 when the address cannot be bound)
     * @throws ParameterException for a bad flag or setting (exit 2 with one line)
     */
    int serve() throws InterruptedException {
      Objects.requireNonNull(running, "until(running, started) was not called");
      ExporterServer.Builder builder;
      GoWebOptions.Resolved resolved = null;
      String shown = listen;
      String path = "/metrics";
      try {
        if (web != null) {
          web.configureLogging(env);
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
}
