package io.clustermonitor.examples;

import static io.clustermonitor.examples.api.DockerCli.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermonitor.examples.api.DockerCli;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code status --json} and {@code docker stats --no-stream} agree for the same containers: CPU
 * within 10 points, memory within 10 %. The two read at slightly different instants, so a pair of
 * readings that disagrees is retried (bounded).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusAgreesWithDockerStatsIT {
  private final DockerCli cli = new DockerCli(StatusAgreesWithDockerStatsIT.class.getSimpleName());
  private List<String> ids;

  @BeforeAll
  void startContainers() {
    String busy =
        cli.run(
            List.of("--network", "none", "--cpus", "0.5", "--memory", "64m"),
            "sh",
            "-c",
            "yes >/dev/null");
    String sleepy = cli.run(List.of("--network", "none", "--memory", "32m"), "sleep", "600");
    String hog =
        cli.run(
            List.of("--network", "none", "--memory", "64m"),
            "sh",
            "-c",
            "dd if=/dev/zero of=/tmp/f bs=1M count=16 2>/dev/null; sleep 600");
    ids = List.of(busy, sleepy, hog);
  }

  @AfterAll
  void removeContainers() {
    cli.removeAll();
  }

  /** docker's {@code 1.5MiB}, {@code 812KiB}, {@code 0B}. */
  static long bytes(String s) {
    String[][] units = {{"GiB", "1073741824"}, {"MiB", "1048576"}, {"KiB", "1024"}, {"B", "1"}};
    for (String[] u : units) {
      if (s.endsWith(u[0])) {
        double v = Double.parseDouble(s.substring(0, s.length() - u[0].length()));
        return Math.round(v * Long.parseLong(u[1]));
      }
    }
    throw new IllegalArgumentException("unknown size " + s);
  }

  @Test
  void cpuAndMemoryAgreeWithDockerStats() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(100))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              StatusCommandIT.Result r = StatusCommandIT.jar("status", "--json");
              assertThat(r.exit()).as(r.err()).isZero();
              Map<String, JsonNode> ours = new HashMap<>();
              for (JsonNode c : new ObjectMapper().readTree(r.out()).get("containers")) {
                ours.put(c.get("id").asText(), c);
              }
              List<String> args =
                  new java.util.ArrayList<>(
                      List.of(
                          "stats",
                          "--no-stream",
                          "--no-trunc",
                          "--format",
                          "{{.ID}}|{{.CPUPerc}}|{{.MemUsage}}"));
              args.addAll(ids);
              for (String line : docker(args.toArray(String[]::new)).split("\n")) {
                String[] f = line.split("\\|");
                JsonNode c = ours.get(f[0]);
                assertThat(c).as("status lists " + f[0]).isNotNull();
                double cpu = Double.parseDouble(f[1].replace("%", ""));
                long mem = bytes(f[2].split("/")[0].trim());
                assertThat(c.get("cpuPercent").asDouble()).as(line).isCloseTo(cpu, within(10.0));
                assertThat(c.get("memoryWorkingSetBytes").asLong())
                    .as(line)
                    .isCloseTo(mem, within(Math.max(mem / 10, 64 * 1024L)));
              }
            });
  }
}
