package io.clustermonitor.exporters.node;

import static io.clustermonitor.exporters.CollectorTestSupport.family;
import static io.clustermonitor.exporters.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCollectorTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T17:00:00.5Z"), ZoneId.of("UTC"));

  @TempDir Path rootfs;

  private static Path fixture(String dir) {
    try {
      return Path.of(NodeCollectorTest.class.getResource("/node/" + dir).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private NodeCollector.Builder recorded() {
    return NodeCollector.builder()
        .procfs(fixture("proc"))
        .sysfs(fixture("sys"))
        .rootfs(rootfs)
        .udevData(rootfs.resolve("no-udev"))
        .clock(CLOCK);
  }

  @Test
  void recordedProcfsIsReportedWithNodeExporterNamesAndUnits() {
    List<MetricFamily> f = recorded().build().collect();

    assertThat(value(f, "node_memory_MemTotal_bytes")).isEqualTo(24684092.0 * 1024);
    assertThat(value(f, "node_memory_Active_anon_bytes")).isEqualTo(18216.0 * 1024);
    assertThat(value(f, "node_memory_HugePages_Total")).isZero();
    assertThat(family(f, "node_memory_MemTotal_bytes").help())
        .isEqualTo("Memory information field MemTotal_bytes.");
    assertThat(value(f, "node_load1")).isEqualTo(0.63);
    assertThat(value(f, "node_load15")).isEqualTo(0.24);
    assertThat(value(f, "node_boot_time_seconds")).isEqualTo(1795714334);
    assertThat(value(f, "node_context_switches_total")).isEqualTo(736071);
    assertThat(value(f, "node_forks_total")).isEqualTo(13248);
    assertThat(value(f, "node_intr_total")).isEqualTo(322363);
    assertThat(value(f, "node_procs_running")).isEqualTo(1);
    assertThat(family(f, "node_forks_total").type()).isEqualTo(MetricType.COUNTER);
    assertThat(value(f, "node_cpu_seconds_total", "cpu", "0", "mode", "user")).isEqualTo(73.01);
    assertThat(value(f, "node_cpu_seconds_total", "cpu", "1", "mode", "idle")).isEqualTo(453.54);
    assertThat(family(f, "node_cpu_seconds_total").samples()).hasSize(16);
    assertThat(value(f, "node_pressure_cpu_waiting_seconds_total")).isEqualTo(39.345049);
    assertThat(value(f, "node_vmstat_pgfault")).isEqualTo(4291543);
    assertThat(family(f, "node_vmstat_pgfault").type()).isEqualTo(MetricType.UNTYPED);
    assertThat(f).noneMatch(m -> m.name().equals("node_vmstat_nr_free_pages"));
    assertThat(value(f, "node_time_seconds")).isEqualTo(1795712400.5);
    assertThat(value(f, "node_time_zone_offset_seconds", "time_zone", "UTC")).isZero();
    assertThat(value(f, "node_time_clocksource_current_info", "clocksource", "tsc", "device", "0"))
        .isEqualTo(1);
    assertThat(family(f, "node_uname_info").samples().get(0).labels())
        .containsEntry("sysname", "Linux")
        .containsKeys("release", "version", "machine", "nodename", "domainname");
  }

  @Test
  void diskstatsConvertSectorsAndMillisecondsAndSkipLoopDevices() {
    List<MetricFamily> f = recorded().build().collect();

    assertThat(value(f, "node_disk_reads_completed_total", "device", "vda")).isEqualTo(43070);
    assertThat(value(f, "node_disk_read_bytes_total", "device", "vda")).isEqualTo(2960410.0 * 512);
    assertThat(value(f, "node_disk_read_time_seconds_total", "device", "vda")).isEqualTo(30.669);
    assertThat(value(f, "node_disk_flush_requests_total", "device", "vda")).isEqualTo(2334);
    assertThat(value(f, "node_disk_io_now", "device", "vda")).isZero();
    assertThat(family(f, "node_disk_reads_completed_total").samples())
        .extracting(s -> s.labels().get("device"))
        .containsExactly("vda", "zram0");
    assertThat(family(f, "node_disk_info").samples().get(0).labels())
        .containsOnlyKeys("device", "major", "minor", "path", "wwn", "model", "serial", "revision")
        .containsEntry("major", "254");
  }

  @Test
  void diskPartitionsAreExcludedByDefault() throws IOException {
    Path proc = Files.createDirectories(rootfs.resolve("proc"));
    Files.writeString(
        proc.resolve("diskstats"),
        " 8 0 sda 1 0 8 1 1 0 8 1 0 1 2\n 8 1 sda1 1 0 8 1 1 0 8 1 0 1 2\n"
            + " 259 0 nvme0n1 1 0 8 1 1 0 8 1 0 1 2\n 259 1 nvme0n1p1 1 0 8 1 1 0 8 1 0 1 2\n");

    List<MetricFamily> f = new java.util.ArrayList<>();
    new DiskstatsCollector(
            new HostPaths(proc, rootfs, rootfs),
            java.util.regex.Pattern.compile(NodeCollector.DEFAULT_DISK_DEVICE_EXCLUDE),
            rootfs)
        .collect(f);

    assertThat(family(f, "node_disk_reads_completed_total").samples())
        .extracting(s -> s.labels().get("device"))
        .containsExactly("sda", "nvme0n1");
    assertThat(family(f, "node_disk_reads_completed_total").samples()).hasSize(2);
  }

  @Test
  void netdevReportsEveryDeviceWithTheNoHandlerCounterFromSysfs() {
    List<MetricFamily> f = recorded().build().collect();

    assertThat(value(f, "node_network_receive_bytes_total", "device", "eth0")).isEqualTo(146529649);
    assertThat(value(f, "node_network_transmit_packets_total", "device", "lo")).isEqualTo(627);
    assertThat(value(f, "node_network_transmit_colls_total", "device", "ifb0")).isZero();
    assertThat(value(f, "node_network_receive_nohandler_total", "device", "eth0")).isZero();
    assertThat(family(f, "node_network_receive_bytes_total").help())
        .isEqualTo("Network device statistic receive_bytes.");
  }

  @Test
  void everySubCollectorReportsSuccessAndDuration() {
    NodeCollector c = recorded().build();
    List<MetricFamily> f = c.collect();

    assertThat(c.collectorNames())
        .containsExactly(
            "arp",
            "bcache",
            "bonding",
            "btrfs",
            "conntrack",
            "cpu",
            "cpufreq",
            "diskstats",
            "dmi",
            "edac",
            "entropy",
            "fibrechannel",
            "filefd",
            "filesystem",
            "hwmon",
            "infiniband",
            "ipvs",
            "loadavg",
            "mdadm",
            "meminfo",
            "netclass",
            "netdev",
            "netstat",
            "nfs",
            "nfsd",
            "nvme",
            "os",
            "powersupplyclass",
            "pressure",
            "rapl",
            "schedstat",
            "selinux",
            "sockstat",
            "softnet",
            "stat",
            "tapestats",
            "textfile",
            "thermal_zone",
            "time",
            "timex",
            "udp_queues",
            "uname",
            "vmstat",
            "xfs",
            "zfs");
    assertThat(c.unimplemented()).isEmpty();
    for (String name :
        List.of(
            "cpu",
            "diskstats",
            "filesystem",
            "loadavg",
            "meminfo",
            "netdev",
            "pressure",
            "stat",
            "time",
            "uname",
            "vmstat",
            "cpufreq",
            "edac",
            "selinux",
            "textfile",
            "thermal_zone",
            "powersupplyclass",
            "xfs",
            "btrfs",
            "bcache")) {
      assertThat(value(f, "node_scrape_collector_success", "collector", name))
          .as(name)
          .isEqualTo(1);
      assertThat(value(f, "node_scrape_collector_duration_seconds", "collector", name))
          .isGreaterThanOrEqualTo(0);
    }
    // the recorded tree has none of these files: success 0, as node_exporter's ErrNoData
    for (String name :
        List.of("dmi", "hwmon", "mdadm", "nvme", "rapl", "schedstat", "tapestats", "zfs")) {
      assertThat(value(f, "node_scrape_collector_success", "collector", name)).as(name).isZero();
    }
    assertThat(f)
        .noneMatch(m -> m.name().startsWith("node_md_") || m.name().startsWith("node_dmi"));
  }

  @Test
  void aMissingProcfsFileFailsOnlyItsSubCollector() throws IOException {
    Path proc = Files.createDirectories(rootfs.resolve("emptyproc"));
    Files.writeString(proc.resolve("loadavg"), "1.00 2.00 3.00 1/1 1\n");

    List<MetricFamily> f = recorded().procfs(proc).build().collect();

    assertThat(value(f, "node_scrape_collector_success", "collector", "loadavg")).isEqualTo(1);
    assertThat(value(f, "node_scrape_collector_success", "collector", "meminfo")).isZero();
    assertThat(value(f, "node_scrape_collector_success", "collector", "pressure")).isZero();
    assertThat(value(f, "node_load5")).isEqualTo(2.0);
    assertThat(f).noneMatch(m -> m.name().startsWith("node_memory_"));
  }

  private Path procWithMounts(String mounts) throws IOException {
    Path proc = Files.createDirectories(rootfs.resolve("fsproc/1"));
    Files.writeString(proc.resolve("mounts"), mounts);
    return proc.getParent();
  }

  @Test
  void filesystemsAreMeasuredUnderTheRootfsWithThePrefixStrippedAndDefaultsExcluded()
      throws IOException {
    Files.createDirectories(rootfs.resolve("data"));
    Path host = rootfs;
    String mounts =
        "/dev/vda "
            + host
            + " ext4 rw,relatime 0 0\n"
            + "/dev/vdb "
            + host
            + "/data xfs ro,relatime 0 0\n"
            + "proc "
            + host
            + "/proc proc rw 0 0\n"
            + "tmpfs "
            + host
            + "/dev/shm tmpfs rw 0 0\n"
            + "overlay "
            + host
            + "/var/lib/docker/overlay2/x/merged overlay rw 0 0\n"
            + "cgroup "
            + host
            + "/cg cgroup rw 0 0\n";
    Path proc = procWithMounts(mounts);

    List<MetricFamily> f = recorded().procfs(proc).build().collect();

    MetricFamily size = family(f, "node_filesystem_size_bytes");
    assertThat(size.samples())
        .extracting(s -> s.labels().get("mountpoint"))
        .containsExactly("/", "/data");
    assertThat(size.samples().get(0).labels())
        .containsExactly(
            Map.entry("device", "/dev/vda"),
            Map.entry("fstype", "ext4"),
            Map.entry("mountpoint", "/"));
    assertThat(size.samples().get(0).value()).isPositive();
    assertThat(value(f, "node_filesystem_avail_bytes", "mountpoint", "/")).isPositive();
    assertThat(value(f, "node_filesystem_readonly", "mountpoint", "/data")).isEqualTo(1);
    assertThat(value(f, "node_filesystem_readonly", "mountpoint", "/")).isZero();
    assertThat(value(f, "node_filesystem_device_error", "mountpoint", "/")).isZero();
    assertThat(value(f, "node_filesystem_files", "mountpoint", "/")).isPositive();
  }

  @Test
  void aStuckMountIsReportedAsDeviceErrorWithinTheTimeout() throws Exception {
    Files.createDirectories(rootfs.resolve("nfs"));
    Path proc =
        procWithMounts(
            "/dev/vda " + rootfs + " ext4 rw 0 0\n" + "srv:/x " + rootfs + "/nfs nfs4 rw 0 0\n");
    CountDownLatch release = new CountDownLatch(1);
    FilesystemCollector.Statfs hangsOnNfs =
        path -> {
          if (path.endsWith("nfs")) {
            try {
              release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return new FilesystemCollector.Usage(100, 50, 40, 10, 5);
        };
    NodeCollector c =
        recorded().procfs(proc).statfs(hangsOnNfs).statfsTimeout(Duration.ofMillis(200)).build();

    long start = System.nanoTime();
    List<MetricFamily> first = c.collect();
    List<MetricFamily> second = c.collect();
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    release.countDown();

    // two scrapes with a 200 ms statfs timeout; the stuck call alone would hold one for a minute
    assertThat(elapsedMs).isLessThan(30_000);
    for (List<MetricFamily> f : List.of(first, second)) {
      assertThat(value(f, "node_filesystem_device_error", "mountpoint", "/nfs")).isEqualTo(1);
      assertThat(value(f, "node_filesystem_device_error", "mountpoint", "/")).isZero();
      assertThat(value(f, "node_filesystem_size_bytes", "mountpoint", "/")).isEqualTo(100);
      assertThat(family(f, "node_filesystem_size_bytes").samples()).hasSize(1);
      assertThat(value(f, "node_scrape_collector_success", "collector", "filesystem")).isEqualTo(1);
    }
  }

  @Test
  void aMissingMountPointIsADeviceError() throws IOException {
    Path proc = procWithMounts("/dev/vdz " + rootfs + "/gone ext4 rw 0 0\n");

    List<MetricFamily> f = recorded().procfs(proc).build().collect();

    assertThat(value(f, "node_filesystem_device_error", "mountpoint", "/gone")).isEqualTo(1);
    assertThat(f).noneMatch(m -> m.name().equals("node_filesystem_size_bytes"));
  }

  @Test
  void rootfsPrefixIsStrippedOnlyAtAPathBoundary() {
    HostPaths p = new HostPaths(Path.of("/proc"), Path.of("/sys"), Path.of("/host"));

    assertThat(p.stripRootfs("/host")).isEqualTo("/");
    assertThat(p.stripRootfs("/host/var")).isEqualTo("/var");
    assertThat(p.stripRootfs("/hostile")).isEqualTo("/hostile");
    assertThat(new HostPaths(Path.of("/p"), Path.of("/s"), Path.of("/")).stripRootfs("/x"))
        .isEqualTo("/x");
    assertThat(p.rootfsFile("/")).isEqualTo(Path.of("/host"));
    assertThat(p.rootfsFile("/var/lib")).isEqualTo(Path.of("/host/var/lib"));
  }

  @Test
  void badBuilderInputIsRejected() {
    assertThatThrownBy(() -> NodeCollector.builder().statfsTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodeCollector.builder().procfs(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> NodeCollector.builder().mountPointsExclude("("))
        .isInstanceOf(java.util.regex.PatternSyntaxException.class);
  }

  @Test
  void subCollectorsServeTheSameFamiliesOnePerCollector() throws Exception {
    NodeCollector c = recorded().build();

    List<io.clustermonitor.exporters.MetricsCollector> subs = c.subCollectors();

    assertThat(subs)
        .extracting(io.clustermonitor.exporters.MetricsCollector::name)
        .isEqualTo(c.collectorNames());
    List<MetricFamily> loadavg = subs.get(c.collectorNames().indexOf("loadavg")).collect();
    assertThat(loadavg)
        .extracting(MetricFamily::name)
        .containsExactly("node_load1", "node_load5", "node_load15");
    Path empty = Files.createDirectories(rootfs.resolve("none"));
    assertThatThrownBy(
            () ->
                recorded()
                    .procfs(empty)
                    .disableDefaults()
                    .enable("cpu")
                    .build()
                    .subCollectors()
                    .get(0)
                    .collect())
        .isInstanceOf(IOException.class);
  }

  private static java.util.Set<String> names(List<MetricFamily> families) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    families.forEach(f -> out.add(f.name()));
    return out;
  }

  @Test
  void noCollectorRemovesExactlyThatCollectorsFamiliesAndSeries() {
    List<MetricFamily> all = recorded().build().collect();
    List<MetricFamily> without = recorded().disable("loadavg").disable("uname").build().collect();

    java.util.Set<String> removed = names(all);
    removed.removeAll(names(without));
    assertThat(removed)
        .containsExactly("node_load1", "node_load15", "node_load5", "node_uname_info");
    assertThat(family(without, "node_scrape_collector_success").samples())
        .hasSize(family(all, "node_scrape_collector_success").samples().size() - 2)
        .noneMatch(x -> x.labels().get("collector").equals("loadavg"));
  }

  @Test
  void disableDefaultsKeepsOnlyTheEnabledCollectors() {
    NodeCollector c = recorded().disableDefaults().enable("meminfo").build();
    assertThat(c.collectorNames()).containsExactly("meminfo");
    assertThat(names(c.collect()))
        .allMatch(n -> n.startsWith("node_memory_") || n.startsWith("node_scrape_collector_"));
    assertThatThrownBy(() -> NodeCollector.builder().enable("nosuch"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nosuch");
  }

  @Test
  void aBlockingTextfileCostsOnlyTheTextfileCollectorWithinTheTimeout() throws Exception {
    Path dir = Files.createDirectories(rootfs.resolve("textfiles"));
    Path fifo = dir.resolve("blocked.prom");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(mkfifo.exitValue()).isZero();
    NodeCollector c =
        recorded()
            .option("textfile.directory", dir.toString())
            .collectorTimeout(Duration.ofSeconds(2))
            .build();
    try {
      long start = System.nanoTime();
      List<MetricFamily> f = c.collect();
      double seconds = (System.nanoTime() - start) / 1e9;

      assertThat(seconds).isLessThan(30);
      assertThat(value(f, "node_scrape_collector_success", "collector", "textfile")).isZero();
      assertThat(value(f, "node_scrape_collector_success", "collector", "loadavg")).isEqualTo(1);
      assertThat(value(f, "node_scrape_collector_duration_seconds", "collector", "loadavg"))
          .isLessThan(2);
      assertThat(value(f, "node_load1")).isEqualTo(0.63);
    } finally {
      // release the blocked reader
      try (var w = Files.newOutputStream(fifo)) {
        w.write("x 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void hwmonNamesTheChipAfterItsDeviceLinkAsNodeExporterDoes() throws Exception {
    Path sys = rootfs.resolve("hwsys");
    Path device = Files.createDirectories(sys.resolve("devices/platform/coretemp.0"));
    Path hw = Files.createDirectories(sys.resolve("class/hwmon/hwmon3"));
    Files.createSymbolicLink(hw.resolve("device"), device);
    Files.writeString(hw.resolve("name"), "coretemp\n");
    Files.writeString(hw.resolve("temp2_input"), "41000\n");
    Files.writeString(hw.resolve("temp2_label"), "Core 0\n");
    NodeCollector c = recorded().sysfs(sys).disableDefaults().enable("hwmon").build();
    List<MetricFamily> f = c.collect();
    assertThat(
            value(f, "node_hwmon_temp_celsius", "chip", "platform_coretemp_0", "sensor", "temp2"))
        .isEqualTo(41.0);
    assertThat(
            value(
                f, "node_hwmon_chip_names", "chip", "platform_coretemp_0", "chip_name", "coretemp"))
        .isEqualTo(1);
    assertThat(
            value(
                f,
                "node_hwmon_sensor_label",
                "chip",
                "platform_coretemp_0",
                "label",
                "Core 0",
                "sensor",
                "temp2"))
        .isEqualTo(1);
    NodeCollector excluded =
        recorded()
            .sysfs(sys)
            .disableDefaults()
            .enable("hwmon")
            .option("hwmon.chip-exclude", "coretemp")
            .build();
    assertThat(names(excluded.collect())).allMatch(n -> n.startsWith("node_scrape_"));
  }
}
