package io.clustermonitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.clustermonitor.core.livetest.DockerCli;
import io.clustermonitor.core.model.AggregateStats;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.HealthStatus;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The typed client against the real engine (DOCKER_HOST, default /var/run/docker.sock). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerMonitorIT {
  private static final String SECRET = "s3cr3t-value";
  private static final long MIB = 1024 * 1024;

  private DockerCli cli;
  private DockerMonitor docker;

  @BeforeAll
  void connect() {
    cli = new DockerCli(DockerMonitorIT.class);
    docker = DockerMonitor.connect(DockerEndpoint.builder(DockerCli.DOCKER_HOST).build());
  }

  @AfterAll
  void cleanUp() {
    try {
      docker.close();
    } finally {
      cli.close();
    }
  }

  private ContainerFilter.Builder mine() {
    return ContainerFilter.builder().label(cli.runLabel(), cli.runId());
  }

  private String name(String suffix) {
    return ("cm-" + cli.runId() + "-" + suffix).toLowerCase(java.util.Locale.ROOT);
  }

  @Test
  void aHalfCpuBurnerReportsAboutFiftyPercentInTwoSamples() {
    String id =
        cli.run("--name", name("burner"), "--cpus", "0.5", "IMAGE", "sh", "-c", "yes >/dev/null");

    // Two consecutive, distinct samples in range (the live engine may answer the same sample twice;
    // the first may come while the burner starts up).
    List<ContainerStats> samples = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollDelay(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              ContainerStats now = docker.stats(id);
              if (samples.isEmpty() || !samples.get(samples.size() - 1).read().equals(now.read())) {
                samples.add(now);
              }
              List<Double> cpu = samples.stream().map(ContainerStats::cpuPercent).toList();
              assertThat(cpu.subList(Math.max(0, cpu.size() - 2), cpu.size()))
                  .as("CPU %% samples so far %s", cpu)
                  .hasSize(2)
                  .allMatch(c -> c >= 35 && c <= 65);
            });

    ContainerSummary s = docker.containers(mine().namePattern(".*-burner").build()).get(0);
    assertThat(s.limits().cpuLimitCores()).isEqualTo(0.5);
  }

  @Test
  void aMemoryLimitIsReportedAndMemoryPercentIsAgainstIt() {
    String id = cli.run("--name", name("mem"), "--memory", "64m", "IMAGE", "sleep", "600");

    ContainerStats stats = docker.stats(id);

    assertThat(stats.memoryLimitBytes()).isEqualTo(64 * MIB);
    assertThat(stats.memoryWorkingSetBytes()).isPositive().isLessThan(64 * MIB);
    assertThat(stats.memoryPercent())
        .isPositive()
        .isEqualTo(stats.memoryWorkingSetBytes() * 100.0 / (64 * MIB));
    assertThat(stats.pids()).isEqualTo(1);
    assertThat(stats.cpuPercent()).isBetween(0.0, 5.0);
    assertThat(stats.name()).isEqualTo(name("mem"));
    ContainerSummary summary = docker.container(id).summary();
    assertThat(summary.limits().memoryLimitBytes()).isEqualTo(64 * MIB);
  }

  @Test
  void aPassingHealthCheckGoesFromStartingToHealthy() {
    String id =
        cli.run(
            "--name",
            name("healthy"),
            "--health-cmd",
            "ls /tmp/ready",
            "--health-interval",
            "1s",
            "--health-timeout",
            "2s",
            "--health-retries",
            "1",
            "--health-start-period",
            "60s",
            "IMAGE",
            "sh",
            "-c",
            "sleep 4; mkdir /tmp/ready; sleep 600");

    assertThat(docker.container(id).summary().health()).isEqualTo(HealthStatus.STARTING);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> docker.container(id).summary().health() == HealthStatus.HEALTHY);
    assertThat(docker.container(id).healthCheckCommand()).contains("ls /tmp/ready");
  }

  @Test
  void aFailingHealthCheckBecomesUnhealthy() {
    String id =
        cli.run(
            "--name",
            name("unhealthy"),
            "--health-cmd",
            "false",
            "--health-interval",
            "1s",
            "--health-timeout",
            "2s",
            "--health-retries",
            "1",
            "IMAGE",
            "sleep",
            "600");

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> docker.container(id).summary().health() == HealthStatus.UNHEALTHY);
  }

  @Test
  void aStoppedContainerIsListedAsExitedWithItsExitCodeWhenAllAreAsked() {
    String id = cli.run("--name", name("exited"), "IMAGE", "sh", "-c", "exit 3");

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> docker.container(id).summary().state() == ContainerState.EXITED);

    List<ContainerSummary> all = docker.containers(mine().allStates().build());
    ContainerSummary exited = all.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    assertThat(exited.state()).isEqualTo(ContainerState.EXITED);
    assertThat(exited.exitCode()).isEqualTo(3);
    // The engine may stamp a process that exits at once as finished a little before started.
    assertThat(exited.finishedAt())
        .isNotNull()
        .isCloseTo(exited.startedAt(), within(Duration.ofMinutes(1)));
    assertThat(exited.running()).isFalse();
    assertThat(docker.containers(mine().build()))
        .extracting(ContainerSummary::id)
        .doesNotContain(id);
    assertThat(docker.containers(ContainerFilter.ALL))
        .extracting(ContainerSummary::id)
        .contains(id);
  }

  @Test
  void anEnvironmentValueNeverLeavesTheLibrary() throws Exception {
    String id =
        cli.run(
            "--name",
            name("secret"),
            "-e",
            "SECRET_TOKEN=" + SECRET,
            "--label",
            "note=plain",
            "IMAGE",
            "sleep",
            "600");
    ObjectMapper json =
        new ObjectMapper()
            .registerModule(
                new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));

    ContainerDetails details = docker.container(id);
    List<ContainerSummary> list = docker.containers(mine().build());
    ContainerStats stats = docker.stats(id);
    StatsSnapshot snapshot = docker.snapshot();

    assertThat(details.environmentNames()).contains("SECRET_TOKEN");
    for (Object value : List.of(details, list, stats, snapshot, docker.systemInfo())) {
      assertThat(value.toString()).doesNotContain(SECRET);
      assertThat(json.writeValueAsString(value)).doesNotContain(SECRET);
    }
    assertThat(json.writeValueAsString(details)).contains("SECRET_TOKEN");
  }

  @Test
  void anUnknownContainerIsNotFound() {
    String unknown = "cm-missing-" + UUID.randomUUID();

    assertThatThrownBy(() -> docker.container(unknown))
        .isInstanceOf(ContainerNotFoundException.class)
        .hasMessageContaining(unknown)
        .extracting(e -> ((ContainerNotFoundException) e).container())
        .isEqualTo(unknown);
    assertThatThrownBy(() -> docker.stats(unknown)).isInstanceOf(ContainerNotFoundException.class);
  }

  @Test
  void badIdsAreRejectedBeforeAnyEngineCall() {
    assertThatThrownBy(() -> docker.container("../../info"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> docker.stats(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void filtersSelectByStateNamePatternLabelAndComposeProject() {
    String project = "cmproj" + cli.runId().toLowerCase(java.util.Locale.ROOT).replace("-", "");
    String web =
        cli.run(
            "--name",
            name("web-1"),
            "--label",
            "tier=frontend",
            "--label",
            ContainerSummary.COMPOSE_PROJECT_LABEL + "=" + project,
            "--label",
            ContainerSummary.COMPOSE_SERVICE_LABEL + "=web",
            "IMAGE",
            "sleep",
            "600");
    String db = cli.run("--name", name("db-1"), "--label", "tier=backend", "IMAGE", "sleep", "600");
    String done = cli.run("--name", name("job-1"), "--label", "tier=batch", "IMAGE", "true");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> docker.container(done).summary().state() == ContainerState.EXITED);

    assertThat(docker.containers(mine().namePattern(".*-(web|db)-1").build()))
        .extracting(ContainerSummary::id)
        .containsExactlyInAnyOrder(web, db);
    assertThat(docker.containers(mine().label("tier", "frontend").build()))
        .extracting(ContainerSummary::id)
        .containsExactly(web);
    assertThat(docker.containers(mine().label("tier").allStates().build()))
        .extracting(ContainerSummary::id)
        .contains(web, db, done);
    List<ContainerSummary> composed = docker.containers(mine().composeProject(project).build());
    assertThat(composed).extracting(ContainerSummary::id).containsExactly(web);
    assertThat(composed.get(0).composeProject()).isEqualTo(project);
    assertThat(composed.get(0).composeService()).isEqualTo("web");
    assertThat(docker.containers(mine().states(ContainerState.EXITED).label("tier").build()))
        .extracting(ContainerSummary::id)
        .containsExactly(done);
    assertThat(docker.containers(mine().namePattern("no-such-.*").allStates().build())).isEmpty();
  }

  @Test
  void systemInfoDescribesTheEngineAndTheNegotiatedApi() {
    SystemInfo info = docker.systemInfo();

    assertThat(info.host()).isEqualTo(docker.endpoint().name());
    assertThat(info.engine().apiVersion()).matches("1\\.\\d+");
    assertThat(
            io.clustermonitor.core.internal.DockerClients.compareVersions(
                info.engine().apiVersion(), "1.41"))
        .isGreaterThanOrEqualTo(0);
    assertThat(info.machine().osType()).isEqualTo("linux");
    assertThat(info.machine().cpus()).isPositive();
    assertThat(info.machine().memoryBytes()).isPositive();
    assertThat(info.engine().cgroupVersion()).isIn("1", "2");
    assertThat(info.engine().cgroupDriver()).isIn("cgroupfs", "systemd");
    assertThat(info.engine().version()).isNotBlank();
    assertThat(info.statsSource()).isNotBlank();
  }

  @Test
  void aTooHighMinimumApiVersionIsRefused() {
    try (DockerMonitor picky =
        DockerMonitor.connect(
            DockerEndpoint.builder(DockerCli.DOCKER_HOST).minimumApiVersion("1.99").build())) {
      assertThatThrownBy(picky::systemInfo)
          .isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining("older than the minimum 1.99");
    }
  }

  @Test
  void aggregateAndSnapshotCoverRunningContainers() {
    String id = cli.run("--name", name("agg"), "--memory", "32m", "IMAGE", "sleep", "600");

    AggregateStats agg = docker.aggregateStats();
    // the live engine may need one sampling interval for a container it has just seen
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> docker.snapshot().stats().containsKey(id));
    StatsSnapshot snap = docker.snapshot();

    assertThat(agg.containers()).isGreaterThanOrEqualTo(1);
    assertThat(agg.memoryLimitBytes()).isGreaterThanOrEqualTo(32 * MIB);
    assertThat(snap.engineUp()).isTrue();
    assertThat(snap.host()).isEqualTo(docker.endpoint().name());
    assertThat(snap.containers()).extracting(ContainerSummary::id).contains(id);
    Map<String, ContainerStats> stats = snap.stats();
    assertThat(stats).containsKey(id);
    assertThat(stats.get(id).memoryLimitBytes()).isEqualTo(32 * MIB);
    assertThat(stats.get(id).name()).isEqualTo(name("agg"));
  }

  @Test
  void aClosedMonitorRefusesQueries() {
    DockerMonitor m = DockerMonitor.connect(DockerEndpoint.builder(DockerCli.DOCKER_HOST).build());
    m.systemInfo();
    m.close();
    m.close();

    assertThatThrownBy(m::systemInfo)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(m::trySnapshot)
        .isInstanceOf(ClosedException.class)
        .hasMessageContaining(m.endpoint().toString());
  }
}
