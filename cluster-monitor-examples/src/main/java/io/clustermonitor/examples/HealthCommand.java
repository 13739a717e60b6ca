package io.clustermonitor.examples;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.GoDuration;
import io.clustermonitor.core.health.HealthChecks;
import io.clustermonitor.core.health.HealthReport;
import io.clustermonitor.core.health.HealthSuite;
import io.clustermonitor.core.health.HealthTimeoutException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cluster-monitor.jar health}: runs health checks once (or until healthy with {@code
 * --wait}), prints the report and exits 0 when every check is UP, 1 otherwise (bad options
 * included, so it can be a compose {@code healthcheck}, where 2 is reserved).
 *
 * <pre>
 * java -jar cluster-monitor.jar health --label com.docker.compose.project=shop \
 *     --url http://127.0.0.1:3001/health --prometheus http://127.0.0.1:9090 --wait 2m
 * </pre>
 */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    versionProvider = JarVersionProvider.class,
    sortOptions = false,
    exitCodeOnInvalidInput = 1,
    exitCodeOnExecutionException = 1,
    description = {
      "Checks the Docker engine, containers, URLs and Prometheus targets.",
      "Prints a report; exits 0 when every check is UP, 1 otherwise."
    },
    footer = {
      "",
      "Containers given by --container or --label must run and be healthy (or have no",
      "HEALTHCHECK); 'starting' counts as not yet healthy. Durations: 500ms, 5s, 2m, PT1M."
    })
public final class HealthCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--docker-host",
      paramLabel = "ADDRESS",
      description =
          "Engine to check: unix:///path or tcp://host:port (default: DOCKER_HOST or"
              + " unix:///var/run/docker.sock; DOCKER_TLS_VERIFY and DOCKER_CERT_PATH apply).")
  String dockerHost;

  @Option(
      names = "--container",
      paramLabel = "NAME",
      description = "A container that must run and be healthy (repeatable).")
  List<String> containers = new ArrayList<>();

  @Option(
      names = "--label",
      paramLabel = "KEY[=VALUE]",
      description =
          "Containers with this label must run and be healthy, at least one (repeatable).")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "A URL that must answer GET with 2xx (repeatable).")
  List<String> urls = new ArrayList<>();

  @Option(
      names = "--prometheus",
      paramLabel = "URL",
      description = "A Prometheus whose active targets must all be up (repeatable).")
  List<String> prometheus = new ArrayList<>();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Timeout of each check (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Retry with backoff until healthy or this much time has passed.")
  Duration wait;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Report format: table or json (default: ${DEFAULT-VALUE}).")
  String format;

  private Map<String, String> env = System.getenv();

  /** For tests: the environment used for the default Docker host. */
  HealthCommand withEnvironment(Map<String, String> environment) {
    this.env = environment;
    return this;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!format.equals("table") && !format.equals("json")) {
      err.println("health: --format must be table or json, got '" + format + "'");
      return 1;
    }
    if (containers.isEmpty()
        && labels.isEmpty()
        && urls.isEmpty()
        && prometheus.isEmpty()
        && dockerHost == null) {
      err.println(
          "health: nothing to check; give --docker-host, --container, --label, --url or"
              + " --prometheus (see --help)");
      return 1;
    }
    DockerMonitor docker = null;
    try {
      HealthSuite.Builder suite = HealthSuite.builder().timeout(timeout);
      if (dockerHost != null || !containers.isEmpty() || !labels.isEmpty()) {
        Map<String, String> dockerEnv = new HashMap<>(env);
        if (dockerHost != null) {
          dockerEnv.put("DOCKER_HOST", dockerHost.strip());
        }
        DockerEndpoint endpoint =
            DockerEndpoint.fromEnvironment(dockerEnv)
                .newBuilder()
                .readTimeout(timeout)
                .connectTimeout(timeout)
                .build();
        docker = DockerMonitor.connect(endpoint);
        suite.check("engine", HealthChecks.engineReachable(docker));
        for (String c : containers) {
          suite.check("container " + c, HealthChecks.containerHealthy(docker, c));
        }
        for (String l : labels) {
          int eq = l.indexOf('=');
          String key = eq < 0 ? l : l.substring(0, eq);
          String value = eq < 0 ? null : l.substring(eq + 1);
          suite.check("label " + l, HealthChecks.containersWithLabel(docker, key, value));
        }
      }
      for (String u : urls) {
        suite.check("url " + u, HealthChecks.http(u));
      }
      for (String p : prometheus) {
        suite.check("prometheus " + p, HealthChecks.prometheusTargets(p));
      }
      HealthSuite built = suite.build();
      HealthReport report;
      String headline = null;
      if (wait == null) {
        report = built.run();
      } else {
        try {
          report = built.waitUntilHealthy(wait);
        } catch (HealthTimeoutException e) {
          report = e.report();
          headline = e.getMessage().lines().findFirst().orElse("");
        }
      }
      print(out, report, headline);
      return report.healthy() ? 0 : 1;
    } catch (RuntimeException e) {
      err.println("health: " + e.getMessage());
      return 1;
    } finally {
      if (docker != null) {
        docker.close();
      }
    }
  }

  private void print(PrintWriter out, HealthReport report, String headline) {
    if (format.equals("json")) {
      out.println(report.toJson());
    } else {
      out.print(report.toTable());
      long up = report.checks().stream().filter(c -> c.up()).count();
      out.println(
          headline != null
              ? headline
              : report.status() + ": " + up + " of " + report.checks().size() + " checks UP");
    }
    out.flush();
  }

  /** Parses a Go duration ({@code 500ms}, {@code 5s}, {@code 1m30s}) or ISO-8601 ({@code PT5S}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d =
          GoDuration.tryParseOrIso(value)
              .orElseThrow(
                  () ->
                      new CommandLine.TypeConversionException(
                          "invalid duration '" + value + "' (use e.g. 500ms, 5s, 2m)"));
      if (d.isZero() || d.isNegative()) {
        throw new CommandLine.TypeConversionException("duration must be positive: '" + value + "'");
      }
      return d;
    }
  }
}
