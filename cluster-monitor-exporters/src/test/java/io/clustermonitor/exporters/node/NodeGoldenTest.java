package io.clustermonitor.exporters.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricsCollector;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden exposition per collector, on the file tree under {@code node/more} (recorded on the test
 * machine: entropy, filefd, os-release, cpuinfo, stat; written from the kernel's documented formats
 * where the machine has no such files: thermal, cpufreq, dmi, edac, nvme, rapl, mdstat, schedstat,
 * selinux). Run with {@code -Dgolden.update=true} to rewrite the files, then review the diff.
 */
class NodeGoldenTest {

  static Path resource(String dir) {
    try {
      return Path.of(NodeGoldenTest.class.getResource("/node/" + dir).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static NodeCollector.Builder more() {
    Path root = resource("more");
    return NodeCollector.builder()
        .procfs(root.resolve("proc"))
        .sysfs(root.resolve("sys"))
        .rootfs(root.resolve("rootfs"))
        .udevData(root.resolve("no-udev"))
        .disableDefaults();
  }

  static String render(NodeCollector node) throws Exception {
    StringBuilder text = new StringBuilder();
    for (MetricsCollector c : node.subCollectors()) {
      List<MetricFamily> families = c.collect();
      text.append(MetricFamily.toText(families));
    }
    return text.toString();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bcache",
        "btrfs",
        "cpu",
        "cpufreq",
        "dmi",
        "edac",
        "entropy",
        "filefd",
        "hwmon",
        "mdadm",
        "nvme",
        "os",
        "powersupplyclass",
        "rapl",
        "schedstat",
        "selinux",
        "stat",
        "tapestats",
        "thermal_zone",
        "xfs",
        "zfs"
      })
  void collectorMatchesItsGoldenExposition(String name) throws Exception {
    NodeCollector node =
        more()
            .enable(name)
            .option("cpu.info", "true")
            .option("cpu.info.flags-include", "^(aes|avx.?)$")
            .option("cpu.info.bugs-include", "spectre")
            .option("stat.softirq", "true")
            .option("bcache.priorityStats", "true")
            .build();
    assertThat(node.collectorNames()).containsExactly(name);
    // paths in labels (rapl's path) are written relative to the fixture root
    String actual = render(node).replace(resource("more").toString(), "/FIXTURE");
    Path golden =
        Path.of("src/test/resources/node/golden").toAbsolutePath().resolve(name + ".prom");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
