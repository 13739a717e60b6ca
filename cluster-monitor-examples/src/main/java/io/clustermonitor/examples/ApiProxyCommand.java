package io.clustermonitor.examples;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.examples.api.RestApi;
import io.clustermonitor.examples.api.RestApiServer;
import io.clustermonitor.exporters.web.WebConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code api-proxy}: the read-only REST proxy alone. */
@Command(
    name = "api-proxy",
    mixinStandardHelpOptions = true,
    versionProvider = JarVersionProvider.class,
    description = {
      "Serves the read-only Docker REST API (JSON): /health, /api/containers,"
          + " /api/containers/{id}, /api/containers/{id}/stats, /api/system/info,"
          + " /api/stats/aggregate, /api/sd. Only GET and HEAD; see docs/api.md. Unlike the"
          + " exporter commands it listens on 127.0.0.1 only by default, because it reads the"
          + " Docker engine: give --listen (with a token or a web config file) to serve other"
          + " hosts. TLS and basic auth from --web.config.file (as serve).",
    })
final class ApiProxyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:CLUSTER_MONITOR_LISTEN:-127.0.0.1:3001}",
      description =
          "Address to listen on (env: CLUSTER_MONITOR_LISTEN; default ${DEFAULT-VALUE})."
              + " Use 0.0.0.0:3001 to accept remote clients.")
  String listen;

  @Mixin ApiOptions api = new ApiOptions();

  @Mixin WebConfigOption webConfig = new WebConfigOption();

  /**
   * Environment for the engine and the CM_WEB_* checks of the web config file (tests replace it).
   */
  Map<String, String> env = System.getenv();

  /** Stopped by the JVM shutdown hook, or by a test. */
  final Running running = new Running();

  volatile RestApiServer server;

  @Override
  public Integer call() throws Exception {
    ListenAddress address;
    DockerMonitor docker;
    RestApi.Builder builder;
    WebConfig web;
    try {
      address = ListenAddress.parse(listen);
      address.socketAddress();
      web = webConfig.load(spec, env, api.token());
      docker = DockerMonitor.builder(api.endpoint()).applyEnvironment(env).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    try {
      builder = api.apply(RestApi.builder(docker));
    } catch (IllegalArgumentException e) {
      docker.close();
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    RestApiServer started;
    RestApi built;
    try {
      built = builder.build();
    } catch (IllegalArgumentException e) {
      docker.close();
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    try {
      started = built.start(address.socketAddress(), web);
    } catch (IOException e) {
      built.close();
      docker.close();
      spec.commandLine().getErr().printf("Cannot listen on %s: %s%n", listen, e.getMessage());
      return 1;
    }
    try (DockerMonitor monitor = docker;
        RestApiServer s = started) {
      server = s;
      Warmup.start(monitor);
      PrintWriter out = spec.commandLine().getOut();
      String base = (s.tls() ? "https://" : "http://") + address.hostPort(s.address().getPort());
      out.printf("cluster-monitor api-proxy on %s (engine %s)%n", base, monitor.endpoint());
      out.printf("  %s/ (web view)%n  %s/health%n  %s/api/containers%n", base, base, base);
      out.flush();
      running.await();
    } finally {
      built.close();
    }
    return 0;
  }
}
