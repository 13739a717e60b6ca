package io.clustermonitor.core.docs;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.cluster.ClusterMonitor;
import io.clustermonitor.core.cluster.ClusterResult;
import io.clustermonitor.core.events.ContainerEvent;
import io.clustermonitor.core.events.ContainerRegistry;
import io.clustermonitor.core.events.EngineClient;
import io.clustermonitor.core.health.CheckResult;
import io.clustermonitor.core.health.HealthCheck;
import io.clustermonitor.core.health.HealthChecks;
import io.clustermonitor.core.health.HealthSuite;
import io.clustermonitor.core.health.HttpCheck;
import io.clustermonitor.core.health.junit.HealthExtension;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.stats.CgroupStatsSource;
import io.clustermonitor.core.stats.StatsEngine;
import io.clustermonitor.core.stats.StatsSnapshot;
import io.clustermonitor.core.stats.StatsSource;
import io.clustermonitor.core.stats.StatsSourceChoice;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The examples of this module's public Javadoc: each {@code <pre>{@code ...}</pre>} block shows
 * exactly one tagged region of this file (checked by {@link JavadocExamplesTest}), so every example
 * compiles against the current API.
 */
final class JavadocExamples {
  private JavadocExamples() {}

  static void dockerMonitor() {
    // tag::DockerMonitor[]
    try (DockerMonitor docker =
        DockerMonitor.builder(DockerEndpoint.unixSocket(Path.of("/var/run/docker.sock")))
            .statsSource(StatsSourceChoice.AUTO)
            .build()) {
      StatsSnapshot snap = docker.snapshot(); // every container and its stats, from memory
      for (ContainerSummary c : snap.containers()) {
        ContainerStats s = snap.stats().get(c.id());
        String cpu =
            s == null || !s.hasCpuPercent() ? "-" : String.format("%.1f%%", s.cpuPercent());
        System.out.println(c.name() + " " + cpu);
      }
    }
    // end::DockerMonitor[]
  }

  static DockerMonitor dockerMonitorBuilder() {
    // tag::DockerMonitor#2[]
    DockerMonitor docker =
        DockerMonitor.builder(DockerEndpoint.unixSocket(Path.of("/run/docker.sock")))
            .statsSource(StatsSourceChoice.ENGINE_API)
            .cgroupRoot(Path.of("/host/sys/fs/cgroup"))
            .samplingInterval(Duration.ofSeconds(2))
            .build();
    // end::DockerMonitor#2[]
    return docker;
  }

  static List<DockerEndpoint> dockerEndpoint() {
    // tag::DockerEndpoint[]
    DockerEndpoint local = DockerEndpoint.fromEnvironment();
    DockerEndpoint remote =
        DockerEndpoint.builder("tcp://127.0.0.1:2376")
            .tls(Path.of("/etc/docker/certs"))
            .readTimeout(Duration.ofSeconds(5))
            .build();
    // end::DockerEndpoint[]
    return List.of(local, remote);
  }

  static ContainerFilter containerFilter() {
    // tag::ContainerFilter[]
    ContainerFilter web =
        ContainerFilter.builder()
            .namePattern("web-.*")
            .label("tier", "frontend")
            .composeProject("shop")
            .build();
    // end::ContainerFilter[]
    return web;
  }

  static void statsEngine() {
    // tag::StatsEngine[]
    try (StatsEngine engine =
        StatsEngine.builder(DockerEndpoint.fromEnvironment())
            .samplingInterval(Duration.ofSeconds(1))
            .buildAndStart()) {
      engine.snapshot().stats().values().stream()
          .filter(ContainerStats::hasCpuPercent) // CPU % needs two samples
          .forEach(c -> System.out.printf("%s %.1f%%%n", c.name(), c.cpuPercent()));
    }
    // end::StatsEngine[]
  }

  static StatsSource cgroupStatsSource() {
    // tag::CgroupStatsSource[]
    // inside a container with the host's trees mounted read-only
    StatsSource source =
        CgroupStatsSource.of(Path.of("/host/sys/fs/cgroup"), Path.of("/host/proc"));
    // end::CgroupStatsSource[]
    return source;
  }

  static void containerEvent(ContainerRegistry registry) {
    // tag::ContainerEvent[]
    registry.addListener(
        e -> {
          if (e.action() == ContainerEvent.Action.OOM) {
            System.out.println(e.name() + " ran out of memory");
          }
        });
    // end::ContainerEvent[]
  }

  static void containerRegistry(EngineClient engineClient) {
    // tag::ContainerRegistry[]
    try (ContainerRegistry registry =
        ContainerRegistry.builder(engineClient)
            .resyncInterval(Duration.ofMinutes(1))
            .buildAndStart()) {
      registry.containers().forEach(c -> System.out.println(c.name() + " " + c.state()));
    }
    // end::ContainerRegistry[]
  }

  static HealthCheck containersHealthyCheck(DockerMonitor docker) {
    // tag::ContainersHealthyCheck[]
    HealthCheck shop = HealthChecks.composeProject(docker, "shop").atLeast(3);
    // end::ContainersHealthyCheck[]
    return shop;
  }

  static HttpCheck httpCheck() {
    // tag::HttpCheck[]
    HttpCheck api =
        HealthChecks.http("http://127.0.0.1:3001/health")
            .expectStatus(200)
            .bodyContains("\"status\":\"UP\"");
    // end::HttpCheck[]
    return api;
  }

  static HealthSuite healthChecks(DockerMonitor docker) {
    // tag::HealthChecks[]
    HealthSuite suite =
        HealthSuite.builder()
            .check("engine", HealthChecks.engineReachable(docker))
            .check("db", HealthChecks.containerHealthy(docker, "db"))
            .check("postgres", HealthChecks.tcp("127.0.0.1", 5432))
            .check("targets", HealthChecks.prometheusTargets("http://127.0.0.1:9090"))
            .build();
    // end::HealthChecks[]
    return suite;
  }

  static void healthSuite(DockerMonitor docker) {
    // tag::HealthSuite[]
    HealthSuite suite =
        HealthSuite.builder()
            .check("engine", HealthChecks.engineReachable(docker))
            .check("shop", HealthChecks.composeProject(docker, "shop").atLeast(3))
            .check("api", HealthChecks.http("http://127.0.0.1:8080/health").expectStatus(200))
            .timeout(Duration.ofSeconds(5))
            .build();
    suite.waitUntilHealthy(Duration.ofMinutes(2)); // or suite.assertHealthy() in a test
    // end::HealthSuite[]
  }

  static HealthCheck prometheusTargetsCheck() {
    // tag::PrometheusTargetsCheck[]
    HealthCheck targets = HealthChecks.prometheusTargets("http://127.0.0.1:9090").job("node");
    // end::PrometheusTargetsCheck[]
    return targets;
  }

  static CheckResult checkResult() {
    // tag::CheckResult[]
    CheckResult r = CheckResult.down("connection refused").withDetail("url", "http://127.0.0.1:1/");
    // end::CheckResult[]
    return r;
  }

  static HealthCheck healthCheck() {
    // tag::HealthCheck[]
    HealthCheck disk =
        timeout ->
            new File("/").getUsableSpace() > 1L << 30
                ? CheckResult.up("more than 1 GiB free")
                : CheckResult.down("less than 1 GiB free");
    // end::HealthCheck[]
    return disk;
  }

  static List<HealthCheck> metricCheck() {
    // tag::MetricCheck[]
    HealthCheck pg = HealthChecks.metric("http://127.0.0.1:9187/metrics", "pg_up").atLeast(1);
    HealthCheck web =
        HealthChecks.metric("http://127.0.0.1:8081/metrics", "container_last_seen")
            .label("name", "web");
    // end::MetricCheck[]
    return List.of(pg, web);
  }

  static final class HealthExtensionExample {
    static final DockerMonitor DOCKER = DockerMonitor.fromEnvironment();

    // tag::HealthExtension[]
    @RegisterExtension
    static final HealthExtension HEALTH =
        HealthExtension.waitFor(
            HealthSuite.of("shop", HealthChecks.composeProject(DOCKER, "shop").atLeast(2)),
            Duration.ofMinutes(2));
    // end::HealthExtension[]
  }

  static void clusterMonitor() {
    // tag::ClusterMonitor[]
    try (ClusterMonitor cluster =
        ClusterMonitor.builder()
            .add(DockerEndpoint.fromEnvironment())
            .add(DockerEndpoint.builder("tcp://10.0.0.7:2375").name("db-host").build())
            .hostTimeout(Duration.ofSeconds(2))
            .build()) {
      ClusterResult<List<ContainerSummary>> running = cluster.containers(ContainerFilter.RUNNING);
      running.failures().forEach((host, error) -> System.err.println(host + ": " + error));
    }
    // end::ClusterMonitor[]
  }
}
