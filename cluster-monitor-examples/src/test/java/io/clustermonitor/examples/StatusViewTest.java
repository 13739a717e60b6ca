package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermonitor.core.model.BlockDeviceStats;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.HealthStatus;
import io.clustermonitor.core.model.NetworkInterfaceStats;
import io.clustermonitor.core.model.ResourceLimits;
import io.clustermonitor.core.model.StatsSample;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusViewTest {
  private static final Instant AT = Instant.parse("2026-11-26T18:00:00Z");
  private static final long MIB = 1024 * 1024;

  static ContainerSummary container(String id, String name, ContainerState state, HealthStatus h) {
    return new ContainerSummary(
        id,
        name,
        "cluster-monitor/busybox:test",
        state,
        h,
        AT,
        AT,
        null,
        0,
        false,
        0,
        Map.of(),
        ResourceLimits.NONE,
        "local");
  }

  static ContainerStats stats(
      String id,
      double cpu,
      long workingSet,
      long limit,
      long rx,
      long tx,
      long rd,
      long wr,
      long pids) {
    StatsSample s =
        StatsSample.builder(AT)
            .onlineCpus(2)
            .memoryUsageBytes(workingSet)
            .memoryWorkingSetBytes(workingSet)
            .memoryLimitBytes(limit)
            .memoryLimited(true)
            .networks(
                rx + tx == 0
                    ? List.of()
                    : List.of(new NetworkInterfaceStats("eth0", rx, 0, 0, 0, tx, 0, 0, 0)))
            .blockDevices(
                rd + wr == 0 ? List.of() : List.of(new BlockDeviceStats(8, 32, rd, wr, 0, 0)))
            .pids(pids)
            .build();
    return new ContainerStats(id, "", "local", AT, cpu, s);
  }

  /** Values taken from the recorded payloads of the core module's EngineStatsMapperTest. */
  static StatsSnapshot snapshot() {
    return new StatsSnapshot(
        "local",
        AT,
        true,
        "",
        "engine-api",
        List.of(
            container("b", "burner", ContainerState.RUNNING, HealthStatus.NONE),
            container("w", "web", ContainerState.RUNNING, HealthStatus.HEALTHY),
            container("d", "db", ContainerState.RUNNING, HealthStatus.UNHEALTHY),
            container("j", "job", ContainerState.EXITED, HealthStatus.NONE)),
        Map.of(
            "b", stats("b", 49.71136, 872_448, 64 * MIB, 0, 0, 0, 0, 1),
            "w",
                stats(
                    "w",
                    197.155474,
                    67_100_672,
                    33_645_404_160L,
                    160_605,
                    3996,
                    56_963_072,
                    98_304,
                    20)),
        Map.of());
  }

  @Test
  void tableLooksLikeDockerStatsWithHealthAndASummary() {
    assertThat(StatusView.table(snapshot()))
        .isEqualTo(
            """
            NAME      CPU %     MEM USAGE / LIMIT     MEM %     NET I/O       BLOCK I/O       PIDS      HEALTH
            burner    49.71%    852KiB / 64MiB        1.30%     0B / 0B       0B / 0B         1         -
            db        --        -- / --               --        -- / --       -- / --         --        unhealthy
            web       197.16%   63.99MiB / 31.33GiB   0.20%     161kB / 4kB   57MB / 98.3kB   20        healthy
            3 running, 1 healthy, 1 unhealthy
            """);
  }

  @Test
  void withoutRunningContainersOnlyTheHeaderAndSummaryRemain() {
    StatsSnapshot empty =
        new StatsSnapshot("local", AT, true, "", "none", List.of(), Map.of(), Map.of());

    assertThat(StatusView.table(empty))
        .isEqualTo(
            "NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS      HEALTH\n"
                + "0 running, 0 healthy, 0 unhealthy\n");
  }

  @Test
  void aFirstSampleShowsItsValuesWithCpuAsDashesUntilTheSecond() {
    // One sample only (the table is printed from the first one): no CPU %, every other value.
    StatsSnapshot first =
        new StatsSnapshot(
            "local",
            AT,
            true,
            "",
            "cgroup",
            List.of(container("n", "new", ContainerState.RUNNING, HealthStatus.STARTING)),
            Map.of("n", stats("n", Double.NaN, 872_448, 64 * MIB, 0, 0, 0, 0, 1)),
            Map.of());

    assertThat(first.stats().get("n").hasCpuPercent()).isFalse();
    assertThat(StatusView.table(first))
        .isEqualTo(
            """
            NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS      HEALTH
            new       --        852KiB / 64MiB      1.30%     0B / 0B   0B / 0B     1         starting
            1 running, 0 healthy, 0 unhealthy
            """);
    assertThat(StatusView.cells(StatusView.rows(first).get(0)).get(1))
        .isEqualTo(StatusView.NO_VALUE);
  }

  @Test
  void jsonCarriesTheSameValuesAsTheTable() throws Exception {
    JsonNode json = new ObjectMapper().readTree(StatusView.json(snapshot()));

    assertThat(json.get("host").asText()).isEqualTo("local");
    assertThat(json.get("at").asText()).isEqualTo("2026-11-26T18:00:00Z");
    JsonNode rows = json.get("containers");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).get("name").asText()).isEqualTo("burner");
    assertThat(rows.get(0).get("cpuPercent").decimalValue()).isEqualByComparingTo("49.71");
    assertThat(rows.get(0).get("memoryWorkingSetBytes").asLong()).isEqualTo(872_448);
    assertThat(rows.get(0).get("memoryLimitBytes").asLong()).isEqualTo(64 * MIB);
    assertThat(rows.get(0).get("memoryPercent").decimalValue()).isEqualByComparingTo("1.30");
    assertThat(rows.get(0).get("health").asText()).isEqualTo("none");
    assertThat(rows.get(1).get("name").asText()).isEqualTo("db");
    assertThat(rows.get(1).get("cpuPercent").isNull()).isTrue();
    assertThat(rows.get(1).get("health").asText()).isEqualTo("unhealthy");
    JsonNode web = rows.get(2);
    assertThat(web.get("cpuPercent").decimalValue()).isEqualByComparingTo("197.16");
    assertThat(web.get("networkReceiveBytes").asLong()).isEqualTo(160_605);
    assertThat(web.get("networkTransmitBytes").asLong()).isEqualTo(3996);
    assertThat(web.get("blockReadBytes").asLong()).isEqualTo(56_963_072);
    assertThat(web.get("blockWriteBytes").asLong()).isEqualTo(98_304);
    assertThat(web.get("pids").asLong()).isEqualTo(20);
    assertThat(web.get("state").asText()).isEqualTo("running");
    assertThat(json.get("summary").get("running").asInt()).isEqualTo(3);
    assertThat(json.get("summary").get("healthy").asInt()).isEqualTo(1);
    assertThat(json.get("summary").get("unhealthy").asInt()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} bytes -> {1}")
  @CsvSource({
    "0, 0B",
    "1023, 1023B",
    "1024, 1KiB",
    "339968, 332KiB",
    "67108864, 64MiB",
    "25276510208, 23.54GiB",
    "1048575, 1024KiB",
    "1536, 1.5KiB"
  })
  void binarySizesFollowGoUnitsBytesSize(double bytes, String expected) {
    assertThat(StatusView.binarySize(bytes)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} bytes -> {1}")
  @CsvSource({
    "0, 0B",
    "999, 999B",
    "1000, 1kB",
    "1230, 1.23kB",
    "160605, 161kB",
    "3996, 4kB",
    "56963072, 57MB",
    "999600, 1e+03kB",
    "1500000000, 1.5GB"
  })
  void decimalSizesFollowGoUnitsHumanSizeWithPrecisionThree(double bytes, String expected) {
    assertThat(StatusView.decimalSize(bytes)).isEqualTo(expected);
  }

  @Test
  void percentagesRoundLikeGo() {
    assertThat(StatusView.percent(0)).isEqualTo("0.00%");
    assertThat(StatusView.percent(49.71136)).isEqualTo("49.71%");
    assertThat(StatusView.percent(Double.NaN)).isEqualTo("0.00%");
    assertThat(StatusView.formatG(0.00001234, 3)).isEqualTo("1.23e-05");
  }
}
