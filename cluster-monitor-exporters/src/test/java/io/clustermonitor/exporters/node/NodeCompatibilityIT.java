package io.clustermonitor.exporters.node;

import static io.clustermonitor.exporters.CompatSupport.awaitMetrics;
import static io.clustermonitor.exporters.CompatSupport.differences;
import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.lintSubject;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static io.clustermonitor.exporters.CompatSupport.promtool;
import static io.clustermonitor.exporters.CompatSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.CompatSupport.Parsed;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our host collector beside node_exporter 1.5 (Debian) on the same machine. */
class NodeCompatibilityIT {
  /** The families docs/metrics.md lists for the host; each must match the reference. */
  static final List<String> DOCUMENTED =
      List.of(
          "node_cpu_seconds_total",
          "node_cpu_guest_seconds_total",
          "node_memory_MemTotal_bytes",
          "node_memory_MemFree_bytes",
          "node_memory_MemAvailable_bytes",
          "node_memory_Buffers_bytes",
          "node_memory_Cached_bytes",
          "node_memory_SwapTotal_bytes",
          "node_memory_Active_anon_bytes",
          "node_memory_HugePages_Total",
          "node_load1",
          "node_load5",
          "node_load15",
          "node_filesystem_size_bytes",
          "node_filesystem_free_bytes",
          "node_filesystem_avail_bytes",
          "node_filesystem_files",
          "node_filesystem_files_free",
          "node_filesystem_readonly",
          "node_filesystem_device_error",
          "node_disk_info",
          "node_disk_reads_completed_total",
          "node_disk_read_bytes_total",
          "node_disk_written_bytes_total",
          "node_disk_read_time_seconds_total",
          "node_disk_write_time_seconds_total",
          "node_disk_io_time_seconds_total",
          "node_disk_io_time_weighted_seconds_total",
          "node_disk_io_now",
          "node_disk_discards_completed_total",
          "node_disk_flush_requests_total",
          "node_network_receive_bytes_total",
          "node_network_transmit_bytes_total",
          "node_network_receive_packets_total",
          "node_network_transmit_packets_total",
          "node_network_receive_errs_total",
          "node_network_receive_drop_total",
          "node_network_receive_nohandler_total",
          "node_network_transmit_colls_total",
          "node_boot_time_seconds",
          "node_context_switches_total",
          "node_forks_total",
          "node_intr_total",
          "node_procs_running",
          "node_procs_blocked",
          "node_uname_info",
          "node_time_seconds",
          "node_time_zone_offset_seconds",
          "node_time_clocksource_available_info",
          "node_time_clocksource_current_info",
          "node_vmstat_pgfault",
          "node_vmstat_pgmajfault",
          "node_vmstat_pgpgin",
          "node_vmstat_oom_kill",
          "node_pressure_cpu_waiting_seconds_total",
          "node_pressure_io_waiting_seconds_total",
          "node_pressure_io_stalled_seconds_total",
          "node_pressure_memory_waiting_seconds_total",
          "node_pressure_memory_stalled_seconds_total",
          "node_scrape_collector_success",
          "node_scrape_collector_duration_seconds");

  static CompatSupport.Started reference;
  static String referenceUrl;

  @BeforeAll
  static void startReference() throws Exception {
    int port = freePort();
    referenceUrl = "http://127.0.0.1:" + port + "/metrics";
    reference =
        CompatSupport.start(
            Map.of(),
            "/usr/bin/prometheus-node-exporter",
            "--web.listen-address=127.0.0.1:" + port);
    awaitMetrics(referenceUrl);
  }

  @AfterAll
  static void stopReference() {
    if (reference != null) {
      reference.close();
    }
  }

  @Test
  void everyFamilyWeShareWithNodeExporterHasItsTypeAndLabels() throws Exception {
    Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
    Map<String, Parsed> mine = parse(CollectorTestKit.render(NodeCollector.create().collect()));

    Set<String> documented = new TreeSet<>(DOCUMENTED);
    documented.removeIf(n -> n.startsWith("node_pressure") && !theirs.containsKey(n));
    assertThat(differences(mine, theirs, documented)).isEmpty();
    Set<String> common = new TreeSet<>(mine.keySet());
    common.retainAll(theirs.keySet());
    // 1.5 -> 1.7 label changes of the network collectors: checked in NodeNetCompatibilityIT
    common.removeAll(NodeNetCompatibilityIT.LABELS_ADDED_IN_17.keySet());
    assertThat(differences(mine, theirs, common)).isEmpty();
    Set<String> onlyOurs = new TreeSet<>(mine.keySet());
    onlyOurs.removeAll(theirs.keySet());
    onlyOurs.removeAll(NodeNetCompatibilityIT.NEW_IN_17);
    assertThat(onlyOurs).isEmpty();
  }

  @Test
  void valuesAgreeExactlyForMemTotalAndCloselyForMovingCounters() throws Exception {
    Map<String, Parsed> theirs = parse(awaitMetrics(referenceUrl));
    Map<String, Parsed> mine = parse(CollectorTestKit.render(NodeCollector.create().collect()));

    assertThat(value(mine, "node_memory_MemTotal_bytes"))
        .isEqualTo(value(theirs, "node_memory_MemTotal_bytes"));
    assertThat(value(mine, "node_boot_time_seconds"))
        .isEqualTo(value(theirs, "node_boot_time_seconds"));
    assertThat(value(mine, "node_filesystem_size_bytes", "mountpoint", "/"))
        .isEqualTo(value(theirs, "node_filesystem_size_bytes", "mountpoint", "/"));
    assertThat(value(mine, "node_filesystem_files", "mountpoint", "/"))
        .isEqualTo(value(theirs, "node_filesystem_files", "mountpoint", "/"));
    assertThat(value(mine, "node_cpu_seconds_total", "cpu", "0", "mode", "idle"))
        .isCloseTo(
            value(theirs, "node_cpu_seconds_total", "cpu", "0", "mode", "idle"),
            Offset.offset(30.0));
    double forks = value(theirs, "node_forks_total");
    assertThat(value(mine, "node_forks_total")).isBetween(forks, forks + 5000);
    assertThat(value(mine, "node_time_seconds"))
        .isCloseTo(value(theirs, "node_time_seconds"), Offset.offset(30.0));
    assertThat(mine.get("node_uname_info").samples().get(0).labels())
        .isEqualTo(theirs.get("node_uname_info").samples().get(0).labels());
    assertThat(mine.get("node_disk_info").samples())
        .extracting(s -> s.labels().get("device"))
        .containsExactlyInAnyOrderElementsOf(
            theirs.get("node_disk_info").samples().stream()
                .map(s -> s.labels().get("device"))
                .toList());
  }

  @Test
  void promtoolFindsNoProblemTheReferenceDoesNotHaveItself() throws Exception {
    List<String> mine = promtool(CollectorTestKit.render(NodeCollector.create().collect()));
    Set<String> referenceSubjects =
        promtool(awaitMetrics(referenceUrl)).stream()
            .map(CompatSupport::lintSubject)
            .collect(Collectors.toSet());

    assertThat(mine).allSatisfy(line -> assertThat(referenceSubjects).contains(lintSubject(line)));
  }

  /**
   * The collectors of this build that Debian's 1.5 also has. The network ones run here too, so both
   * exporters are compared with every shared collector on; their families are compared in detail by
   * {@link NodeNetCompatibilityIT} and left out below.
   */
  static final List<String> SHARED_COLLECTORS =
      List.of(
          "arp",
          "bcache",
          "bonding",
          "btrfs",
          "conntrack",
          "cpu",
          "cpufreq",
          "dmi",
          "edac",
          "entropy",
          "fibrechannel",
          "filefd",
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

  /** Families of the network collectors, whose comparison belongs to NodeNetCompatibilityIT. */
  static boolean networkFamily(String name) {
    return java.util.regex.Pattern.compile(
            "^node_(arp|bonding|nf_conntrack|fibrechannel|infiniband|ipvs|network|netstat|nfsd?"
                + "|sockstat|softnet|udp_queues)(_.*)?")
        .matcher(name)
        .matches();
  }

  @Test
  void restrictedToTheSharedCollectorsBothExportTheSameFamiliesSeriesAndStableValues(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path textfiles) throws Exception {
    java.nio.file.Files.writeString(
        textfiles.resolve("backup.prom"),
        "# HELP backup_ok Whether the last backup worked.\n# TYPE backup_ok gauge\n"
            + "backup_ok{job=\"db\"} 1\nbackup_ok{job=\"files\"} 0\nuntyped_one 7\n");
    java.nio.file.Files.writeString(textfiles.resolve("broken.prom"), "broken{ 1\n");
    java.nio.file.Files.writeString(
        textfiles.resolve("histogram.prom"), TextfileCollectorTest.HISTOGRAM_FILE);
    java.nio.file.Files.writeString(
        textfiles.resolve("summary.prom"), TextfileCollectorTest.SUMMARY_FILE);
    java.nio.file.Files.writeString(textfiles.resolve("edges.prom"), TEXTFILE_EDGES);
    List<String> flags = new java.util.ArrayList<>();
    flags.add("--collector.disable-defaults");
    for (String c : SHARED_COLLECTORS) {
      flags.add("--collector." + c);
    }
    flags.add("--collector.textfile.directory=" + textfiles);
    flags.add("--collector.cpu.info");
    flags.add("--collector.stat.softirq");

    int port = freePort();
    List<String> command = new java.util.ArrayList<>();
    command.add("/usr/bin/prometheus-node-exporter");
    command.add("--web.listen-address=127.0.0.1:" + port);
    command.addAll(flags);
    String theirsText;
    CompatSupport.Started go = CompatSupport.start(Map.of(), command.toArray(String[]::new));
    try {
      theirsText = awaitMetrics("http://127.0.0.1:" + port + "/metrics");
    } finally {
      go.close();
    }
    NodeCollector.Builder b = NodeCollector.builder().disableDefaults();
    SHARED_COLLECTORS.forEach(b::enable);
    b.option("textfile.directory", textfiles.toString())
        .option("cpu.info", "true")
        .option("stat.softirq", "true");
    Map<String, Parsed> mine = parse(CollectorTestKit.render(b.build().collect()));
    Map<String, Parsed> theirs = parse(theirsText);
    theirs
        .keySet()
        .removeIf(
            n ->
                n.startsWith("go_")
                    || n.startsWith("process_")
                    || n.startsWith("promhttp_")
                    || n.equals("node_exporter_build_info"));
    theirs.keySet().removeIf(NodeCompatibilityIT::networkFamily);
    mine.keySet().removeIf(NodeCompatibilityIT::networkFamily);

    // same family set, types, label names and series counts
    assertThat(new TreeSet<>(mine.keySet())).isEqualTo(new TreeSet<>(theirs.keySet()));
    assertThat(differences(mine, theirs, new TreeSet<>(mine.keySet()))).isEmpty();
    for (String name : mine.keySet()) {
      if (name.equals("node_cpu_flag_info") || name.equals("node_cpu_bug_info")) {
        continue; // without an include pattern neither has them
      }
      assertThat(mine.get(name).samples()).as(name).hasSameSizeAs(theirs.get(name).samples());
    }
    // the same collectors succeed and fail (files missing on this machine)
    for (String c : SHARED_COLLECTORS) {
      assertThat(value(mine, "node_scrape_collector_success", "collector", c))
          .as("success of " + c)
          .isEqualTo(value(theirs, "node_scrape_collector_success", "collector", c));
    }
    // stable gauges agree exactly
    for (String g :
        List.of(
            "node_entropy_pool_size_bits",
            "node_filefd_maximum",
            "node_selinux_enabled",
            "node_memory_MemTotal_bytes",
            "node_boot_time_seconds",
            "node_textfile_scrape_error",
            "node_timex_tick_seconds",
            "node_timex_loop_time_constant",
            "node_timex_tai_offset_seconds",
            "node_timex_sync_status",
            "node_timex_pps_calibration_total")) {
      assertThat(value(mine, g)).as(g).isEqualTo(value(theirs, g));
    }
    assertThat(mine.get("node_os_info").samples()).isEqualTo(theirs.get("node_os_info").samples());
    assertThat(mine.get("node_os_version").samples())
        .isEqualTo(theirs.get("node_os_version").samples());
    assertThat(mine.get("backup_ok").samples()).isEqualTo(theirs.get("backup_ok").samples());
    assertThat(mine.get("untyped_one").help()).isEqualTo(theirs.get("untyped_one").help());
    // histograms and summaries: same families, types, help and the same series with equal values
    List<String> textfileFamilies =
        List.of("job_duration_seconds", "rpc_latency_seconds", "no_totals", "only_buckets", "bare");
    String mineText = CollectorTestKit.render(b.build().collect());
    for (String name : textfileFamilies) {
      assertThat(mine.get(name).type()).as(name).isEqualTo(theirs.get(name).type());
      assertThat(mine.get(name).help()).as(name).isEqualTo(theirs.get(name).help());
    }
    assertThat(series(mineText, textfileFamilies))
        .isNotEmpty()
        .isEqualTo(series(theirsText, textfileFamilies));
    assertThat(promtool(CollectorTestKit.render(textfileOnly(textfiles).collect()))).isEmpty();
    assertThat(mine.get("node_textfile_mtime_seconds").samples())
        .isEqualTo(theirs.get("node_textfile_mtime_seconds").samples());
    assertThat(mine.get("node_cpu_info").samples())
        .extracting(CompatSupport.Sample::labels)
        .isEqualTo(
            theirs.get("node_cpu_info").samples().stream()
                .map(CompatSupport.Sample::labels)
                .toList());
    assertThat(mine.get("node_softirqs_total").samples())
        .extracting(x -> x.labels().get("vector"))
        .containsExactlyInAnyOrderElementsOf(
            theirs.get("node_softirqs_total").samples().stream()
                .map(x -> x.labels().get("vector"))
                .toList());
  }

  /** Histograms and summaries without +Inf, _sum or _count (fixture from the format's rules). */
  static final String TEXTFILE_EDGES =
      """
      # TYPE no_totals histogram
      no_totals_bucket{le="1"} 2
      no_totals_bucket{le="+Inf"} 3
      # TYPE only_buckets histogram
      only_buckets_bucket{le="0.25"} 1
      only_buckets_bucket{le="2.5e-1",x="y"} 2
      only_buckets_count{x="y"} 4
      # HELP bare A summary without quantiles or count.
      # TYPE bare summary
      bare_sum{kind="k"} 12.5
      """;

  private static io.clustermonitor.exporters.MetricsCollector textfileOnly(java.nio.file.Path dir) {
    return NodeCollector.builder()
        .disableDefaults()
        .enable("textfile")
        .option("textfile.directory", dir.toString())
        .build();
  }

  /**
   * The samples of the named families as {@code name{sorted labels}} to value, read with the
   * project's text parser.
   */
  private static Map<String, Double> series(String text, List<String> families)
      throws io.clustermonitor.core.internal.PrometheusText.ParseException {
    Map<String, Double> out = new java.util.TreeMap<>();
    for (var s : io.clustermonitor.core.internal.PrometheusText.parse(text)) {
      String base = s.name().replaceFirst("_(bucket|sum|count)$", "");
      if (families.contains(s.name()) || families.contains(base)) {
        out.put(s.name() + new java.util.TreeMap<>(s.labels()), s.value());
      }
    }
    return out;
  }
}
