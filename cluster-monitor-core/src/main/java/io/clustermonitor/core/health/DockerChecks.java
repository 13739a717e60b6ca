package io.clustermonitor.core.health;

import io.clustermonitor.core.ContainerNotFoundException;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.EngineTimeoutException;
import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.SystemInfo;

/** The engine and single-container checks. */
final class DockerChecks {
  private DockerChecks() {}

  static HealthCheck engineReachable(DockerMonitor docker) {
    return timeout -> {
      try {
        SystemInfo info = docker.systemInfo();
        return CheckResult.up(
                "Docker "
                    + info.engine().version()
                    + ", API "
                    + info.engine().apiVersion()
                    + " at "
                    + docker.endpoint())
            .withDetail("containersRunning", info.counts().running())
            .withDetail("containers", info.counts().total());
      } catch (RuntimeException e) {
        return CheckResult.down(describe(e));
      }
    };
  }

  static HealthCheck containerRunning(DockerMonitor docker, String idOrName) {
    java.util.concurrent.atomic.AtomicBoolean seen =
        new java.util.concurrent.atomic.AtomicBoolean();
    return timeout -> {
      ContainerSummary c;
      try {
        ContainerDetails d = docker.container(idOrName);
        c = d.summary();
      } catch (ContainerNotFoundException e) {
        return seen.get()
            ? CheckResult.failed("container '" + idOrName + "' was removed")
            : CheckResult.down(describe(e));
      } catch (RuntimeException e) {
        return CheckResult.down(describe(e));
      }
      seen.set(true);
      CheckResult r;
      if (c.state() == ContainerState.RUNNING) {
        r = CheckResult.up("running" + (c.startedAt() == null ? "" : " since " + c.startedAt()));
      } else if (c.state() == ContainerState.EXITED || c.state() == ContainerState.DEAD) {
        r =
            CheckResult.failed(
                "container '"
                    + c.name()
                    + "' "
                    + (c.state() == ContainerState.DEAD ? "is dead" : "exited")
                    + " with code "
                    + c.exitCode()
                    + (c.oomKilled() ? " (OOM killed)" : ""));
      } else if (c.state() == ContainerState.RESTARTING) {
        r = CheckResult.down("restarting (" + c.restartCount() + " restarts)");
      } else {
        r = CheckResult.down(c.state().engineName());
      }
      return r.withDetail("id", c.shortId()).withDetail("name", c.name());
    };
  }

  /** A failure of a DockerMonitor call as a reason. */
  static String describe(RuntimeException e) {
    if (e instanceof ContainerNotFoundException nf) {
      return "no such container '" + nf.container() + "'";
    }
    if (e instanceof EngineUnavailableException || e instanceof EngineTimeoutException) {
      return e.getMessage();
    }
    if (e instanceof IllegalArgumentException) {
      return "invalid input: " + e.getMessage();
    }
    return HealthSuite.describe(e);
  }
}
