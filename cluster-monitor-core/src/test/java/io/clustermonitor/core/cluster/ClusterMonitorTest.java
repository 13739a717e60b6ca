package io.clustermonitor.core.cluster;

import static io.clustermonitor.core.events.FakeEngineClient.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerSummary;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ClusterMonitorTest {

  /** A monitor whose containers() answers with {@code answer}; close() sets {@code closed}. */
  private static DockerMonitor monitor(
      Supplier<List<ContainerSummary>> answer, AtomicBoolean closed) {
    return (DockerMonitor)
        Proxy.newProxyInstance(
            DockerMonitor.class.getClassLoader(),
            new Class<?>[] {DockerMonitor.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "containers" -> answer.get();
                  case "close" -> {
                    closed.set(true);
                    yield null;
                  }
                  case "toString" -> "fake";
                  case "hashCode" -> 1;
                  case "equals" -> proxy == args[0];
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  @Test
  void queriesAllHostsConcurrentlyAndReportsAFailedAndASlowHostWithoutFailingTheOthers() {
    AtomicBoolean closed = new AtomicBoolean();
    DockerMonitor good =
        monitor(() -> List.of(summary("a", "web", ContainerState.RUNNING)), closed);
    DockerMonitor down =
        monitor(
            () -> {
              throw new EngineUnavailableException(
                  "tcp://10.0.0.9:2375", "connection refused", null);
            },
            closed);
    DockerMonitor slow =
        monitor(
            () -> {
              try {
                Thread.sleep(10_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return List.of();
            },
            closed);

    try (ClusterMonitor cluster =
        ClusterMonitor.builder()
            .add("good", good)
            .add("down", down)
            .add("slow", slow)
            .hostTimeout(Duration.ofMillis(500))
            .build()) {
      long t0 = System.nanoTime();
      ClusterResult<List<ContainerSummary>> r = cluster.containers(ContainerFilter.RUNNING);
      long millis = (System.nanoTime() - t0) / 1_000_000;

      // generous on a loaded machine, and still below the slow host's 10 s
      assertThat(millis).as("hosts run concurrently, bounded by the timeout").isLessThan(8_000);
      assertThat(cluster.hosts()).containsExactly("good", "down", "slow");
      assertThat(r.hosts()).extracting(HostResult::host).containsExactly("good", "down", "slow");
      assertThat(r.values()).containsOnlyKeys("good");
      assertThat(r.values().get("good")).extracting(ContainerSummary::id).containsExactly("a");
      assertThat(r.failures().get("down")).contains("connection refused");
      assertThat(r.failures().get("slow")).contains("timed out after 500 ms");
      assertThat(r.allOk()).isFalse();
      assertThat(r.host("good").ok()).isTrue();
      assertThat(r.host("slow").took()).isEqualTo(Duration.ofMillis(500));
    }
    assertThat(closed).as("monitors given to the cluster are not closed by it").isFalse();
  }

  @Test
  void badInputIsRejected() {
    AtomicBoolean closed = new AtomicBoolean();
    DockerMonitor m = monitor(List::of, closed);
    assertThatThrownBy(() -> ClusterMonitor.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one host");
    assertThatThrownBy(() -> ClusterMonitor.builder().add("a", m).add("a", m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("used twice");
    assertThatThrownBy(() -> ClusterMonitor.builder().add(" ", m))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClusterMonitor.builder().hostTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    ClusterMonitor cluster = ClusterMonitor.builder().add("a", m).build();
    assertThatThrownBy(() -> cluster.containers(null)).isInstanceOf(NullPointerException.class);
    cluster.close();
    assertThatThrownBy(() -> cluster.query(DockerMonitor::systemInfo))
        .isInstanceOf(io.clustermonitor.core.ClosedException.class)
        .hasMessage("cluster monitor is closed");
    assertThatThrownBy(() -> HostResult.failed("h", " ", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClusterResult<String>(List.of()).host("x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
