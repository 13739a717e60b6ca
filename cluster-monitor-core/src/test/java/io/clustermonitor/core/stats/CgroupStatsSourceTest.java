package io.clustermonitor.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.core.model.BlockDeviceStats;
import io.clustermonitor.core.model.BlockIoStats;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.FilesystemUsage;
import io.clustermonitor.core.model.NetworkInterfaceStats;
import io.clustermonitor.core.model.StatsDetails;
import io.clustermonitor.core.model.StatsSample;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    assertThat(s.cpu().totalNanos()).isEqualTo(49378023L);
    // cpuacct.stat "user 4 / system 0" in 10 ms ticks, as runc reports them to docker stats
    assertThat(s.cpu().userNanos()).isEqualTo(40_000_000L);
    assertThat(s.cpu().systemNanos()).isZero();
    assertThat(s.cpu().periods()).isEqualTo(4);
    assertThat(s.cpu().throttledPeriods()).isZero();
    assertThat(s.cpu().hostSystemNanos()).isEqualTo(SYSTEM_NANOS);
    assertThat(s.cpu().onlineCpus()).isEqualTo(2);
    assertThat(s.memory().usageBytes()).isEqualTo(6004736L);
    // docker stats: usage - total_inactive_file
    assertThat(s.memory().workingSetBytes()).isEqualTo(6004736L - 5242880L);
    assertThat(s.memory().limitBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(s.memory().rssBytes()).isEqualTo(53248L);
    assertThat(s.memory().cacheBytes()).isEqualTo(5246976L);
    assertThat(s.memory().swapBytes()).isZero();
    assertThat(s.memory().maxUsageBytes()).isEqualTo(7426048L);
    assertThat(s.memory().failcnt()).isZero();
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

    assertThat(s.cpu().totalNanos()).isEqualTo(5616647428L * 1000);
    assertThat(s.cpu().userNanos()).isEqualTo(3569637760L * 1000);
    assertThat(s.cpu().systemNanos()).isEqualTo(2047009667L * 1000);
    assertThat(s.cpu().throttledNanos()).isZero();
    assertThat(s.cpu().hostSystemNanos()).isEqualTo(SYSTEM_NANOS);
    assertThat(s.memory().usageBytes()).isEqualTo(7670424560L);
    // docker stats on v2: usage - inactive_file
    assertThat(s.memory().workingSetBytes()).isEqualTo(7670424560L - 5307346944L);
    assertThat(s.memory().limitBytes()).isEqualTo(8589934592L);
    assertThat(s.memory().rssBytes()).isEqualTo(790425600L);
    assertThat(s.memory().cacheBytes()).isEqualTo(6502666240L);
    assertThat(s.memory().failcnt()).isEqualTo(3);
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
    assertThat(s.cpu().totalNanos()).isEqualTo(49378023L);
    assertThat(s.memory().limitBytes()).isEqualTo(64L * 1024 * 1024);
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

    assertThat(s.cpu().totalNanos()).isEqualTo(10_000);
    assertThat(s.memory().limitBytes()).as("no limit shows host memory").isEqualTo(1000 * 1024);
    assertThat(s.cpu().onlineCpus()).isEqualTo(1);
  }

  /** A copy of a recorded tree, to change one file of it. */
  private static Path copyOf(String name, Path dir) throws Exception {
    Path from = tree(name);
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path to = dir.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return dir;
  }

  private static StatsSample sampleOf(Path root, String id, long pid) {
    return CgroupStatsSource.of(root.resolve("sys/fs/cgroup"), root.resolve("proc"))
        .sample(new StatsTarget(id, pid))
        .orElseThrow();
  }

  @Test
  void repeatedSamplesReReadChangedFilesAndUntrackClosesTheContainersFiles(@TempDir Path dir)
      throws Exception {
    Path root = copyOf("v1-cgroupfs", dir);
    Path cpuacct = root.resolve("sys/fs/cgroup/cpuacct/docker/" + V1_ID + "/cpuacct.usage");
    Path limit = root.resolve("sys/fs/cgroup/memory/docker/" + V1_ID + "/memory.limit_in_bytes");
    CachedFileReader files = new CachedFileReader();
    try (CgroupStatsSource src =
        new CgroupStatsSource(
            root.resolve("sys/fs/cgroup"), root.resolve("proc"), Duration.ZERO, files)) {
      StatsTarget t = new StatsTarget(V1_ID, 12315);
      StatsSample fresh = sampleOf(root, V1_ID, 12315);
      StatsSample first = src.sample(t).orElseThrow();
      assertThat(first).usingRecursiveComparison().ignoringFields("timestamp").isEqualTo(fresh);
      int kept = files.openChannels(V1_ID);
      assertThat(kept).isGreaterThan(5);

      Files.writeString(cpuacct, "999000000000\n");
      Files.writeString(limit, "9223372036854771712\n");
      StatsSample second = src.sample(t).orElseThrow();
      assertThat(second.cpu().totalNanos()).isEqualTo(999_000_000_000L);
      assertThat(second.memory().limited()).isFalse();
      assertThat(second)
          .usingRecursiveComparison()
          .ignoringFields("timestamp")
          .isEqualTo(sampleOf(root, V1_ID, 12315));
      assertThat(files.openChannels(V1_ID)).as("no new descriptor per sample").isEqualTo(kept);

      src.untrack(V1_ID);
      assertThat(files.openChannels(V1_ID)).isZero();
      assertThat(files.openChannels()).as("only host files stay open").isEqualTo(1);
    }
    assertThat(files.openChannels()).isZero();
  }

  @Test
  void v1TellsAnUnlimitedContainerFromALimitedOne(@TempDir Path dir) throws Exception {
    // what cgroup v1 writes for a container started without --memory
    Path root = copyOf("v1-cgroupfs", dir);
    Files.writeString(
        root.resolve("sys/fs/cgroup/memory/docker/" + V1_ID + "/memory.limit_in_bytes"),
        "9223372036854771712\n");

    StatsSample limited = sampleOf(tree("v1-cgroupfs"), V1_ID, 12315);
    StatsSample unlimited = sampleOf(root, V1_ID, 12315);

    assertThat(limited.memory().limited()).isTrue();
    assertThat(limited.memory().limit()).hasValue(64L * 1024 * 1024);
    assertThat(limited.memory().limitBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(unlimited.memory().limited()).isFalse();
    assertThat(unlimited.memory().limit()).isEmpty();
    assertThat(unlimited.memory().limitBytes()).as("effective: host memory").isEqualTo(HOST_MEMORY);
    ContainerStats stats = ContainerStats.of(V1_ID, "n", "local", null, unlimited);
    assertThat(stats.memoryLimited()).isFalse();
    assertThat(stats.memoryLimit()).isEmpty();
    assertThat(stats.memoryLimitBytes()).isEqualTo(HOST_MEMORY);
    assertThat(ContainerStats.of(V1_ID, "n", "local", null, limited).memoryLimit())
        .hasValue(64L * 1024 * 1024);
  }

  @Test
  void v2TellsAnUnlimitedContainerFromALimitedOne(@TempDir Path dir) throws Exception {
    Path root = copyOf("v2-systemd", dir);
    Path memoryMax =
        root.resolve("sys/fs/cgroup/system.slice/docker-" + V2_ID + ".scope/memory.max");
    Files.writeString(memoryMax, "max\n");
    StatsSample unlimited = sampleOf(root, V2_ID, 4242);
    // a limit above the host's memory is no limit either: docker stats shows the host's memory
    Files.writeString(memoryMax, (HOST_MEMORY * 2) + "\n");
    StatsSample aboveHost = sampleOf(root, V2_ID, 4242);
    StatsSample limited = sampleOf(tree("v2-systemd"), V2_ID, 4242);

    assertThat(limited.memory().limited()).isTrue();
    assertThat(limited.memory().limit()).hasValue(8589934592L);
    assertThat(unlimited.memory().limited()).isFalse();
    assertThat(unlimited.memory().limit()).isEmpty();
    assertThat(unlimited.memory().limitBytes()).isEqualTo(HOST_MEMORY);
    assertThat(aboveHost.memory().limited()).isFalse();
    assertThat(aboveHost.memory().limitBytes()).isEqualTo(HOST_MEMORY);
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
        StatsSample.builder(first.timestamp().plusSeconds(1))
            .cpuTotalNanos(first.cpu().totalNanos() + 500_000_000L)
            .systemCpuNanos(first.cpu().hostSystemNanos() + 2_000_000_000L)
            .onlineCpus(2)
            .build();

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
  void keyValueFilesParseAsBeforeTheScanIncludingOddLines() {
    String text =
        "cache 4096\nrss  123 \nmapped_file 0\r\nlimit max\nbig 99999999999999999999\n"
            + "neg -5\nnoval\n\n lead 7\nhex 0x10\ntab\t3\nlast 42";
    Map<String, Long> m = CgroupStatsSource.parseKeyValues(text);
    assertThat(m)
        .containsEntry("cache", 4096L)
        .containsEntry("rss", 123L)
        .containsEntry("mapped_file", 0L)
        .containsEntry("limit", Long.MAX_VALUE) // "max": unlimited
        .containsEntry("big", Long.MAX_VALUE) // an overflowing counter: unlimited
        .containsEntry("neg", -5L)
        .containsEntry("hex", 0L) // not a number
        .containsEntry("last", 42L)
        .doesNotContainKeys("noval", "", "lead", "tab\t3");
    assertThat(m).hasSize(8);
    assertThat(CgroupStatsSource.parseKeyValues("")).isEmpty();
    assertThat(CgroupStatsSource.parseLong("x 123456789012345678 y", 2, 20))
        .isEqualTo(123456789012345678L);
    assertThat(CgroupStatsSource.parseLong("  ", 0, 2)).isZero();
  }

  @Test
  void nullRootsAreRejected() {
    assertThatThrownBy(() -> CgroupStatsSource.of(null, Path.of("/proc")))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("cgroupRoot");
    assertThatThrownBy(() -> new StatsTarget(" ", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StatsTarget("a", -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void v1DetailsHavePerCpuTimePageFaultsAndTheSoftLimit() throws Exception {
    StatsDetails d =
        source("v1-cgroupfs").sample(new StatsTarget(V1_ID, 12315)).orElseThrow().details();

    assertThat(d.perCpuNanos()).containsExactly(25622297L, 23755726L);
    assertThat(d.pgfault()).isEqualTo(1372);
    assertThat(d.pgmajfault()).isZero();
    assertThat(d.hierarchyPgfault()).isEqualTo(1372);
    assertThat(d.memoryMappedFileBytes()).isZero();
    assertThat(d.memoryReservationBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(d.blockIo()).as("BFQ files with only 'Total 0', as on this machine").isEmpty();
  }

  @Test
  void v2DetailsHaveNoPerCpuTimeAndTheSameFaultsForBothScopes() throws Exception {
    StatsDetails d =
        source("v2-systemd").sample(new StatsTarget(V2_ID, 4242)).orElseThrow().details();

    assertThat(d.perCpuNanos()).as("cgroup v2 has no per-CPU accounting").isEmpty();
    assertThat(d.memoryMappedFileBytes()).isEqualTo(656187392L);
    assertThat(d.pgfault()).isEqualTo(103216687L);
    assertThat(d.hierarchyPgfault()).isEqualTo(103216687L);
    assertThat(d.pgmajfault()).isEqualTo(6879);
    assertThat(d.hierarchyPgmajfault()).isEqualTo(6879);
    assertThat(d.memoryReservationBytes()).as("memory.high").isEqualTo(256L * 1024 * 1024);
    assertThat(d.blockIo()).hasSize(2);
    BlockIoStats sdb = d.blockIo().get(0);
    assertThat(sdb.major()).isEqualTo(8);
    assertThat(sdb.minor()).isEqualTo(16);
    assertThat(sdb.serviceBytes())
        .containsEntry("Read", 1459200L)
        .containsEntry("Write", 314773504L);
    assertThat(sdb.serviced()).containsEntry("Read", 192L).containsEntry("Write", 353L);
  }

  @Test
  void readsCfqBlkioFilesAndNamesWholeDisksFromSysfs(@TempDir Path dir) throws Exception {
    Path cg = dir.resolve("sys/fs/cgroup");
    Path acct = cg.resolve("cpuacct/docker/abc");
    Path blk = cg.resolve("blkio/docker/abc");
    Files.createDirectories(acct);
    Files.createDirectories(blk);
    Files.writeString(acct.resolve("cpuacct.usage"), "100\n");
    Files.writeString(acct.resolve("cpuacct.stat"), "user 1\nsystem 0\n");
    Files.writeString(acct.resolve("cpuacct.usage_percpu"), "0 100 \n");
    Files.writeString(
        blk.resolve("blkio.io_service_bytes_recursive"),
        "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Total 12288\n"
            + "8:1 Read 512\nTotal 12800\n");
    Files.writeString(
        blk.resolve("blkio.io_serviced_recursive"),
        "8:0 Read 1\n8:0 Write 2\n8:0 Total 3\n8:1 Read 1\nTotal 4\n");
    Files.writeString(blk.resolve("blkio.io_merged_recursive"), "8:0 Read 5\n8:0 Write 6\n");
    Files.writeString(blk.resolve("blkio.io_service_time_recursive"), "8:0 Read 700\n");
    Files.writeString(blk.resolve("blkio.io_queued_recursive"), "8:0 Total 2\n");
    Files.writeString(blk.resolve("blkio.time_recursive"), "8:0 9\n");
    Path sys = dir.resolve("sys");
    Files.createDirectories(sys.resolve("devices/virtual/block/sda/sda1"));
    Files.createDirectories(sys.resolve("dev/block"));
    Files.createDirectories(sys.resolve("block"));
    Files.createSymbolicLink(sys.resolve("block/sda"), Path.of("../devices/virtual/block/sda"));
    Files.createSymbolicLink(
        sys.resolve("dev/block/8:0"), Path.of("../../devices/virtual/block/sda"));
    Files.createSymbolicLink(
        sys.resolve("dev/block/8:1"), Path.of("../../devices/virtual/block/sda/sda1"));
    Path proc = dir.resolve("proc");
    Files.createDirectories(proc);
    Files.writeString(proc.resolve("stat"), "cpu  1 0 1 1 0 0 0 0 0 0\ncpu0 1 0 1 1 0 0 0 0 0 0\n");
    Files.writeString(proc.resolve("meminfo"), "MemTotal:       1000 kB\n");

    StatsDetails d =
        CgroupStatsSource.of(cg, proc, Duration.ZERO)
            .sample(new StatsTarget("abc", 0))
            .orElseThrow()
            .details();

    assertThat(d.perCpuNanos()).containsExactly(0L, 100L);
    assertThat(d.blockIo()).hasSize(2);
    BlockIoStats sda = d.blockIo().get(0);
    assertThat(sda.device()).isEqualTo("/dev/sda");
    assertThat(sda.serviceBytes())
        .containsEntry("Read", 4096L)
        .containsEntry("Write", 8192L)
        .containsEntry("Async", 12288L)
        .containsEntry("Total", 12288L);
    assertThat(sda.serviced()).containsEntry("Write", 2L);
    assertThat(sda.merged()).isEqualTo(Map.of("Read", 5L, "Write", 6L));
    assertThat(sda.serviceTimeNanos()).isEqualTo(Map.of("Read", 700L));
    assertThat(sda.queued()).isEqualTo(Map.of("Total", 2L));
    assertThat(sda.ioTime()).isEqualTo(9);
    assertThat(d.blockIo().get(1).device())
        .as("a partition is not in cAdvisor's disk map")
        .isEmpty();
  }

  @Test
  void measuresTheWritableLayerFromTheRootMountsUpperDirInTheBackground(@TempDir Path dir)
      throws Exception {
    Path upper = dir.resolve("docker/overlay2/layer1/diff");
    Files.createDirectories(upper.resolve("tmp"));
    Files.write(upper.resolve("tmp/blob"), new byte[100_000]);
    Files.createLink(upper.resolve("tmp/hardlink"), upper.resolve("tmp/blob"));
    Files.writeString(upper.resolve("small"), "x");
    Path logs = dir.resolve("docker/containers/abc");
    Files.createDirectories(logs);
    Files.write(logs.resolve("abc-json.log"), new byte[8192]);
    Path proc = dir.resolve("proc");
    Files.createDirectories(proc.resolve("55"));
    Files.createDirectories(proc.resolve("1"));
    Files.writeString(
        proc.resolve("55/mountinfo"),
        "77 52 0:40 / / rw,relatime master:2 - overlay overlay rw,lowerdir=/x/l/A:/x/l/B,upperdir="
            + upper
            + ",workdir=/x/work\n78 77 0:43 / /proc rw - proc proc rw\n");
    Files.writeString(
        proc.resolve("1/mountinfo"),
        "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
            + "30 27 254:1 / "
            + dir
            + " rw - ext4 /dev/vdb1 rw\n");
    Path cg = dir.resolve("cg");
    Files.createDirectories(cg);

    try (CgroupStatsSource source = CgroupStatsSource.of(cg, proc, Duration.ofMillis(100))) {
      DiskUsageSampler sampler =
          new DiskUsageSampler(proc, Duration.ofMillis(100), 1000, Duration.ofSeconds(10));
      StatsTarget t = new StatsTarget("abc", 55);
      assertThat(sampler.usage(t)).as("nothing measured yet, and the call does not wait").isNull();
      await().atMost(Duration.ofSeconds(30)).until(() -> sampler.usage(t) != null);
      FilesystemUsage u = sampler.usage(t);
      sampler.close();

      // dirs diff, tmp: 2 x 4 KiB; blob 100000 -> 102400 once (hard link); small -> 4096
      long base = 2 * 4096 + 102400 + 4096;
      assertThat(u.baseUsageBytes()).isEqualTo(base);
      assertThat(u.usageBytes())
          .as("plus containers/<id>: dir + log")
          .isEqualTo(base + 4096 + 8192);
      assertThat(u.inodesUsed()).isEqualTo(4);
      assertThat(u.device()).isEqualTo("/dev/vdb1");
      assertThat(u.limitBytes()).isPositive();
      assertThat(u.complete()).isTrue();
      assertThat(u.age(Instant.now())).isLessThan(Duration.ofSeconds(30));
      assertThat(source.name()).isEqualTo("cgroup");
    }
  }

  @Test
  void aWalkStopsAtItsFileBoundAndSaysSo(@TempDir Path dir) throws Exception {
    for (int i = 0; i < 50; i++) {
      Files.writeString(dir.resolve("f" + i), "x");
    }
    DiskUsageSampler.Walk w = new DiskUsageSampler.Walk(System.nanoTime() + 10_000_000_000L, 10);
    w.walk(dir);

    assertThat(w.complete).isFalse();
    assertThat(w.inodes).isEqualTo(10);
    assertThat(DiskUsageSampler.unescape("/a\\040b")).isEqualTo("/a b");
    assertThat(List.of(w.bytes)).containsExactly(10L * 4096);
  }
}
