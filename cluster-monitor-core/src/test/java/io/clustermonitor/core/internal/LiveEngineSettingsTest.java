package io.clustermonitor.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveEngineSettingsTest {
  private final DockerEndpoint endpoint =
      DockerEndpoint.builder("unix:///nonexistent.sock").build();

  @Test
  void anUnknownStatsSourceIsRejectedWhenTheMonitorIsCreated() {
    assertThatThrownBy(
            () ->
                DefaultDockerMonitor.create(
                    endpoint, Map.of(DefaultDockerMonitor.STATS_SOURCE_ENV, "magic")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CLUSTER_MONITOR_STATS_SOURCE must be auto, cgroup or engine-api")
        .hasMessageContaining("magic");
  }

  @Test
  void knownSettingsAreAcceptedAndNothingIsContactedBeforeTheFirstQuery() {
    try (DockerMonitor m =
        DefaultDockerMonitor.create(
            endpoint,
            Map.of(
                DefaultDockerMonitor.STATS_SOURCE_ENV, "Engine-API",
                DefaultDockerMonitor.CGROUP_ROOT_ENV, "/host/sys/fs/cgroup",
                DefaultDockerMonitor.PROCFS_ENV, "/host/proc"))) {
      assertThat(m.endpoint()).isEqualTo(endpoint);
    }
    assertThatThrownBy(() -> DefaultDockerMonitor.create(endpoint, null))
        .isInstanceOf(NullPointerException.class);
  }
}
