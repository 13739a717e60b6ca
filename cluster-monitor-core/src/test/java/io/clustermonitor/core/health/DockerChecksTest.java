package io.clustermonitor.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.core.ContainerNotFoundException;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.core.model.AggregateStats;
import io.clustermonitor.core.model.ContainerCounts;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.EngineInfo;
import io.clustermonitor.core.model.HealthStatus;
import io.clustermonitor.core.model.HostInfo;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Docker checks against an in-memory engine; the real engine is in {@code DockerHealthIT}. */
class DockerChecksTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** An engine that holds a fixed list of containers, or fails every call. */
  static final class FakeDocker implements DockerMonitor {
    final List<ContainerSummary> containers = new ArrayList<>();
    RuntimeException failure;

    FakeDocker with(
        String name, ContainerState state, HealthStatus health, int exitCode, String project) {
      containers.add(
          new ContainerSummary(
              (name + "0000000000000000").substring(0, 16),
              name,
              "cluster-monitor/busybox:test",
              state,
              health,
              Instant.EPOCH,
              Instant.EPOCH,
              null,
              exitCode,
              false,
              0,
              project == null ? Map.of() : Map.of(ContainerSummary.COMPOSE_PROJECT_LABEL, project),
              null,
              "local"));
      return this;
    }

    @Override
    public DockerEndpoint endpoint() {
      return DockerEndpoint.builder("unix:///var/run/docker.sock").build();
    }

    @Override
    public List<ContainerSummary> containers(ContainerFilter filter) {
      if (failure != null) {
        throw failure;
      }
      return containers.stream().filter(filter::matches).toList();
    }

    @Override
    public ContainerDetails container(String idOrName) {
      if (failure != null) {
        throw failure;
      }
      return containers.stream()
          .filter(c -> c.name().equals(idOrName) || c.id().startsWith(idOrName))
          .findFirst()
          .map(
              c ->
                  new ContainerDetails(
                      c,
                      List.of("sh"),
                      "/",
                      "",
                      List.of(),
                      1,
                      "none",
                      "no",
                      List.of(),
                      List.of(),
                      List.of()))
          .orElseThrow(() -> new ContainerNotFoundException(idOrName, null));
    }

    @Override
    public SystemInfo systemInfo() {
      if (failure != null) {
        throw failure;
      }
      return new SystemInfo(
          "local",
          new EngineInfo("20.10.24", "1.41", "overlay2", "cgroupfs", "1", 1),
          new HostInfo("Debian", "linux", "x86_64", "6.1", "box", 2, 1L << 30),
          new ContainerCounts(3, 2, 0, 1),
          "cgroup");
    }

    @Override
    public ContainerStats stats(String idOrName) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AggregateStats aggregateStats() {
      throw new UnsupportedOperationException();
    }

    @Override
    public StatsSnapshot snapshot() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  @Test
  void engineReachableNamesTheVersion() {
    CheckResult r = HealthChecks.engineReachable(new FakeDocker()).check(TIMEOUT);
    assertThat(r.status()).isEqualTo(CheckStatus.UP);
    assertThat(r.reason()).isEqualTo("Docker 20.10.24, API 1.41 at unix:///var/run/docker.sock");
  }

  @Test
  void anUnavailableEngineIsDownWithItsReason() {
    FakeDocker docker = new FakeDocker();
    docker.failure =
        new EngineUnavailableException("unix:///nowhere.sock", "No such file or directory", null);
    assertThat(HealthChecks.engineReachable(docker).check(TIMEOUT).reason())
        .isEqualTo("Docker engine unavailable at unix:///nowhere.sock: No such file or directory");
    assertThat(HealthChecks.composeProject(docker, "shop").check(TIMEOUT).status())
        .isEqualTo(CheckStatus.DOWN);
    assertThat(HealthChecks.containerRunning(docker, "web").check(TIMEOUT).status())
        .isEqualTo(CheckStatus.DOWN);
  }

  @Test
  void containerRunningReportsTheState() {
    FakeDocker docker =
        new FakeDocker()
            .with("web", ContainerState.RUNNING, HealthStatus.UNHEALTHY, 0, null)
            .with("job", ContainerState.EXITED, HealthStatus.NONE, 3, null)
            .with("frozen", ContainerState.PAUSED, HealthStatus.NONE, 0, null);

    assertThat(HealthChecks.containerRunning(docker, "web").check(TIMEOUT).status())
        .isEqualTo(CheckStatus.UP);
    CheckResult job = HealthChecks.containerRunning(docker, "job").check(TIMEOUT);
    assertThat(job.reason()).isEqualTo("container 'job' exited with code 3");
    assertThat(job.terminal()).isTrue();
    assertThat(HealthChecks.containerRunning(docker, "frozen").check(TIMEOUT).reason())
        .isEqualTo("paused");
    assertThat(HealthChecks.containerRunning(docker, "ghost").check(TIMEOUT).reason())
        .isEqualTo("no such container 'ghost'");
  }

  @Test
  void healthyStartingAndUnhealthyContainersAreUpDegradedAndDown() {
    FakeDocker docker =
        new FakeDocker()
            .with("ok", ContainerState.RUNNING, HealthStatus.HEALTHY, 0, null)
            .with("plain", ContainerState.RUNNING, HealthStatus.NONE, 0, null)
            .with("booting", ContainerState.RUNNING, HealthStatus.STARTING, 0, null)
            .with("sick", ContainerState.RUNNING, HealthStatus.UNHEALTHY, 0, null)
            .with("done", ContainerState.EXITED, HealthStatus.NONE, 0, null);

    CheckResult ok = HealthChecks.containerHealthy(docker, "ok").check(TIMEOUT);
    assertThat(ok.status()).isEqualTo(CheckStatus.UP);
    assertThat(ok.reason()).isEqualTo("1 of 1 healthy: ok");
    assertThat(ok.details()).containsEntry("ok", "running, healthy");
    assertThat(HealthChecks.containerHealthy(docker, "/plain").check(TIMEOUT).status())
        .isEqualTo(CheckStatus.UP);
    CheckResult booting = HealthChecks.containerHealthy(docker, "booting").check(TIMEOUT);
    assertThat(booting.status()).isEqualTo(CheckStatus.DEGRADED);
    assertThat(booting.reason()).isEqualTo("starting: booting (0 of 1 healthy)");
    CheckResult sick = HealthChecks.containerHealthy(docker, "sick").check(TIMEOUT);
    assertThat(sick.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(sick.reason()).isEqualTo("sick unhealthy (0 of 1 healthy)");
    CheckResult done = HealthChecks.containerHealthy(docker, "done").check(TIMEOUT);
    assertThat(done.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(done.reason()).isEqualTo("done exited (0) (0 of 1 healthy)");
    assertThat(HealthChecks.containerHealthy(docker, "ghost").check(TIMEOUT).reason())
        .isEqualTo("no container named 'ghost'");
  }

  @Test
  void aComposeProjectNeedsAtLeastNHealthyAndIgnoresCompletedJobs() {
    FakeDocker docker =
        new FakeDocker()
            .with("shop-web-1", ContainerState.RUNNING, HealthStatus.HEALTHY, 0, "shop")
            .with("shop-web-2", ContainerState.RUNNING, HealthStatus.STARTING, 0, "shop")
            .with("shop-migrate-1", ContainerState.EXITED, HealthStatus.NONE, 0, "shop")
            .with("other-db-1", ContainerState.RUNNING, HealthStatus.UNHEALTHY, 0, "other");

    assertThat(HealthChecks.composeProject(docker, "shop").check(TIMEOUT).status())
        .isEqualTo(CheckStatus.DEGRADED);
    CheckResult three = HealthChecks.composeProject(docker, "shop").atLeast(3).check(TIMEOUT);
    assertThat(three.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(three.reason())
        .isEqualTo(
            "only 1 healthy and 1 starting container(s) of compose project 'shop', at least 3 required");
    assertThat(HealthChecks.composeProject(docker, "other").check(TIMEOUT).reason())
        .isEqualTo("other-db-1 unhealthy (0 of 1 healthy)");
    assertThat(HealthChecks.composeProject(docker, "none").check(TIMEOUT).reason())
        .isEqualTo("no container of compose project 'none'");

    docker.with("shop-worker-1", ContainerState.EXITED, HealthStatus.NONE, 137, "shop");
    assertThat(HealthChecks.composeProject(docker, "shop").check(TIMEOUT).reason())
        .startsWith("shop-worker-1 exited (137)");
  }

  @Test
  void labelSelectionCountsHealthyContainers() {
    FakeDocker docker = new FakeDocker();
    docker.containers.add(
        new ContainerSummary(
            "abc",
            "a",
            "img",
            ContainerState.RUNNING,
            HealthStatus.HEALTHY,
            Instant.EPOCH,
            null,
            null,
            0,
            false,
            0,
            Map.of("tier", "web"),
            null,
            "local"));
    docker.containers.add(
        new ContainerSummary(
            "def",
            "b",
            "img",
            ContainerState.RUNNING,
            HealthStatus.HEALTHY,
            Instant.EPOCH,
            null,
            null,
            0,
            false,
            0,
            Map.of("tier", "web"),
            null,
            "local"));

    assertThat(
            HealthChecks.containersWithLabel(docker, "tier", "web")
                .atLeast(2)
                .check(TIMEOUT)
                .reason())
        .isEqualTo("2 of 2 healthy: a, b");
    assertThat(
            HealthChecks.containersWithLabel(docker, "tier", null)
                .atLeast(3)
                .check(TIMEOUT)
                .status())
        .isEqualTo(CheckStatus.DOWN);
    assertThat(
            HealthChecks.containersHealthy(docker, ContainerFilter.RUNNING).check(TIMEOUT).status())
        .isEqualTo(CheckStatus.UP);
  }

  @Test
  void badArgumentsAreRejected() {
    FakeDocker docker = new FakeDocker();
    assertThatThrownBy(() -> HealthChecks.containerHealthy(docker, " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HealthChecks.containerRunning(docker, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HealthChecks.composeProject(docker, ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HealthChecks.containersWithLabel(docker, "", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HealthChecks.composeProject(docker, "shop").atLeast(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HealthChecks.engineReachable(null))
        .isInstanceOf(NullPointerException.class);
  }
}
