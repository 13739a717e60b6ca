package io.clustermonitor.exporters.node;

import static io.clustermonitor.exporters.CompatSupport.awaitMetrics;
import static io.clustermonitor.exporters.CompatSupport.differences;
import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.CompatSupport.Parsed;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The btrfs collector against Debian's node_exporter on a small btrfs made for the test: an image
 * file on a loop device (btrfs-progs, util-linux), mounted under a temporary directory for the
 * duration of one scrape of each exporter, then unmounted and detached.
 */
class NodeBtrfsCompatibilityIT {
  @TempDir Path dir;

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": no answer in 120 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out.strip();
  }

  @Test
  void deviceSizesAndErrorCountersOfAMountedBtrfsMatchNodeExporter() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/prometheus-node-exporter")));
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mkfs.btrfs")), "btrfs-progs");
    assumeTrue(Files.exists(Path.of("/dev/loop-control")), "loop devices");
    assumeTrue(Files.readString(Path.of("/proc/filesystems")).contains("\tbtrfs"), "btrfs");

    Path image = dir.resolve("btrfs.img");
    try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
      f.setLength(256L << 20);
    }
    run("/usr/sbin/mkfs.btrfs", "-q", "-L", "cm-test", image.toString());
    String loop = run("/usr/sbin/losetup", "-f", "--show", image.toString());
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    String theirsText;
    String mineText;
    try {
      run("/usr/bin/mount", "-t", "btrfs", loop, mnt.toString());
      try {
        int port = freePort();
        CompatSupport.Started go =
            CompatSupport.start(
                Map.of(),
                "/usr/bin/prometheus-node-exporter",
                "--web.listen-address=127.0.0.1:" + port,
                "--collector.disable-defaults",
                "--collector.btrfs");
        try {
          theirsText = awaitMetrics("http://127.0.0.1:" + port + "/metrics");
        } finally {
          go.close();
        }
        mineText =
            CollectorTestKit.render(
                NodeCollector.builder().disableDefaults().enable("btrfs").build().collect());
      } finally {
        run("/usr/bin/umount", mnt.toString());
      }
    } finally {
      run("/usr/sbin/losetup", "-d", loop);
    }

    Map<String, Parsed> mine = parse(mineText);
    Map<String, Parsed> theirs = parse(theirsText);
    mine.keySet().removeIf(n -> !n.startsWith("node_btrfs_"));
    theirs.keySet().removeIf(n -> !n.startsWith("node_btrfs_"));
    assertThat(theirs).containsKey("node_btrfs_device_errors_total");
    assertThat(new TreeSet<>(mine.keySet())).isEqualTo(new TreeSet<>(theirs.keySet()));
    assertThat(differences(mine, theirs, new TreeSet<>(mine.keySet()))).isEmpty();
    String device = loop.substring(loop.lastIndexOf('/') + 1);
    for (String name : mine.keySet()) {
      assertThat(sorted(mine.get(name).samples()))
          .as(name)
          .isEqualTo(sorted(theirs.get(name).samples()));
    }
    assertThat(mine.get("node_btrfs_device_errors_total").samples())
        .filteredOn(s -> s.labels().get("device").equals(device))
        .extracting(s -> s.labels().get("type"))
        .containsExactlyInAnyOrder("write", "read", "flush", "corruption", "generation");
    assertThat(mine.get("node_btrfs_info").samples())
        .anyMatch(s -> s.labels().get("label").equals("cm-test"));
  }

  private static List<String> sorted(List<CompatSupport.Sample> samples) {
    return samples.stream()
        .map(s -> new java.util.TreeMap<>(s.labels()) + "=" + s.value())
        .sorted()
        .toList();
  }
}
