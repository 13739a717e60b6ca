package io.clustermonitor.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.core.stats.EngineApiStatsSource;
import io.clustermonitor.core.stats.StatsTarget;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EngineClientTest {
  private final DockerEndpoint nowhere =
      DockerEndpoint.builder("unix:///nonexistent/docker.sock")
          .connectTimeout(Duration.ofMillis(200))
          .build();

  @Test
  void badArgumentsAreRejected() {
    assertThatThrownBy(() -> io.clustermonitor.core.internal.DockerJavaEngineClient.create(null, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpoint");
    assertThatThrownBy(
            () -> io.clustermonitor.core.internal.DockerJavaEngineClient.create(nowhere, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxStreams must be at least 1");
    assertThatThrownBy(() -> new EngineApiStatsSource(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void anUnreachableEngineFailsCallsWithEngineUnavailableAndClosedClientsRefuseCalls() {
    EngineClient client = io.clustermonitor.core.internal.DockerJavaEngineClient.create(nowhere, 1);
    assertThat(client.host()).isEqualTo("local");
    assertThatThrownBy(client::listContainers).isInstanceOf(EngineUnavailableException.class);
    assertThatThrownBy(() -> client.events(null)).isInstanceOf(RuntimeException.class);
    client.close();
    client.close();
    assertThatThrownBy(client::listContainers)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void theEngineApiSourceOnAnUnreachableEngineHasNoSampleAndClosesCleanly() {
    try (EngineClient client =
            io.clustermonitor.core.internal.DockerJavaEngineClient.create(nowhere, 2);
        EngineApiStatsSource source = new EngineApiStatsSource(client)) {
      StatsTarget t = new StatsTarget("abc", 0);
      source.track(t);
      assertThat(source.sample(t)).isEmpty();
      assertThat(source.openStreams()).isEqualTo(1);
      source.untrack("abc");
      assertThat(source.openStreams()).isZero();
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(
            t -> t.isAlive() && t.getName().startsWith("cluster-monitor-stats-reconnect-local"));
  }
}
