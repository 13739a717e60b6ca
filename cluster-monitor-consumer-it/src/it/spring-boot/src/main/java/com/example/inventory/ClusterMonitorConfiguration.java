package com.example.inventory;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.stats.StatsSourceChoice;
import io.clustermonitor.exporters.CollectorBridge;
import io.clustermonitor.exporters.container.ContainerMetrics;
import io.clustermonitor.exporters.node.HostMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

// docs/embedding.md quotes the region below verbatim (verify.groovy checks it).
// [spring]
@Configuration
class ClusterMonitorConfiguration {
  @Bean(destroyMethod = "close")
  DockerMonitor dockerMonitor() {
    return DockerMonitor.builder(DockerEndpoint.unixSocket(Path.of("/var/run/docker.sock")))
        .statsSource(StatsSourceChoice.ENGINE_API)
        .build();
  }

  @Bean(destroyMethod = "close")
  CollectorBridge containerMetrics(DockerMonitor docker, PrometheusMeterRegistry meters) {
    return ContainerMetrics.builder(docker).register(meters.getPrometheusRegistry());
  }

  @Bean(destroyMethod = "close")
  CollectorBridge hostMetrics(PrometheusMeterRegistry meters) {
    return HostMetrics.builder().register(meters.getPrometheusRegistry());
  }
}
// [spring]
