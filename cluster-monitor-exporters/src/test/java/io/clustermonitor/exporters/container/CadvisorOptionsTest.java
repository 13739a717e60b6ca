package io.clustermonitor.exporters.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.HealthStatus;
import io.clustermonitor.core.model.ResourceLimits;
import io.clustermonitor.core.stats.StatsSnapshot;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CadvisorOptionsTest {

  @Test
  void defaultKindsAreCadvisorsAndDisableMetricsReplacesTheDefaultList() {
    assertThat(MetricKinds.defaults())
        .containsExactlyInAnyOrder(
            "cpu",
            "percpu",
            "memory",
            "cpuLoad",
            "diskIO",
            "disk",
            "network",
            "app",
            "perf_event",
            "oom_event");
    // the surprising one: naming percpu turns every default-disabled kind on
    assertThat(MetricKinds.resolve(List.of("percpu"), null))
        .contains("tcp", "udp", "process", "sched", "hugetlb")
        .doesNotContain("percpu");
    assertThat(MetricKinds.resolve(List.of("percpu"), List.of("cpu", "memory")))
        .as("a non-empty --enable_metrics wins")
        .containsExactlyInAnyOrder("cpu", "memory");
    assertThat(MetricKinds.resolve(List.of(), null)).isEqualTo(MetricKinds.ALL);
    assertThatThrownBy(() -> MetricKinds.resolve(List.of("cpu", "nope"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported metric \"nope\"");
  }

  @Test
  void kindsGateTheirFamiliesAndPercpuOffGivesTotal() {
    ContainerCollector c =
        ContainerCollector.builder(Fixtures::snapshot, Fixtures::systemInfo)
            .metricKinds(MetricKinds.resolve(List.of("percpu", "memory"), null))
            .build();

    String text = CollectorTestKit.render(c);

    assertThat(text)
        .contains("cpu=\"total\"")
        .doesNotContain("cpu=\"cpu01\"")
        .doesNotContain("container_memory_usage_bytes")
        .contains("container_processes{") // process kind now on
        .contains("container_spec_memory_limit_bytes{"); // spec: always
  }

  @Test
  void allLabelsPutOnlyTheContainersOwnLabelsOnItsSeries() {
    ContainerCollector c =
        ContainerCollector.builder(Fixtures::snapshot, Fixtures::systemInfo)
            .storeContainerLabels(true)
            .build();

    String text = CollectorTestKit.render(c);

    assertThat(text)
        .contains("container_label_secret_label=\"hidden\"")
        .contains("container_label_com_docker_compose_service=\"web\"");
    for (String line : text.split("\n")) {
      if (line.contains("name=\"burner\"")) {
        assertThat(line)
            .as("no union of other containers' label names")
            .doesNotContain("container_label_");
      }
    }
  }

  @Test
  void envAllowListReadsOnlyListedNamesFromTheInitProcess(@TempDir Path dir) throws Exception {
    String id = Fixtures.WEB_ID;
    Path procs = dir.resolve("cg/cpuacct/docker/" + id);
    Files.createDirectories(procs);
    Files.writeString(procs.resolve("cgroup.procs"), "4242\n4243\n");
    Files.createDirectories(dir.resolve("proc/4242"));
    Files.write(
        dir.resolve("proc/4242/environ"),
        "PATH=/bin\0APP_VERSION=1.2\0APP_TIER=web\0DB_PASSWORD=s3cret\0"
            .getBytes(StandardCharsets.UTF_8));

    String text =
        CollectorTestKit.render(
            ContainerCollector.builder(Fixtures::snapshot, Fixtures::systemInfo)
                .envAllowList(List.of("APP_"))
                .hostRoots(dir.resolve("cg"), dir.resolve("proc"))
                .build());
    String none =
        CollectorTestKit.render(
            ContainerCollector.builder(Fixtures::snapshot, Fixtures::systemInfo)
                .hostRoots(dir.resolve("cg"), dir.resolve("proc"))
                .build());

    assertThat(text)
        .contains("container_env_app_version=\"1.2\"")
        .contains("container_env_app_tier=\"web\"")
        .doesNotContain("s3cret")
        .doesNotContain("container_env_path");
    assertThat(none).doesNotContain("container_env_");
  }

  @Test
  void machineFactsComeFromCpuinfoAndTheIdFiles(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("etc"));
    Files.createDirectories(dir.resolve("proc/sys/kernel/random"));
    Files.createDirectories(dir.resolve("sys/class/dmi/id"));
    Files.writeString(dir.resolve("etc/machine-id"), "abc123\n");
    Files.writeString(dir.resolve("proc/sys/kernel/random/boot_id"), "b-1\n");
    Files.writeString(dir.resolve("sys/class/dmi/id/product_uuid"), "UUID-1\n");
    StringBuilder cpuinfo = new StringBuilder();
    int n = 0;
    for (int socket = 0; socket < 2; socket++) {
      for (int core = 0; core < 2; core++) {
        for (int thread = 0; thread < 2; thread++) {
          cpuinfo.append("processor\t: ").append(n++).append('\n');
          cpuinfo.append("physical id\t: ").append(socket).append('\n');
          cpuinfo.append("core id\t\t: ").append(core).append("\n\n");
        }
      }
    }
    Files.writeString(dir.resolve("proc/cpuinfo"), cpuinfo);

    MachineFacts m = MachineFacts.read(dir.resolve("etc"), dir.resolve("proc"), dir.resolve("sys"));

    assertThat(m).isEqualTo(new MachineFacts("abc123", "UUID-1", "b-1", 4, 2));
    assertThat(MachineFacts.read(dir.resolve("x"), dir.resolve("x"), dir.resolve("x")))
        .isEqualTo(MachineFacts.UNKNOWN);
    String text =
        CollectorTestKit.render(
            ContainerCollector.builder(Fixtures::snapshot, Fixtures::systemInfo)
                .machineFacts(() -> m)
                .exporterVersion("1.0.0")
                .build());
    assertThat(text)
        .contains(
            "machine_cpu_physical_cores{boot_id=\"b-1\",machine_id=\"abc123\",system_uuid=\"UUID-1\"} 4")
        .contains(
            "machine_cpu_sockets{boot_id=\"b-1\",machine_id=\"abc123\",system_uuid=\"UUID-1\"} 2")
        .contains("cadvisorVersion=\"1.0.0\"");
  }

  @Test
  void anEngineApiSampleWithoutDetailsKeepsCpuTotalAndMajorMinorDevices() {
    StatsSnapshot s = Fixtures.snapshot();
    var web =
        Fixtures.container(
            "e".repeat(64),
            "remote",
            ContainerState.RUNNING,
            HealthStatus.NONE,
            Map.of(),
            ResourceLimits.NONE);
    var stats =
        io.clustermonitor.core.model.ContainerStats.of(
            web.id(),
            "remote",
            "local",
            null,
            Fixtures.sample(
                1_000_000_000L,
                List.of(),
                List.of(new io.clustermonitor.core.model.BlockDeviceStats(8, 0, 1, 2, 3, 4))));
    StatsSnapshot remote =
        new StatsSnapshot(
            "local",
            s.at(),
            true,
            "",
            "engine-api",
            List.of(web),
            Map.of(web.id(), stats),
            Map.of());

    String text =
        CollectorTestKit.render(
            ContainerCollector.builder(() -> remote, Fixtures::systemInfo).build());

    assertThat(text)
        .contains("container_cpu_usage_seconds_total{cpu=\"total\"")
        .contains("container_fs_reads_bytes_total{device=\"8:0\"")
        .doesNotContain("container_fs_usage_bytes");
  }
}
