package io.clustermonitor.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.core.model.BlockDeviceStats;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.NetworkInterfaceStats;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupStatsSourceTest {
  private static final String V1_ID =
      "f1c34c442c5a3f2d6b223cf3410110f402cc0359dae8de979b53568b62b96f6c";
  private static final String V2_ID =
      "3c5c6d2f1e0b4a7d9e8f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d";
  private static final long HOST_MEMORY = 24684092L * 1024;
  // /proc/stat "cpu" line: 14771 0 3938 87114 319 0 45 25 (ticks of 10 ms)
  private static final long SYSTEM_NANOS = (14771L + 3938 + 87114 + 319 + 45 + 25) * 10_000_000L;

  private static Path tree(String name) throws URISyntaxException {
    return Path.of(CgroupStatsSourceTest.class.getResource("/cgroup/" + name).toURI());
  }

  private static CgroupStatsSource source(String name) throws URISyntaxException {
    Path root = tree(name);
    return CgroupStatsSource.of(root.resolve("sys/fs/cgroup"), root.resolve("proc"));
  }

  @Test
  void readsAV1CgroupfsContainerRecordedOnThisMachine() throws Exception {
    CgroupStatsSource source = source("v1-cgroupfs");
    StatsTarget target = new StatsTarget(V1_ID, 12315);

    assertThat(source.cgroupVersion()).isEqualTo(1);
    assertThat(source.looksUsable()).isTrue();
    assertThat(source.canRead(target)).isTrue();
    StatsSample s = source.sample(target).orElseThrow();

    assertThat(s.cpuTotalNanos()).isEqualTo(49378023L);
    // cpuacct.stat "user 4 / system 0" in 10 ms ticks, as runc reports them to docker stats
    assertThat(s.cpuUserNanos()).isEqualTo(40_000_000L);
    assertThat(s.cpuSystemNanos()).isZero();
    assertThat(s.cpuPeriods()).isEqualTo(4);
    assertThat(s.cpuThrottledPeriods()).isZero();
    assertThat(s.systemCpuNanos()).isEqualTo(SYSTEM_NANOS);
    assertThat(s.onlineCpus()).isEqualTo(2);
    assertThat(s.memoryUsageBytes()).isEqualTo(6004736L);
    // docker stats: usage - total_inactive_file
    assertThat(s.memoryWorkingSetBytes()).isEqualTo(6004736L - 5242880L);
    assertThat(s.memoryLimitBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(s.memoryRssBytes()).isEqualTo(53248L);
    assertThat(s.memoryCacheBytes()).isEqualTo(5246976L);
    assertThat(s.memorySwapBytes()).isZero();
    assertThat(s.memoryMaxUsageBytes()).isEqualTo(7426048L);
    assertThat(s.memoryFailcnt()).isZero();
    assertThat(s.pids()).isEqualTo(1);
    assertThat(s.blockDevices()).isEmpty();
    assertThat(s.networks()).as("lo is not reported, like docker stats").isEmpty();
  }

  @Test
  void readsAV2SystemdContainerFromARecordedTree() throws Exception {
    CgroupStatsSource source = source("v2-systemd");
    StatsTarget target = new StatsTarget(V2_ID, 4242);

    assertThat(source.cgroupVersion()).isEqualTo(2);
    assertThat(source.looksUsable()).isTrue();
    StatsSample s = source.sample(target).orElseThrow();

    assertThat(s.cpuTotalNanos()).isEqualTo(5616647428L * 1000);
    assertThat(s.cpuUserNanos()).isEqualTo(3569637760L * 1000);
    assertThat(s.cpuSystemNanos()).isEqualTo(2047009667L * 1000);
    assertThat(s.cpuThrottledNanos()).isZero();
    assertThat(s.systemCpuNanos()).isEqualTo(SYSTEM_NANOS);
    assertThat(s.memoryUsageBytes()).isEqualTo(7670424560L);
    // docker stats on v2: usage - inactive_file
    assertThat(s.memoryWorkingSetBytes()).isEqualTo(7670424560L - 5307346944L);
    assertThat(s.memoryLimitBytes()).isEqualTo(8589934592L);
    assertThat(s.memoryRssBytes()).isEqualTo(790425600L);
    assertThat(s.memoryCacheBytes()).isEqualTo(6502666240L);
    assertThat(s.memoryFailcnt()).isEqualTo(3);
    assertThat(s.pids()).isEqualTo(12);
    assertThat(s.blockDevices())
        .containsExactly(
            new BlockDeviceStats(8, 16, 1459200, 314773504, 192, 353),
            new BlockDeviceStats(8, 0, 90430464, 299008000, 8950, 1252));
    assertThat(s.networks())
        .containsExactly(
            new NetworkInterfaceStats("eth0", 146563394, 3512, 0, 0, 274312, 2482, 0, 0));
  }

  @Test
  void readsTheV1FilesUnderTheSystemdDriverLayout(@TempDir Path dir) throws Exception {
    // The same recorded v1 files, moved to where the systemd driver puts them.
    Path recorded = tree("v1-cgroupfs");
    Path cg = dir.resolve("sys/fs/cgroup");
    for (String controller : new String[] {"cpuacct", "cpu", "memory", "blkio", "pids"}) {
      Path from = recorded.resolve("sys/fs/cgroup/" + controller + "/docker/" + V1_ID);
      Path to = cg.resolve(controller + "/system.slice/docker-" + V1_ID + ".scope");
      Files.createDirectories(to);
      try (var files = Files.list(from)) {
        for (Path f : files.toList()) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
    Path proc = dir.resolve("proc");
    Files.createDirectories(proc);
    Files.copy(recorded.resolve("proc/stat"), proc.resolve("stat"));
    Files.copy(recorded.resolve("proc/meminfo"), proc.resolve("meminfo"));

    CgroupStatsSource source = CgroupStatsSource.of(cg, proc);
    StatsSample s = source.sample(new StatsTarget(V1_ID, 0)).orElseThrow();

    assertThat(source.looksUsable()).isTrue();
    assertThat(s.cpuTotalNanos()).isEqualTo(49378023L);
    assertThat(s.memoryLimitBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(s.pids()).isEqualTo(1);
  }

  @Test
  void findsACgroupUnderAnUnknownParentThroughTheProcCgroupFile(@TempDir Path dir)
      throws Exception {
    Path cg = dir.resolve("cg");
    Path scope = cg.resolve("custom.slice/box-1.scope");
    Files.createDirectories(scope);
    Files.writeString(cg.resolve("cgroup.controllers"), "cpu memory\n");
    Files.writeString(scope.resolve("cpu.stat"), "usage_usec 10\nuser_usec 6\nsystem_usec 4\n");
    Files.writeString(scope.resolve("memory.current"), "4096\n");
    Files.writeString(scope.resolve("memory.max"), "max\n");
    Path proc = dir.resolve("proc");
    Files.createDirectories(proc.resolve("77"));
    Files.writeString(proc.resolve("77/cgroup"), "0::/custom.slice/box-1.scope\n");
    Files.writeString(proc.resolve("stat"), "cpu  1 0 1 1 0 0 0 0 0 0\ncpu0 1 0 1 1 0 0 0 0 0 0\n");
    Files.writeString(proc.resolve("meminfo"), "MemTotal:       1000 kB\n");

    CgroupStatsSource source = CgroupStatsSource.of(cg, proc);
    StatsSample s = source.sample(new StatsTarget("abc", 77)).orElseThrow();

    assertThat(s.cpuTotalNanos()).isEqualTo(10_000);
    assertThat(s.memoryLimitBytes()).as("no limit shows host memory").isEqualTo(1000 * 1024);
    assertThat(s.onlineCpus()).isEqualTo(1);
  }

  @Test
  void aContainerWithoutCgroupFilesHasNoSample() throws Exception {
    CgroupStatsSource source = source("v1-cgroupfs");
    StatsTarget gone = new StatsTarget("0".repeat(64), 0);

    assertThat(source.canRead(gone)).isFalse();
    assertThat(source.sample(gone)).isEmpty();
  }

  @Test
  void aRootWithoutCgroupsIsNotUsable(@TempDir Path dir) {
    CgroupStatsSource source = CgroupStatsSource.of(dir, dir);

    assertThat(source.cgroupVersion()).isZero();
    assertThat(source.looksUsable()).isFalse();
    assertThat(source.sample(new StatsTarget("abc", 1))).isEmpty();
  }

  @Test
  void twoSamplesGiveTheDockerStatsCpuPercent() throws Exception {
    StatsSample first = source("v1-cgroupfs").sample(new StatsTarget(V1_ID, 12315)).orElseThrow();
    StatsSample second =
        new StatsSample(
            first.timestamp().plusSeconds(1),
            first.cpuTotalNanos() + 500_000_000L,
            0,
            0,
            first.systemCpuNanos() + 2_000_000_000L,
            2,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            null,
            null,
            0);

    // 0.5 s of CPU over 2 s of host CPU time on 2 CPUs = 50 % of one CPU
    assertThat(ContainerStats.cpuPercent(first, second)).isEqualTo(50.0);
    assertThat(ContainerStats.of("id", "n", "local", null, first).cpuPercent()).isZero();
  }

  @Test
  void parsesV1BlkioPerDeviceIgnoringSyncAsyncAndTotals() {
    String bytes =
        "8:0 Read 1048576\n8:0 Write 2097152\n8:0 Sync 3145728\n8:0 Async 0\n8:0 Discard 0\n"
            + "8:0 Total 3145728\n253:1 Read 4096\n253:1 Write 0\nTotal 3149824\n";
    String ops = "8:0 Read 10\n8:0 Write 20\n8:0 Total 30\n253:1 Read 1\nTotal 31\n";

    assertThat(CgroupStatsSource.parseBlkioV1(bytes, ops))
        .containsExactly(
            new BlockDeviceStats(253, 1, 4096, 0, 1, 0),
            new BlockDeviceStats(8, 0, 1048576, 2097152, 10, 20));
  }

  @Test
  void nullRootsAreRejected() {
    assertThatThrownBy(() -> CgroupStatsSource.of(null, Path.of("/proc")))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("cgroupRoot");
    assertThatThrownBy(() -> new StatsTarget(" ", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StatsTarget("a", -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
