package io.clustermonitor.examples;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.examples.api.RestApi;
import io.clustermonitor.exporters.ExporterConfig;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.postgres.PostgresCollector;
import io.clustermonitor.exporters.redis.RedisCollector;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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

/** {@code serve}: the REST API and every collector's {@code /metrics} on one port. */
@Command(
    modelTransformer = NodeOptions.GoFlags.class,
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = JarVersionProvider.class,
    description = {
      "All in one: the read-only REST API (/health, /api/...; docs/api.md) and /metrics with"
          + " container (cAdvisor names), engine and host (node_exporter names) metrics on one"
          + " port, plus PostgreSQL when DATA_SOURCE_NAME or DATA_SOURCE_URI is set and Redis when"
          + " REDIS_ADDR (or --redis.addr) is set, configured like postgres_exporter and"
          + " redis_exporter. Starts without a reachable engine (host metrics, /health unhealthy)"
          + " and picks the engine up when it appears. TLS and basic auth from --web.config.file"
          + " or the SDK's CM_WEB_TLS_* variables. Unlike the exporter commands it listens on"
          + " 127.0.0.1 only by default, because the API reads the Docker engine: give --listen"
          + " (with a token or a web config file) to serve other hosts.",
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:CLUSTER_MONITOR_LISTEN:-127.0.0.1:3001}",
      description = "Address to listen on (env: CLUSTER_MONITOR_LISTEN; default ${DEFAULT-VALUE}).")
  String listen;

  @Mixin WebConfigOption webConfig = new WebConfigOption();

  @Mixin ApiOptions api = new ApiOptions();

  @Mixin ContainerOptions containers = new ContainerOptions();

  @Mixin NodeOptions node = new NodeOptions();

  @Mixin PostgresOptions postgres = new PostgresOptions();

  @Mixin RedisOptions redis = new RedisOptions();

  /** Environment for the PostgreSQL, Redis and CM_WEB_* settings (tests replace it). */
  Map<String, String> env = System.getenv();

  final Running running = new Running();
  volatile ExporterServer server;

  @Override
  public Integer call() throws Exception {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      return serve(resources);
    } finally {
      for (int i = resources.size() - 1; i >= 0; i--) {
        try {
          resources.get(i).close();
        } catch (Exception e) {
          spec.commandLine().getErr().println("error while stopping: " + e.getMessage());
        }
      }
    }
  }

  private int serve(List<AutoCloseable> resources) throws InterruptedException {
    ListenAddress address;
    DockerMonitor monitor;
    ExporterServer.Builder builder;
    List<String> extras = new ArrayList<>();
    try {
      address = ListenAddress.parse(listen);
      address.socketAddress();
      monitor = DockerMonitor.builder(api.endpoint()).applyEnvironment(env).build();
      resources.add(monitor);
      RestApi rest = api.apply(RestApi.builder(monitor)).build();
      resources.add(rest);
      List<MetricsCollector> collectors = new ArrayList<>();
      collectors.add(containers.collector(monitor));
      collectors.addAll(node.collector().subCollectors());
      if (configured("DATA_SOURCE_NAME") || configured("DATA_SOURCE_URI")) {
        PostgresCollector pg = postgres.collector(env);
        resources.add(pg);
        collectors.add(pg);
        extras.add("PostgreSQL " + pg.dataSources());
      }
      if (configured("REDIS_ADDR") || redis.addr != null) {
        RedisCollector r = redis.collector(env);
        resources.add(r);
        collectors.add(r);
        extras.add("Redis " + r.address());
      }
      builder =
          ExporterServer.builder()
              .config(ExporterConfig.fromEnvironment(env, listen))
              .host(address.host())
              .port(address.port())
              .namespace("cluster_monitor")
              .title("cluster-monitor")
              .limits(rest.limits())
              .allowedHosts(api.allowedHosts())
              .errorBodies(RestApi.errorBodies());
      for (MetricsCollector c : collectors) {
        builder.register(c);
      }
      rest.contexts().forEach(builder::handler);
      rest.pages().forEach(builder::publicHandler);
      String token = api.token();
      io.clustermonitor.exporters.web.WebConfig web = webConfig.load(spec, env, token);
      if (web != null) {
        web.applyTo(builder);
      }
      if (token != null) {
        // Guards /metrics and the landing page; the REST handlers check it themselves too.
        builder.bearerToken(token);
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    ExporterServer s;
    try {
      s = builder.start();
    } catch (UncheckedIOException e) {
      spec.commandLine().getErr().printf("Cannot listen on %s: %s%n", listen, e.getMessage());
      return 1;
    }
    resources.add(s);
    server = s;
    Warmup.start(monitor);
    PrintWriter out = spec.commandLine().getOut();
    String base = (s.uri().getScheme()) + "://" + address.hostPort(s.port());
    out.printf("cluster-monitor serve on %s (engine %s)%n", base, monitor.endpoint());
    out.printf("  %s/ (web view)%n", base);
    for (String p : List.of("/metrics", "/health", "/api/containers", "/api/sd")) {
      out.printf("  %s%s%n", base, p);
    }
    for (String e : extras) {
      out.printf("  collecting %s%n", e);
    }
    out.flush();
    running.await();
    return 0;
  }

  private boolean configured(String name) {
    String v = env.get(name);
    String f = env.get(name + "_FILE");
    return (v != null && !v.isBlank()) || (f != null && !f.isBlank());
  }
}
