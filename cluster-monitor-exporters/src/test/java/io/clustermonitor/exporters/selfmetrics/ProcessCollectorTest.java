package io.clustermonitor.exporters.selfmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCollectorTest {

  private static Map<String, MetricFamily> byName(List<MetricFamily> families) {
    return families.stream().collect(Collectors.toMap(MetricFamily::name, f -> f));
  }

  private static double value(Map<String, MetricFamily> m, String name) {
    assertThat(m).containsKey(name);
    return m.get(name).samples().get(0).value();
  }

  private static String[] statFields() throws Exception {
    String s = Files.readString(Path.of("/proc/self/stat"));
    return s.substring(s.lastIndexOf(')') + 2).split(" ");
  }

  private static double statusKb(String key) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(key + ":")) {
        return Double.parseDouble(line.substring(key.length() + 1).trim().split("\\s+")[0]) * 1024;
      }
    }
    throw new AssertionError(key + " not in /proc/self/status");
  }

  @Test
  void valuesAgreeWithProcSelfWithinFivePercent() throws Exception {
    List<byte[]> ballast = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ballast.add(new byte[4 << 20]); // some resident memory of our own
      java.util.Arrays.fill(ballast.get(i), (byte) 1);
    }
    String[] before = statFields();
    double rssBefore = statusKb("VmRSS");
    double vmBefore = statusKb("VmSize");
    Map<String, MetricFamily> m = byName(new ProcessCollector().collect());
    String[] after = statFields();
    double rssAfter = statusKb("VmRSS");
    double vmAfter = statusKb("VmSize");

    double cpuBefore = (Double.parseDouble(before[11]) + Double.parseDouble(before[12])) / 100;
    double cpuAfter = (Double.parseDouble(after[11]) + Double.parseDouble(after[12])) / 100;
    double cpu = value(m, "process_cpu_seconds_total");
    assertThat(cpu).isBetween(cpuBefore * 0.95, cpuAfter * 1.05);
    assertThat(m.get("process_cpu_seconds_total").type()).isEqualTo(MetricType.COUNTER);

    assertThat(value(m, "process_resident_memory_bytes"))
        .isBetween(Math.min(rssBefore, rssAfter) * 0.95, Math.max(rssBefore, rssAfter) * 1.05);
    assertThat(value(m, "process_virtual_memory_bytes"))
        .isBetween(Math.min(vmBefore, vmAfter) * 0.95, Math.max(vmBefore, vmAfter) * 1.05);

    long fds;
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      fds = s.count();
    }
    assertThat(value(m, "process_open_fds")).isCloseTo(fds, within(Math.max(3, fds * 0.05)));

    String maxFiles =
        Files.readAllLines(Path.of("/proc/self/limits")).stream()
            .filter(l -> l.startsWith("Max open files"))
            .findFirst()
            .orElseThrow()
            .substring("Max open files".length())
            .trim()
            .split("\\s+")[0];
    assertThat(value(m, "process_max_fds")).isEqualTo(Double.parseDouble(maxFiles));

    double start =
        ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() / 1000.0;
    assertThat(value(m, "process_start_time_seconds")).isCloseTo(start, within(1.0));
    assertThat(m).containsKey("process_virtual_memory_max_bytes");
    assertThat(ballast).hasSize(8);
  }

  @Test
  void pageSizeComesFromTheAuxiliaryVector() throws Exception {
    double pages = Double.parseDouble(Files.readString(Path.of("/proc/self/statm")).split(" ")[1]);
    double rss = statusKb("VmRSS");
    long page = ProcessCollector.pageSize(Path.of("/proc/self"));
    assertThat(pages * page).isCloseTo(rss, within(rss * 0.05));
  }

  @Test
  void recordedProcTreeGivesGoTheSameNumbers(@TempDir Path proc) throws Exception {
    Path self = Files.createDirectories(proc.resolve("42"));
    Files.writeString(proc.resolve("stat"), "cpu  1 2 3\nbtime 1700000000\nprocesses 5\n");
    Files.writeString(
        self.resolve("stat"),
        "42 (java (x) y) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 12345"
            + " 3000000000 5000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
    Files.writeString(
        self.resolve("limits"),
        "Limit                     Soft Limit           Hard Limit           Units     \n"
            + "Max open files            1024                 4096                 files     \n"
            + "Max address space         unlimited            unlimited            bytes     \n");
    Files.createDirectories(self.resolve("fd"));
    for (int i = 0; i < 4; i++) {
      Files.writeString(self.resolve("fd").resolve(String.valueOf(i)), "");
    }
    Map<String, MetricFamily> m = byName(new ProcessCollector(proc, "42").collect());
    assertThat(value(m, "process_cpu_seconds_total")).isEqualTo(3.0);
    assertThat(value(m, "process_virtual_memory_bytes")).isEqualTo(3_000_000_000.0);
    assertThat(value(m, "process_resident_memory_bytes")).isEqualTo(5000.0 * 4096);
    assertThat(value(m, "process_start_time_seconds")).isEqualTo(1700000000 + 123.45);
    assertThat(value(m, "process_open_fds")).isEqualTo(4);
    assertThat(value(m, "process_max_fds")).isEqualTo(1024);
    assertThat(value(m, "process_virtual_memory_max_bytes")).isEqualTo(18446744073709551615.0);
  }

  @Test
  void promtoolFindsNothingInProcessJvmAndBuildInfo() throws Exception {
    List<MetricFamily> all = new ArrayList<>(new ProcessCollector().collect());
    all.addAll(new JvmCollector().collect());
    all.addAll(ExporterBuildInfo.node().collect());
    all.addAll(ExporterBuildInfo.postgres().collect());
    all.addAll(ExporterBuildInfo.redis().collect());
    String text = MetricFamily.toText(all);
    assertThat(CompatSupport.promtool(text)).isEmpty();
    assertThat(text)
        .contains("# TYPE process_cpu_seconds_total counter")
        .contains("node_exporter_build_info{branch=\"unknown\",goarch=")
        .contains("goversion=\"java" + System.getProperty("java.version") + "\"")
        .contains("redis_exporter_build_info{version=");
  }
}
