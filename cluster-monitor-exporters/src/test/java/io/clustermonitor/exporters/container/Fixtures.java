package io.clustermonitor.exporters.container;

import io.clustermonitor.core.model.BlockDeviceStats;
import io.clustermonitor.core.model.BlockIoStats;
import io.clustermonitor.core.model.ContainerCounts;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.EngineInfo;
import io.clustermonitor.core.model.FilesystemUsage;
import io.clustermonitor.core.model.HealthStatus;
import io.clustermonitor.core.model.HostInfo;
import io.clustermonitor.core.model.NetworkInterfaceStats;
import io.clustermonitor.core.model.ResourceLimits;
import io.clustermonitor.core.model.StatsDetails;
import io.clustermonitor.core.model.StatsSample;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Constructed snapshots, shaped like what the live stats engine reports on this machine. */
final class Fixtures {
  static final String WEB_ID = "a".repeat(60) + "0001";
  static final String BURNER_ID = "b".repeat(60) + "0002";
  static final String NEW_ID = "c".repeat(60) + "0003";
  static final String DONE_ID = "d".repeat(60) + "0004";
  static final Instant AT = Instant.parse("2026-11-26T18:00:00Z");

  private Fixtures() {}

  static ContainerSummary container(
      String id,
      String name,
      ContainerState state,
      HealthStatus health,
      Map<String, String> labels,
      ResourceLimits limits) {
    return new ContainerSummary(
        id,
        name,
        "cluster-monitor/busybox:test",
        state,
        health,
        Instant.parse("2026-11-26T17:00:00Z"),
        state == ContainerState.RUNNING ? Instant.parse("2026-11-26T17:00:01Z") : null,
        state == ContainerState.EXITED ? Instant.parse("2026-11-26T17:30:00Z") : null,
        state == ContainerState.EXITED ? 137 : 0,
        state == ContainerState.EXITED,
        state == ContainerState.EXITED ? 2 : 0,
        labels,
        limits,
        "local");
  }

  static StatsSample sample(
      long cpuNanos, List<NetworkInterfaceStats> nets, List<BlockDeviceStats> disks) {
    return sample(cpuNanos, nets, disks, StatsDetails.NONE);
  }

  static StatsSample sample(
      long cpuNanos,
      List<NetworkInterfaceStats> nets,
      List<BlockDeviceStats> disks,
      StatsDetails details) {
    return StatsSample.builder(AT.minusSeconds(1))
        .cpuTotalNanos(cpuNanos)
        .cpuUserNanos(cpuNanos * 3 / 4)
        .cpuSystemNanos(cpuNanos / 4)
        .onlineCpus(2)
        .cpuPeriods(120)
        .cpuThrottledPeriods(30)
        .cpuThrottledNanos(1_500_000_000L)
        .memoryUsageBytes(20_971_520)
        .memoryWorkingSetBytes(16_777_216)
        .memoryLimitBytes(67_108_864)
        .memoryLimited(true)
        .memoryRssBytes(12_582_912)
        .memoryCacheBytes(4_194_304)
        .memoryMaxUsageBytes(25_165_824)
        .memoryFailcnt(1)
        .networks(nets)
        .blockDevices(disks)
        .pids(3)
        .details(details)
        .build();
  }

  /** What the cgroup reader gives for a v1 container with blkio entries and a measured layer. */
  static StatsDetails webDetails() {
    return new StatsDetails(
        List.of(1_500_000_000L, 1_000_000_000L),
        1_048_576,
        5000,
        12,
        5100,
        13,
        33_554_432,
        List.of(
            new BlockIoStats(
                8,
                0,
                "/dev/sda",
                Map.of("Read", 4096L, "Write", 8192L, "Total", 12288L),
                Map.of("Read", 1L, "Write", 2L, "Total", 3L),
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                0)),
        new FilesystemUsage(
            "/dev/vda", 52_490_240, 52_432_896, 7, 270_553_174_016L, AT.minusSeconds(20), true));
  }

  static StatsSnapshot snapshot() {
    ContainerSummary web =
        container(
            WEB_ID,
            "web",
            ContainerState.RUNNING,
            HealthStatus.HEALTHY,
            Map.of("com.docker.compose.service", "web", "secret.label", "hidden"),
            ResourceLimits.NONE);
    ContainerSummary burner =
        container(
            BURNER_ID,
            "burner",
            ContainerState.RUNNING,
            HealthStatus.NONE,
            Map.of(),
            new ResourceLimits(67_108_864, 134_217_728, 0, 0, 0, 500_000_000, 0));
    ContainerSummary fresh =
        container(
            NEW_ID,
            "fresh",
            ContainerState.RUNNING,
            HealthStatus.STARTING,
            Map.of(),
            ResourceLimits.NONE);
    ContainerSummary done =
        container(
            DONE_ID,
            "done",
            ContainerState.EXITED,
            HealthStatus.NONE,
            Map.of(),
            ResourceLimits.NONE);
    Map<String, ContainerStats> stats = new HashMap<>();
    stats.put(
        WEB_ID,
        ContainerStats.of(
            WEB_ID,
            "web",
            "local",
            null,
            sample(
                2_500_000_000L,
                List.of(new NetworkInterfaceStats("eth0", 1000, 10, 1, 2, 2000, 20, 3, 4)),
                List.of(new BlockDeviceStats(8, 0, 4096, 8192, 1, 2)),
                webDetails())));
    stats.put(
        BURNER_ID,
        ContainerStats.of(
            BURNER_ID,
            "burner",
            "local",
            null,
            sample(
                12_250_000_000L,
                List.of(),
                List.of(),
                new StatsDetails(
                    List.of(0L, 12_250_000_000L), 0, 900, 0, 900, 0, 0, List.of(), null))));
    return new StatsSnapshot(
        "local",
        AT,
        true,
        "",
        "cgroup",
        List.of(web, burner, fresh, done),
        stats,
        Map.of(BURNER_ID, 1L));
  }

  static SystemInfo systemInfo() {
    return new SystemInfo(
        "local",
        new EngineInfo("20.10.24", "1.41", "overlay2", "cgroupfs", "1", 5),
        new HostInfo(
            "Debian GNU/Linux 12 (bookworm)",
            "linux",
            "x86_64",
            "6.1.0-test",
            "host1",
            2,
            8_343_000_000L),
        new ContainerCounts(4, 3, 0, 1),
        "cgroup");
  }

  static List<ContainerSummary> many(int n) {
    List<ContainerSummary> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          container(
              String.format("%064x", i),
              "c" + i,
              ContainerState.RUNNING,
              HealthStatus.NONE,
              Map.of(),
              ResourceLimits.NONE));
    }
    return out;
  }
}
