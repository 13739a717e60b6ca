package io.clustermonitor.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.github.dockerjava.api.model.Statistics;
import io.clustermonitor.core.model.BlockDeviceStats;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.NetworkInterfaceStats;
import io.clustermonitor.core.model.StatsSample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The docker stats formulas on recorded engine payloads (see payloads/README.md). */
class EngineStatsMapperTest {
  /** The host's memory is not known: limits come from the frame alone. */
  private static final long NO_HOST_MEMORY = 0;

  static Statistics payload(String name) {
    try (InputStream in = EngineStatsMapperTest.class.getResourceAsStream("/payloads/" + name)) {
      assertThat(in).as("payload %s", name).isNotNull();
      return EngineStatsMapper.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void cgroupV1FrameRecordedHereGivesDockerStatsValues() {
    Statistics s = payload("linux-cgroup-v1.json");

    ContainerStats stats = EngineStatsMapper.containerStats(s, null, null, "local", NO_HOST_MEMORY);

    assertThat(EngineStatsMapper.isWindows(s)).isFalse();
    assertThat(stats.id())
        .isEqualTo("3024d4facaf0f914fb823c950bf23fad34291e674c243cd5c489070b58343f54");
    assertThat(stats.name()).isEqualTo("cm-record-v1");
    // Δcpu 502084736 / Δsystem 2020000000 × 2 CPUs × 100
    assertThat(stats.cpuPercent()).isCloseTo(49.71136, within(1e-4));
    assertThat(stats.memoryUsageBytes()).isEqualTo(9_261_056);
    // usage - total_inactive_file (8 MiB of page cache written by dd)
    assertThat(stats.memoryWorkingSetBytes()).isEqualTo(9_261_056 - 8_388_608);
    assertThat(stats.memoryLimitBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(stats.memoryPercent()).isCloseTo(872_448 * 100.0 / 67_108_864, within(1e-9));
    assertThat(stats.pids()).isEqualTo(1);
    assertThat(stats.networks()).isEmpty();
    assertThat(stats.blockReadBytes()).isZero();
    assertThat(stats.blockWriteBytes()).isZero();
    StatsSample cur = stats.current();
    assertThat(cur.cpu().onlineCpus()).isEqualTo(2);
    assertThat(cur.cpu().totalNanos()).isEqualTo(2_559_669_140L);
    assertThat(cur.cpu().userNanos()).isEqualTo(2_500_000_000L);
    assertThat(cur.cpu().systemNanos()).isEqualTo(50_000_000L);
    assertThat(cur.cpu().hostSystemNanos()).isEqualTo(1_159_030_000_000L);
    assertThat(cur.cpu().periods()).isEqualTo(51);
    assertThat(cur.cpu().throttledPeriods()).isEqualTo(49);
    assertThat(cur.cpu().throttledNanos()).isEqualTo(2_446_556_833L);
    assertThat(cur.memory().cacheBytes()).isEqualTo(8_388_608);
    assertThat(cur.memory().rssBytes()).isEqualTo(61_440);
    assertThat(cur.memory().maxUsageBytes()).isEqualTo(10_629_120);
    assertThat(cur.timestamp()).isEqualTo(Instant.parse("2026-11-26T17:41:58.43703886Z"));
  }

  @Test
  void frameWithoutPrecpuGivesZeroCpuNeverNanOrNegative() {
    Statistics s = payload("linux-cgroup-v1-no-precpu.json");

    assertThat(EngineStatsMapper.previous(s, NO_HOST_MEMORY)).isNull();
    ContainerStats stats = EngineStatsMapper.containerStats(s, null, null, "local", NO_HOST_MEMORY);

    assertThat(stats.cpuPercent()).isZero();
    assertThat(Double.isNaN(stats.cpuPercent())).isFalse();
    assertThat(stats.memoryLimitBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(stats.memoryWorkingSetBytes()).isPositive();
  }

  @Test
  void cgroupV1BlkioSumsOnlyReadAndWriteOpsPerDevice() {
    ContainerStats stats =
        EngineStatsMapper.containerStats(
            payload("docker-java-1.27-cgroup-v1.json"), null, null, "local", NO_HOST_MEMORY);

    assertThat(stats.blockReadBytes()).isEqualTo(823_296);
    assertThat(stats.blockWriteBytes()).isEqualTo(122_880);
    assertThat(stats.current().blockDevices())
        .containsExactly(new BlockDeviceStats(259, 0, 823_296, 122_880, 145, 4));
    assertThat(stats.current().blockDevices().get(0).device()).isEqualTo("259:0");
    assertThat(stats.networkReceiveBytes()).isEqualTo(1230);
    assertThat(stats.networkTransmitBytes()).isZero();
    assertThat(stats.networks())
        .containsExactly(new NetworkInterfaceStats("eth0", 1230, 19, 0, 0, 0, 0, 0, 0));
    // Δcpu 890814 / Δsystem 3990000000 × 4 × 100
    assertThat(stats.cpuPercent()).isCloseTo(0.0893046, within(1e-6));
    assertThat(stats.memoryWorkingSetBytes()).isEqualTo(647_168);
    assertThat(stats.pids()).isEqualTo(2);
    assertThat(stats.name()).isEqualTo("gallant_hamilton");
  }

  @Test
  void cgroupV2UsesInactiveFileAndLowercaseOps() {
    Statistics s = payload("linux-cgroup-v2.json");

    ContainerStats stats =
        EngineStatsMapper.containerStats(s, null, null, "remote:2376", NO_HOST_MEMORY);

    assertThat(EngineStatsMapper.isWindows(s)).isFalse();
    assertThat(stats.host()).isEqualTo("remote:2376");
    // Δcpu 1000000000 / Δsystem 4000000000 × 4 × 100: one busy CPU
    assertThat(stats.cpuPercent()).isCloseTo(100.0, within(1e-9));
    assertThat(stats.memoryUsageBytes()).isEqualTo(104_857_600);
    assertThat(stats.memoryWorkingSetBytes()).isEqualTo(104_857_600 - 20_971_520);
    assertThat(stats.memoryLimitBytes()).isEqualTo(536_870_912L);
    assertThat(stats.memoryPercent()).isCloseTo(83_886_080 * 100.0 / 536_870_912L, within(1e-9));
    assertThat(stats.current().memory().rssBytes()).isEqualTo(62_914_560); // anon
    assertThat(stats.current().memory().cacheBytes()).isEqualTo(41_943_040); // file
    assertThat(stats.current().cpu().onlineCpus()).isEqualTo(4);
    assertThat(stats.current().cpu().throttledPeriods()).isEqualTo(2);
    assertThat(stats.networkReceiveBytes()).isEqualTo(5000);
    assertThat(stats.networkTransmitBytes()).isEqualTo(3000);
    assertThat(stats.blockReadBytes()).isEqualTo(1_048_576);
    assertThat(stats.blockWriteBytes()).isEqualTo(2_097_152);
    assertThat(stats.pids()).isEqualTo(7);
  }

  @Test
  void windowsFrameConvertsHundredNanosecondTicksAndUsesPrivateWorkingSet() {
    Statistics s = payload("windows-first-frame.json");

    ContainerStats stats = EngineStatsMapper.containerStats(s, null, null, "win", NO_HOST_MEMORY);

    assertThat(EngineStatsMapper.isWindows(s)).isTrue();
    assertThat(stats.name()).isEqualTo("gt_test_iis");
    StatsSample cur = stats.current();
    assertThat(cur.cpu().totalNanos()).isEqualTo(536_718_750L * 100);
    assertThat(cur.cpu().systemNanos()).isEqualTo(390_468_750L * 100);
    assertThat(cur.cpu().hostSystemNanos()).isZero();
    assertThat(cur.cpu().onlineCpus()).isEqualTo(64);
    assertThat(stats.memoryWorkingSetBytes()).isEqualTo(59_961_344);
    assertThat(stats.memoryUsageBytes()).isEqualTo(77_160_448);
    assertThat(cur.memory().maxUsageBytes()).isEqualTo(105_000_960);
    assertThat(stats.memoryLimitBytes()).isZero();
    assertThat(stats.memoryPercent()).isZero();
    // first frame: no preread, so no previous sample and CPU % 0
    assertThat(EngineStatsMapper.previous(s, NO_HOST_MEMORY)).isNull();
    assertThat(stats.cpuPercent()).isZero();
  }

  @Test
  void windowsCpuRateUsesWallClockBetweenTwoFrames() {
    StatsSample first =
        EngineStatsMapper.sample(payload("windows-first-frame.json"), NO_HOST_MEMORY);
    // one second later the container used another 0.5 s of CPU (5,000,000 ticks of 100 ns)
    StatsSample second =
        withCpu(
            first,
            first.timestamp().plus(Duration.ofSeconds(1)),
            first.cpu().totalNanos() + 500_000_000L);

    assertThat(ContainerStats.cpuPercent(first, second)).isCloseTo(50.0, within(1e-9));
  }

  @Test
  void counterResetNeverGivesNegativeCpu() {
    StatsSample cur = EngineStatsMapper.sample(payload("linux-cgroup-v1.json"), NO_HOST_MEMORY);
    StatsSample later = withCpu(cur, cur.timestamp().plusSeconds(1), cur.cpu().totalNanos() - 1000);

    assertThat(ContainerStats.cpuPercent(cur, later)).isZero();
  }

  @Test
  void aLimitedContainerHasItsOwnLimit() {
    ContainerStats stats =
        EngineStatsMapper.containerStats(
            payload("linux-cgroup-v1.json"), null, null, "local", 2_095_874_048L);

    // hierarchical_memory_limit 64 MiB: --memory 64m
    assertThat(stats.memoryLimited()).isTrue();
    assertThat(stats.memoryLimit()).hasValue(64L * 1024 * 1024);
    assertThat(stats.memoryLimitBytes()).isEqualTo(64L * 1024 * 1024);
  }

  @Test
  void anUnlimitedV1ContainerIsToldApartFromTheEngineFrame() {
    // recorded without --memory: limit is the host's memory, hierarchical_memory_limit huge
    Statistics s = payload("docker-java-1.27-cgroup-v1.json");

    for (long host : new long[] {NO_HOST_MEMORY, 2_095_874_048L}) {
      ContainerStats stats = EngineStatsMapper.containerStats(s, null, null, "local", host);
      assertThat(stats.memoryLimited()).as("host memory %d", host).isFalse();
      assertThat(stats.memoryLimit()).isEmpty();
      assertThat(stats.memoryLimitBytes()).as("effective limit").isEqualTo(2_095_874_048L);
    }
  }

  @Test
  void onCgroupV2ALimitEqualToHostMemoryMeansNoLimit() {
    // the v2 frame has no hierarchical_memory_limit; its limit is 512 MiB
    Statistics s = payload("linux-cgroup-v2.json");

    ContainerStats limited =
        EngineStatsMapper.containerStats(s, null, null, "remote", 8L * 1024 * 1024 * 1024);
    ContainerStats unlimited =
        EngineStatsMapper.containerStats(s, null, null, "remote", 536_870_912L);

    assertThat(limited.memoryLimited()).isTrue();
    assertThat(limited.memoryLimit()).hasValue(536_870_912L);
    assertThat(unlimited.memoryLimited())
        .as("the daemon reports the host's memory as the limit of an unlimited container")
        .isFalse();
    assertThat(unlimited.memoryLimit()).isEmpty();
    assertThat(unlimited.memoryLimitBytes()).isEqualTo(536_870_912L);
  }

  @Test
  void windowsHasNoLimit() {
    ContainerStats stats =
        EngineStatsMapper.containerStats(
            payload("windows-first-frame.json"), null, null, "win", 8L << 30);

    assertThat(stats.memoryLimited()).isFalse();
    assertThat(stats.memoryLimit()).isEmpty();
  }

  @Test
  void garbageIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> EngineStatsMapper.parse("{not json"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("Not a Docker stats frame");
  }

  @Test
  void emptyFrameMapsToZeros() {
    ContainerStats stats =
        EngineStatsMapper.containerStats(
            EngineStatsMapper.parse("{}"), "abc", "x", "local", NO_HOST_MEMORY);

    assertThat(stats.id()).isEqualTo("abc");
    assertThat(stats.cpuPercent()).isZero();
    assertThat(stats.memoryPercent()).isZero();
    assertThat(stats.networks()).isEmpty();
  }

  private static StatsSample withCpu(StatsSample s, Instant at, long cpuTotalNanos) {
    long host = s.cpu().hostSystemNanos();
    return s.toBuilder()
        .timestamp(at)
        .cpuTotalNanos(cpuTotalNanos)
        .systemCpuNanos(host == 0 ? 0 : host + 2_000_000_000L)
        .build();
  }
}
