package io.clustermonitor.core.health;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.HealthStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks that the containers selected by a filter are running and healthy, and that at least N of
 * them are. Create with {@link HealthChecks#containerHealthy}, {@link
 * HealthChecks#containersWithLabel}, {@link HealthChecks#composeProject} or {@link
 * HealthChecks#containersHealthy}:
 *
 * <pre>{@code
 * HealthCheck shop = HealthChecks.composeProject(docker, "shop").atLeast(3);
 * }</pre>
 *
 * <p>A container counts as healthy when it runs and its {@code HEALTHCHECK} says {@code healthy} or
 * it has none. The result is
 *
 * <ul>
 *   <li>DOWN when a selected container is unhealthy, exited with a non-zero code, restarting,
 *       paused or dead, or when fewer than N are healthy and too few are starting to make up;
 *   <li>DEGRADED when none is failing but some are still {@code starting} (or created, not yet
 *       started);
 *   <li>UP otherwise.
 * </ul>
 *
 * <p>Containers that exited with code 0 (one-shot jobs such as migrations) are ignored, except when
 * a single container was selected by name. A single container that exited, is dead, or was removed
 * after it had been seen gives a {@linkplain CheckResult#terminal() terminal} result, so a wait
 * fails at once. Thread-safe.
 */
public final class ContainersHealthyCheck implements HealthCheck {
  private final DockerMonitor docker;
  private final ContainerFilter filter;
  private final String what;
  private final int atLeast;
  private final boolean single;
  // single container: seen once, so "absent" later means removed
  private final java.util.concurrent.atomic.AtomicBoolean seen =
      new java.util.concurrent.atomic.AtomicBoolean();

  ContainersHealthyCheck(
      DockerMonitor docker, ContainerFilter filter, String what, int atLeast, boolean single) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.filter = Objects.requireNonNull(filter, "filter");
    this.what = what;
    this.atLeast = atLeast;
    this.single = single;
  }

  /**
   * Requires at least {@code n} healthy containers (default 1).
   *
   * @throws IllegalArgumentException when {@code n < 1}
   */
  public ContainersHealthyCheck atLeast(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("atLeast must be at least 1, got " + n);
    }
    return new ContainersHealthyCheck(docker, filter, what, n, single);
  }

  @Override
  public CheckResult check(Duration timeout) {
    List<ContainerSummary> containers;
    try {
      containers = docker.containers(filter);
    } catch (RuntimeException e) {
      return CheckResult.down(DockerChecks.describe(e));
    }
    List<String> healthy = new ArrayList<>();
    List<String> starting = new ArrayList<>();
    List<String> failing = new ArrayList<>();
    Map<String, String> details = new LinkedHashMap<>();
    for (ContainerSummary c : containers) {
      String state = stateOf(c);
      if (c.state() == ContainerState.EXITED && c.exitCode() == 0 && !single) {
        continue;
      }
      details.put(c.name(), state);
      if (c.state() == ContainerState.RUNNING) {
        switch (c.health()) {
          case HEALTHY, NONE -> healthy.add(c.name());
          case STARTING -> starting.add(c.name());
          case UNHEALTHY -> failing.add(c.name() + " unhealthy");
        }
      } else if (c.state() == ContainerState.CREATED) {
        starting.add(c.name() + " (created)");
      } else {
        failing.add(c.name() + " " + state);
      }
    }
    int total = healthy.size() + starting.size() + failing.size();
    CheckResult r;
    // a single awaited container that exited, died or was removed will not become healthy
    boolean gone =
        single
            && containers.stream()
                .anyMatch(
                    c -> c.state() == ContainerState.EXITED || c.state() == ContainerState.DEAD);
    if (single && !containers.isEmpty()) {
      seen.set(true);
    }
    if (single && containers.isEmpty() && seen.get()) {
      r = CheckResult.failed("container " + what + " was removed");
    } else if (total == 0) {
      r = CheckResult.down("no container " + what);
    } else if (!failing.isEmpty()) {
      r =
          CheckResult.down(
              String.join(", ", failing)
                  + " ("
                  + healthy.size()
                  + " of "
                  + total
                  + " healthy"
                  + (atLeast > 1 ? ", at least " + atLeast + " required" : "")
                  + ")");
    } else if (healthy.size() + starting.size() < atLeast) {
      r =
          CheckResult.down(
              "only "
                  + healthy.size()
                  + " healthy"
                  + (starting.isEmpty() ? "" : " and " + starting.size() + " starting")
                  + " container(s) "
                  + what
                  + ", at least "
                  + atLeast
                  + " required");
    } else if (!starting.isEmpty()) {
      r =
          CheckResult.degraded(
              "starting: "
                  + String.join(", ", starting)
                  + " ("
                  + healthy.size()
                  + " of "
                  + total
                  + " healthy)");
    } else {
      r =
          CheckResult.up(
              healthy.size()
                  + " of "
                  + total
                  + " healthy"
                  + (total <= 5 ? ": " + String.join(", ", healthy) : ""));
    }
    r = r.withDetails(details);
    return gone ? new CheckResult(r.status(), r.reason(), r.details(), true) : r;
  }

  private static String stateOf(ContainerSummary c) {
    return switch (c.state()) {
      case RUNNING ->
          c.health() == HealthStatus.NONE
              ? "running (no health check)"
              : "running, " + c.health().engineName();
      case EXITED -> "exited (" + c.exitCode() + (c.oomKilled() ? ", OOM killed" : "") + ")";
      case RESTARTING -> "restarting (" + c.restartCount() + " restarts)";
      default -> c.state().engineName();
    };
  }

  @Override
  public String toString() {
    return "containers " + what + " healthy (at least " + atLeast + ")";
  }
}
