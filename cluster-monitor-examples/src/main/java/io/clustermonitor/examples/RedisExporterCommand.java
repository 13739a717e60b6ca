package io.clustermonitor.examples;

import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.redis.RedisCollector;
import io.clustermonitor.exporters.selfmetrics.ExporterBuildInfo;
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

/** {@code redis-exporter}: Redis metrics, a drop-in for redis_exporter on 9121. */
@Command(
    modelTransformer = GoHelp.class,
    name = "redis-exporter",
    mixinStandardHelpOptions = true,
    versionProvider = JarVersionProvider.class,
    description = {
      "Serves Redis metrics named as redis_exporter 1.55 names them on /metrics, and"
          + " /scrape?target=host:port for other servers. Flags in -flag or --flag form, with"
          + " redis_exporter's variables (REDIS_ADDR, REDIS_USER, REDIS_PASSWORD,"
          + " REDIS_PASSWORD_FILE, REDIS_EXPORTER_*). The password of --redis.addr is never sent"
          + " to another /scrape target; those get their entry of the password file or none."
          + " Listens on every interface on port 9121 by default, as redis_exporter; --listen"
          + " 127.0.0.1:9121 for loopback only."
    })
final class RedisExporterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:CM_WEB_LISTEN_ADDRESS:-:9121}",
      description =
          "Address to listen on (env: CM_WEB_LISTEN_ADDRESS; default ${DEFAULT-VALUE}, every"
              + " interface, as redis_exporter; 127.0.0.1:9121 for loopback only).")
  String listen;

  /** Go flags we accept and ignore (a WARN each), or a usage error: see {@link GoFlags}. */
  @Unmatched List<String> unmatched = new ArrayList<>();

  @Mixin GoWebOptions web = new GoWebOptions.Redis();

  @Mixin RedisOptions redis = new RedisOptions();

  Map<String, String> env = System.getenv();
  final Running running = new Running();
  volatile ExporterServer server;

  @Override
  public Integer call() throws Exception {
    web.configureLogging(env);
    RedisCollector collector;
    try {
      collector = redis.collector(env);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    try (RedisCollector c = collector) {
      List<MetricsCollector> metrics = List.of(c);
      return ExporterCommands.serving(spec, "redis-exporter", "redis_exporter", listen)
          .web(web, unmatched)
          .env(env)
          .collectors(metrics)
          .targets(
              Map.of(
                  "/scrape", c.targetScraper().withCollectors(List.of(ExporterBuildInfo.redis()))))
          .until(running, s -> server = s)
          .serve();
    }
  }
}
