package io.clustermonitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.core.stats.StatsSourceChoice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerMonitorBuilderTest {
  private final DockerEndpoint endpoint =
      DockerEndpoint.builder("unix:///nonexistent.sock").build();

  @Test
  void defaultsAreDocumentedValues() {
    DockerMonitor.Builder b = DockerMonitor.builder(endpoint);
    assertThat(b.statsSource()).isEqualTo(StatsSourceChoice.AUTO);
    assertThat(b.cgroupRoot()).isEqualTo(Path.of("/sys/fs/cgroup"));
    assertThat(b.procfsRoot()).isEqualTo(Path.of("/proc"));
    assertThat(b.samplingInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.resyncInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(b.readTimeout()).isEqualTo(endpoint.readTimeout());
    assertThat(b.firstSyncTimeout()).isEqualTo(endpoint.readTimeout());
  }

  @Test
  void everySettingIsAppliedAndNothingIsContactedBeforeTheFirstQuery(@TempDir Path cgroup) {
    DockerMonitor.Builder b =
        DockerMonitor.builder(endpoint)
            .statsSource(StatsSourceChoice.CGROUP)
            .cgroupRoot(cgroup)
            .procfsRoot(Path.of("/host/proc"))
            .samplingInterval(Duration.ofMillis(250))
            .resyncInterval(Duration.ofSeconds(30))
            .firstSyncTimeout(Duration.ZERO)
            .connectTimeout(Duration.ofSeconds(1))
            .readTimeout(Duration.ofSeconds(4));
    try (DockerMonitor m = b.build()) {
      assertThat(m.endpoint().uri()).isEqualTo(endpoint.uri());
      assertThat(m.endpoint().readTimeout()).isEqualTo(Duration.ofSeconds(4));
      assertThat(m.endpoint().connectTimeout()).isEqualTo(Duration.ofSeconds(1));
      var live = ((EngineDockerMonitor) m).liveEngineBuilder().build();
      try (live) {
        assertThat(live.samplingInterval()).isEqualTo(Duration.ofMillis(250));
      }
    }
    // the builder is reusable: a later change does not reach the monitor already built
    try (DockerMonitor m = b.build()) {
      b.readTimeout(Duration.ofSeconds(9));
      assertThat(m.endpoint().readTimeout()).isEqualTo(Duration.ofSeconds(4));
    }
  }

  @Test
  void badValuesAreAllNamedInOneClearError() {
    DockerMonitor.Builder b =
        DockerMonitor.builder(endpoint)
            .samplingInterval(Duration.ofMillis(10))
            .resyncInterval(null)
            .cgroupRoot(Path.of("relative/cgroup"))
            .procfsRoot(null)
            .readTimeout(Duration.ZERO)
            .connectTimeout(Duration.ofSeconds(-1))
            .firstSyncTimeout(Duration.ofSeconds(-1));
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid DockerMonitor settings: ")
        .hasMessageContaining("samplingInterval must be at least 100 ms, got 10 ms")
        .hasMessageContaining("resyncInterval must be at least 100 ms, got none")
        .hasMessageContaining("cgroupRoot must be an absolute path, got 'relative/cgroup'")
        .hasMessageContaining("procfsRoot must be set")
        .hasMessageContaining("readTimeout must be positive, got 0 ms")
        .hasMessageContaining("connectTimeout must be positive, got -1000 ms")
        .hasMessageContaining("firstSyncTimeout must not be negative");
    assertThatThrownBy(() -> DockerMonitor.builder(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpoint must be set");
    assertThatThrownBy(() -> DockerMonitor.builder(endpoint).statsSource(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("statsSource must be set");
  }

  @Test
  void aForcedCgroupSourceNeedsAnExistingCgroupRoot() {
    assertThatThrownBy(
            () ->
                DockerMonitor.builder(endpoint)
                    .statsSource(StatsSourceChoice.CGROUP)
                    .cgroupRoot(Path.of("/nonexistent/cgroup"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("statsSource is cgroup but cgroupRoot /nonexistent/cgroup");
  }

  @Test
  void fromEnvironmentAppliesEveryVariable() {
    DockerMonitor.Builder b =
        DockerMonitor.Builder.fromEnvironment(
            Map.of(
                "DOCKER_HOST", "tcp://127.0.0.1:2375",
                "CLUSTER_MONITOR_STATS_SOURCE", "Engine-API",
                "CLUSTER_MONITOR_CGROUP_ROOT", " /host/sys/fs/cgroup ",
                "CLUSTER_MONITOR_PROCFS", "/host/proc",
                "CLUSTER_MONITOR_SAMPLING_INTERVAL", "1.5s",
                "CLUSTER_MONITOR_RESYNC_INTERVAL", "2m"));
    assertThat(b.endpoint().uri().toString()).isEqualTo("tcp://127.0.0.1:2375");
    assertThat(b.statsSource()).isEqualTo(StatsSourceChoice.ENGINE_API);
    assertThat(b.cgroupRoot()).isEqualTo(Path.of("/host/sys/fs/cgroup"));
    assertThat(b.procfsRoot()).isEqualTo(Path.of("/host/proc"));
    assertThat(b.samplingInterval()).isEqualTo(Duration.ofMillis(1500));
    assertThat(b.resyncInterval()).isEqualTo(Duration.ofMinutes(2));
    try (DockerMonitor m = b.build()) {
      assertThat(m.endpoint().uri().getPort()).isEqualTo(2375);
    }
  }

  @Test
  void anEmptyEnvironmentGivesTheDefaults() {
    DockerMonitor.Builder b = DockerMonitor.Builder.fromEnvironment(Map.of());
    assertThat(b.endpoint().uri().toString()).isEqualTo(DockerEndpoint.DEFAULT_UNIX_SOCKET);
    assertThat(b.statsSource()).isEqualTo(StatsSourceChoice.AUTO);
    assertThat(b.samplingInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void badEnvironmentValuesNameTheVariable() {
    assertThatThrownBy(
            () ->
                DockerMonitor.Builder.fromEnvironment(
                    Map.of("CLUSTER_MONITOR_STATS_SOURCE", "magic")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CLUSTER_MONITOR_STATS_SOURCE must be auto, cgroup or engine-api, got 'magic'");
    assertThatThrownBy(
            () ->
                DockerMonitor.Builder.fromEnvironment(
                    Map.of("CLUSTER_MONITOR_SAMPLING_INTERVAL", "10 seconds")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CLUSTER_MONITOR_SAMPLING_INTERVAL must be a duration")
        .hasMessageContaining("10 seconds");
    assertThatThrownBy(
            () ->
                DockerMonitor.Builder.fromEnvironment(
                        Map.of("CLUSTER_MONITOR_SAMPLING_INTERVAL", "50ms"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("samplingInterval must be at least 100 ms, got 50 ms");
    assertThatThrownBy(
            () -> DockerMonitor.Builder.fromEnvironment(Map.of("DOCKER_HOST", "ftp://x:1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unsupported Docker address 'ftp://x:1'");
    assertThatThrownBy(() -> DockerMonitor.Builder.fromEnvironment(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void applyEnvironmentLeavesTheEndpointAlone() {
    DockerMonitor.Builder b =
        DockerMonitor.builder(endpoint)
            .applyEnvironment(
                Map.of("DOCKER_HOST", "tcp://10.0.0.1:2375", "CLUSTER_MONITOR_PROCFS", "/p"));
    assertThat(b.endpoint()).isEqualTo(endpoint);
    assertThat(b.procfsRoot()).isEqualTo(Path.of("/p"));
  }

  @Test
  void goDurationsParse() {
    assertThat(DockerMonitor.Builder.parseDuration("x", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(DockerMonitor.Builder.parseDuration("x", "1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DockerMonitor.Builder.parseDuration("x", "1h")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> DockerMonitor.Builder.parseDuration("--flag", "1d"))
        .hasMessage("--flag must be a duration such as 1s, 500ms or 1m, got '1d'");
  }
}
