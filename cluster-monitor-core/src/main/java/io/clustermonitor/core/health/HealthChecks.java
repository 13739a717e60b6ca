package io.clustermonitor.core.health;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerSummary;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The built-in checks. Each returns a thread-safe {@link HealthCheck} that reports failures as DOWN
 * with a reason, never by throwing; the arguments are checked when the check is created.
 *
 * <pre>{@code
 * HealthSuite suite =
 *     HealthSuite.builder()
 *         .check("engine", HealthChecks.engineReachable(docker))
 *         .check("db", HealthChecks.containerHealthy(docker, "db"))
 *         .check("postgres", HealthChecks.tcp("127.0.0.1", 5432))
 *         .check("targets", HealthChecks.prometheusTargets("http://127.0.0.1:9090"))
 *         .build();
 * }</pre>
 *
 * <p>Docker checks block for at most the endpoint's read timeout; run them in a {@link HealthSuite}
 * to bound them by the check timeout.
 */
public final class HealthChecks {
  private HealthChecks() {}

  /** UP when the engine answers {@code /info}; the reason names its version. */
  public static HealthCheck engineReachable(DockerMonitor docker) {
    return DockerChecks.engineReachable(Objects.requireNonNull(docker, "docker"));
  }

  /**
   * UP when the container exists and runs (its health check is not looked at; see {@link
   * #containerHealthy}).
   *
   * @param idOrName an id, short id or name
   * @throws IllegalArgumentException when {@code idOrName} is blank
   */
  public static HealthCheck containerRunning(DockerMonitor docker, String idOrName) {
    Objects.requireNonNull(docker, "docker");
    return DockerChecks.containerRunning(docker, nonBlank(idOrName, "container id or name"));
  }

  /**
   * UP when the container with this name runs and is healthy (or has no health check); DEGRADED
   * while its health check is starting; DOWN when unhealthy, stopped or missing.
   *
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static ContainersHealthyCheck containerHealthy(DockerMonitor docker, String name) {
    String n = nonBlank(name, "container name");
    if (n.startsWith("/")) {
      n = n.substring(1);
    }
    ContainerFilter f = ContainerFilter.builder().namePattern(Pattern.quote(n)).allStates().build();
    return new ContainersHealthyCheck(docker, f, "named '" + n + "'", 1, true);
  }

  /**
   * The containers carrying label {@code key=value} are healthy; see {@link ContainersHealthyCheck}
   * for the rules and {@link ContainersHealthyCheck#atLeast(int)}.
   *
   * @param value the label value, or {@code null} for any value
   * @throws IllegalArgumentException when {@code key} is blank
   */
  public static ContainersHealthyCheck containersWithLabel(
      DockerMonitor docker, String key, String value) {
    ContainerFilter f =
        ContainerFilter.builder().label(nonBlank(key, "label key"), value).allStates().build();
    return new ContainersHealthyCheck(
        docker, f, "with label " + key + (value == null ? "" : "=" + value), 1, false);
  }

  /**
   * The containers of a compose project (label {@code com.docker.compose.project}) are healthy.
   *
   * @throws IllegalArgumentException when {@code project} is blank
   */
  public static ContainersHealthyCheck composeProject(DockerMonitor docker, String project) {
    ContainerFilter f =
        ContainerFilter.builder()
            .label(ContainerSummary.COMPOSE_PROJECT_LABEL, nonBlank(project, "compose project"))
            .allStates()
            .build();
    return new ContainersHealthyCheck(docker, f, "of compose project '" + project + "'", 1, false);
  }

  /** The containers matching any filter are healthy. */
  public static ContainersHealthyCheck containersHealthy(
      DockerMonitor docker, ContainerFilter filter) {
    return new ContainersHealthyCheck(docker, filter, "matching " + filter, 1, false);
  }

  /**
   * A GET of {@code url} answers 2xx (by default); see {@link HttpCheck} for more conditions.
   *
   * @param url an absolute {@code http} or {@code https} URL; a malformed one makes the check DOWN
   */
  public static HttpCheck http(String url) {
    return new HttpCheck(url);
  }

  /**
   * A TCP connection to {@code host:port} can be opened (and is closed at once).
   *
   * @throws IllegalArgumentException when the host is blank or the port is not 1-65535
   */
  public static HealthCheck tcp(String host, int port) {
    String h = nonBlank(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, got " + port);
    }
    String target = h + ":" + port;
    return timeout -> {
      InetSocketAddress address = new InetSocketAddress(h, port);
      if (address.isUnresolved()) {
        return CheckResult.down("unknown host '" + h + "'");
      }
      try (Socket s = new Socket()) {
        s.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        return CheckResult.up("port " + target + " open");
      } catch (SocketTimeoutException e) {
        return CheckResult.down(
            "no connection to " + target + " within " + HealthReport.formatDuration(timeout));
      } catch (ConnectException e) {
        return CheckResult.down("connection refused by " + target);
      } catch (IOException e) {
        return CheckResult.down("cannot connect to " + target + ": " + e.getMessage());
      }
    };
  }

  /**
   * All active targets of the Prometheus server at {@code prometheusUrl} (e.g. {@code
   * http://127.0.0.1:9090}) are up; see {@link PrometheusTargetsCheck}.
   */
  public static PrometheusTargetsCheck prometheusTargets(String prometheusUrl) {
    return new PrometheusTargetsCheck(prometheusUrl, null);
  }

  /**
   * The page at {@code metricsUrl} has a sample named {@code metricName}; see {@link MetricCheck}.
   *
   * @throws IllegalArgumentException when {@code metricName} is not a valid metric name
   */
  public static MetricCheck metric(String metricsUrl, String metricName) {
    return new MetricCheck(metricsUrl, metricName);
  }

  private static String nonBlank(String s, String what) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return s.strip();
  }
}
