package io.clustermonitor.exporters.node;

import static io.clustermonitor.exporters.CollectorTestSupport.family;
import static io.clustermonitor.exporters.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.CollectorBridge;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextfileCollectorTest {
  @TempDir Path dir;

  private List<MetricFamily> collect(String directory) {
    List<MetricFamily> out = new ArrayList<>();
    new TextfileCollector(directory).collect(out);
    return out;
  }

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(1_700_000_000, 700_000_000)));
    return p;
  }

  @Test
  void validFilesAreExportedWithTheirTypesHelpAndMtime() throws Exception {
    Path a =
        write(
            "backup.prom",
            "# HELP backup_last_success_timestamp_seconds Last good backup.\n"
                + "# TYPE backup_last_success_timestamp_seconds gauge\n"
                + "backup_last_success_timestamp_seconds{job=\"db\"} 1.7e9\n"
                + "# TYPE backup_runs_total counter\n"
                + "backup_runs_total 12\n");
    write("plain.prom", "cron_ok 1\ncron_labels{b=\"2\",a=\"1\"} 3\ncron_labels{a=\"x\"} 4\n");
    write("ignored.txt", "not_read 1\n");

    List<MetricFamily> f = collect(dir.toString());

    assertThat(value(f, "backup_last_success_timestamp_seconds", "job", "db")).isEqualTo(1.7e9);
    assertThat(family(f, "backup_last_success_timestamp_seconds").help())
        .isEqualTo("Last good backup.");
    assertThat(family(f, "backup_runs_total").type()).isEqualTo(MetricType.COUNTER);
    assertThat(family(f, "cron_ok").type()).isEqualTo(MetricType.UNTYPED);
    assertThat(family(f, "cron_ok").help())
        .isEqualTo("Metric read from " + dir.resolve("plain.prom"));
    // missing label names are filled with "", labels sorted by name as Go's const metrics are
    assertThat(family(f, "cron_labels").samples().get(1).labels())
        .containsExactly(java.util.Map.entry("a", "x"), java.util.Map.entry("b", ""));
    assertThat(f).noneMatch(m -> m.name().equals("not_read"));
    assertThat(value(f, "node_textfile_mtime_seconds", "file", a.toString()))
        .isEqualTo(1_700_000_000);
    assertThat(family(f, "node_textfile_mtime_seconds").samples()).hasSize(2);
    assertThat(value(f, "node_textfile_scrape_error")).isZero();
  }

  @Test
  void aFileWithASyntaxErrorIsAnErrorAndTheOthersStillCount() throws Exception {
    write("good.prom", "good 1\n");
    write("bad.prom", "ok 1\nbad{job=\"x} 1\n");
    write("stamped.prom", "with_ts 1 1700000000000\n");
    write("twotypes.prom", "# TYPE t gauge\nt 1\n# TYPE t counter\n");

    List<MetricFamily> f = collect(dir.toString());

    assertThat(value(f, "good")).isEqualTo(1);
    assertThat(f).noneMatch(m -> m.name().equals("ok") || m.name().equals("with_ts"));
    assertThat(f).noneMatch(m -> m.name().equals("t"));
    assertThat(family(f, "node_textfile_mtime_seconds").samples())
        .extracting(s -> s.labels().get("file"))
        .containsExactly(dir.resolve("good.prom").toString());
    assertThat(value(f, "node_textfile_scrape_error")).isEqualTo(1);
  }

  @Test
  void aFamilyInSeveralFilesIsMergedAndConflictingDefinitionsAreDroppedAsGoDoes() throws Exception {
    write("1.prom", "# HELP shared Shared.\n# TYPE shared gauge\nshared{x=\"1\"} 1\n");
    write("2.prom", "# HELP shared Shared.\n# TYPE shared gauge\nshared{x=\"2\"} 2\n");
    write("3.prom", "shared{x=\"3\"} 3\n"); // no HELP: another help text, dropped
    write("4.prom", "# HELP shared Shared.\n# TYPE shared gauge\nshared{x=\"1\"} 9\n"); // repeat
    write("5.prom", "nohelp 1\n");
    write("6.prom", "nohelp{y=\"1\"} 2\n");

    List<MetricFamily> f = collect(dir.toString());

    assertThat(family(f, "shared").samples())
        .extracting(s -> s.labels().get("x") + "=" + s.value())
        .containsExactly("1=1.0", "2=2.0");
    assertThat(family(f, "nohelp").samples()).hasSize(2);
    assertThat(family(f, "nohelp").help())
        .isEqualTo("Metric read from " + dir.resolve("5.prom") + ", " + dir.resolve("6.prom"));
    assertThat(f.stream().filter(m -> m.name().equals("shared"))).hasSize(1);
    assertThat(value(f, "node_textfile_scrape_error")).isZero();
  }

  @Test
  void anEmptyDirectoryGivesOnlyTheErrorGaugeAtZero() {
    List<MetricFamily> f = collect(dir.toString());
    assertThat(f).extracting(MetricFamily::name).containsExactly("node_textfile_scrape_error");
    assertThat(value(f, "node_textfile_scrape_error")).isZero();
  }

  @Test
  void noDirectoryConfiguredIsNotAnErrorButAMissingOneIs() {
    assertThat(value(collect(""), "node_textfile_scrape_error")).isZero();
    assertThat(value(collect(dir.resolve("missing").toString()), "node_textfile_scrape_error"))
        .isEqualTo(1);
  }

  @Test
  void unreadableFilesAreErrors() throws Exception {
    Files.createSymbolicLink(dir.resolve("dangling.prom"), dir.resolve("nowhere"));
    Files.createDirectory(dir.resolve("adirectory.prom"));
    write("fine.prom", "fine 1\n");

    List<MetricFamily> f = collect(dir.toString());

    assertThat(value(f, "fine")).isEqualTo(1);
    assertThat(value(f, "node_textfile_scrape_error")).isEqualTo(1);
  }

  @Test
  void aTenMegabyteFileIsParsedCompletely() throws Exception {
    StringBuilder big = new StringBuilder("# TYPE big_series gauge\n");
    int n = 0;
    while (big.length() < 10 * 1024 * 1024) {
      big.append("big_series{instance=\"host-")
          .append(n)
          .append("\",path=\"/data/")
          .append(n % 97)
          .append("\"} ")
          .append(n)
          .append('\n');
      n++;
    }
    write("big.prom", big.toString());

    long start = System.nanoTime();
    List<MetricFamily> f = collect(dir.toString());
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(family(f, "big_series").samples()).hasSize(n);
    assertThat(value(f, "node_textfile_scrape_error")).isZero();
    assertThat(seconds).isLessThan(60);
  }

  // Fixtures written from the text format spec (exposition_formats.md): histogram samples are
  // x_bucket{le} (cumulative), x_sum, x_count; summary samples x{quantile}, x_sum, x_count.
  static final String HISTOGRAM_FILE =
      """
      # HELP job_duration_seconds How long the job took.
      # TYPE job_duration_seconds histogram
      job_duration_seconds_bucket{job="backup",le="10"} 2
      job_duration_seconds_bucket{job="backup",le="1"} 1
      job_duration_seconds_bucket{job="backup",le="1e3"} 4
      job_duration_seconds_bucket{job="backup",le="+Inf"} 5
      job_duration_seconds_sum{job="backup"} 1234.5
      job_duration_seconds_count{job="backup"} 5
      job_duration_seconds_bucket{le="0.5",step="prune",job="backup"} 3
      job_duration_seconds_sum{step="prune",job="backup"} 0.75
      job_duration_seconds_count{job="backup",step="prune"} 3
      """;

  static final String SUMMARY_FILE =
      """
      # TYPE rpc_latency_seconds summary
      rpc_latency_seconds{quantile="0.99",service="a"} 0.2
      rpc_latency_seconds{quantile="0.5",service="a"} 0.05
      rpc_latency_seconds_sum{service="a"} 17.5
      rpc_latency_seconds_count{service="a"} 250
      rpc_latency_seconds_sum{service="b"} 1
      rpc_latency_seconds_count{service="b"} 2
      """;

  @Test
  void histogramsAndSummariesAreExportedAsGoWritesConstHistogramsAndSummaries() throws Exception {
    write("h.prom", HISTOGRAM_FILE + "other 5\n");
    Path s = write("s.prom", SUMMARY_FILE);
    List<MetricFamily> f = collect(dir.toString());

    // buckets sorted by bound, le as Go formats it, missing label names filled with "",
    // the +Inf bucket from _count where the file has none
    CollectorTestKit.assertGolden(
        """
        # HELP job_duration_seconds How long the job took.
        # TYPE job_duration_seconds histogram
        job_duration_seconds_bucket{job="backup",step="",le="1"} 1
        job_duration_seconds_bucket{job="backup",step="",le="10"} 2
        job_duration_seconds_bucket{job="backup",step="",le="1000"} 4
        job_duration_seconds_bucket{job="backup",step="",le="+Inf"} 5
        job_duration_seconds_sum{job="backup",step=""} 1234.5
        job_duration_seconds_count{job="backup",step=""} 5
        job_duration_seconds_bucket{job="backup",step="prune",le="0.5"} 3
        job_duration_seconds_bucket{job="backup",step="prune",le="+Inf"} 3
        job_duration_seconds_sum{job="backup",step="prune"} 0.75
        job_duration_seconds_count{job="backup",step="prune"} 3
        # HELP rpc_latency_seconds Metric read from %s
        # TYPE rpc_latency_seconds summary
        rpc_latency_seconds{service="a",quantile="0.5"} 0.05
        rpc_latency_seconds{service="a",quantile="0.99"} 0.2
        rpc_latency_seconds_sum{service="a"} 17.5
        rpc_latency_seconds_count{service="a"} 250
        rpc_latency_seconds_sum{service="b"} 1
        rpc_latency_seconds_count{service="b"} 2
        """
            .formatted(s),
        CollectorTestKit.render(f, "job_duration_seconds", "rpc_latency_seconds"));
    CollectorTestKit.assertValid(f);
    assertThat(value(f, "other")).isEqualTo(5);
    assertThat(family(f, "node_textfile_mtime_seconds").samples()).hasSize(2);
    assertThat(value(f, "node_textfile_scrape_error")).isZero();
  }

  @Test
  void histogramsAndSummariesReachOpenMetricsAndProtobufThroughTheSnapshots() throws Exception {
    write("h.prom", HISTOGRAM_FILE);
    write("s.prom", SUMMARY_FILE);
    MetricSnapshots snapshots;
    // the bridge converts as the server's OpenMetrics and protobuf writers do (SnapshotConverter)
    try (CollectorBridge bridge =
        CollectorBridge.builder()
            .collector(
                NodeCollector.builder()
                    .disableDefaults()
                    .enable("textfile")
                    .option("textfile.directory", dir.toString())
                    .build())
            .build()) {
      snapshots = bridge.collect();
    }

    HistogramSnapshot h = (HistogramSnapshot) byName(snapshots, "job_duration_seconds");
    assertThat(h.getDataPoints()).hasSize(2);
    var backup = h.getDataPoints().get(0);
    assertThat(backup.getLabels().get("step")).isEmpty();
    assertThat(backup.getSum()).isEqualTo(1234.5);
    assertThat(backup.getCount()).isEqualTo(5);
    assertThat(backup.getClassicBuckets().size()).isEqualTo(4);
    assertThat(backup.getClassicBuckets().getUpperBound(2)).isEqualTo(1000);
    assertThat(backup.getClassicBuckets().getCount(2)).isEqualTo(2); // 4 - 2, not cumulative
    SummarySnapshot sum = (SummarySnapshot) byName(snapshots, "rpc_latency_seconds");
    assertThat(sum.getDataPoints().get(0).getQuantiles().get(1).getQuantile()).isEqualTo(0.99);
    assertThat(sum.getDataPoints().get(0).getCount()).isEqualTo(250);
    assertThat(sum.getDataPoints().get(1).getQuantiles().size()).isZero();

    ByteArrayOutputStream om = new ByteArrayOutputStream();
    OpenMetricsTextFormatWriter.create().write(om, snapshots);
    String text = om.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("job_duration_seconds_bucket{job=\"backup\",step=\"\",le=\"1000.0\"} 4")
        .contains("job_duration_seconds_bucket{job=\"backup\",step=\"prune\",le=\"+Inf\"} 3")
        .contains("job_duration_seconds_count{job=\"backup\",step=\"\"} 5")
        .contains("rpc_latency_seconds{service=\"a\",quantile=\"0.99\"} 0.2")
        .contains("rpc_latency_seconds_count{service=\"b\"} 2");
    ByteArrayOutputStream pb = new ByteArrayOutputStream();
    new PrometheusProtobufWriter().write(pb, snapshots);
    assertThat(pb.size()).isPositive();
  }

  private static io.prometheus.metrics.model.snapshots.MetricSnapshot byName(
      MetricSnapshots s, String name) {
    return s.stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void missingSumCountAndInfBucketAreFilledAsGoDoes() throws Exception {
    write(
        "edge.prom",
        """
        # TYPE no_totals histogram
        no_totals_bucket{le="1"} 2
        no_totals_bucket{le="+Inf"} 3
        # TYPE only_buckets histogram
        only_buckets_bucket{le="0.25"} 1.9
        only_buckets_bucket{le="0.25"} 2
        only_buckets_bucket{le="NaN"} 7
        only_buckets_count 4
        # TYPE bare_summary summary
        bare_summary{quantile="0.5"} 3
        # TYPE loose summary
        loose_bucket 1
        """);
    List<MetricFamily> f = collect(dir.toString());
    CollectorTestKit.assertGolden(
        """
        # HELP no_totals Metric read from %1$s
        # TYPE no_totals histogram
        no_totals_bucket{le="1"} 2
        no_totals_bucket{le="+Inf"} 3
        no_totals_sum 0
        no_totals_count 0
        # HELP only_buckets Metric read from %1$s
        # TYPE only_buckets histogram
        only_buckets_bucket{le="0.25"} 2
        only_buckets_bucket{le="+Inf"} 4
        only_buckets_sum 0
        only_buckets_count 4
        # HELP bare_summary Metric read from %1$s
        # TYPE bare_summary summary
        bare_summary{quantile="0.5"} 3
        bare_summary_sum 0
        bare_summary_count 0
        """
            .formatted(dir.resolve("edge.prom")),
        CollectorTestKit.render(f, "no_totals", "only_buckets", "bare_summary"));
    // a summary has no _bucket samples: loose_bucket is a family of its own
    assertThat(family(f, "loose_bucket").type()).isEqualTo(MetricType.UNTYPED);
    assertThat(value(f, "node_textfile_scrape_error")).isZero();
  }

  @Test
  void anUntypedBucketSampleStaysUntyped() throws Exception {
    write("u.prom", "x_bucket{le=\"1\"} 1\nx_sum 2\n");
    List<MetricFamily> f = collect(dir.toString());
    assertThat(family(f, "x_bucket").type()).isEqualTo(MetricType.UNTYPED);
    assertThat(value(f, "x_bucket", "le", "1")).isEqualTo(1);
    assertThat(value(f, "x_sum")).isEqualTo(2);
  }

  @Test
  void aBadBoundOrQuantileOrAHistogramSampleWithoutSuffixFailsTheFile() throws Exception {
    write("le.prom", "# TYPE a histogram\na_bucket{le=\"x\"} 1\n");
    write("hex.prom", "# TYPE b histogram\nb_bucket{le=\"0x1p3\"} 1\n");
    write("q.prom", "# TYPE c summary\nc{quantile=\"one\"} 1\n");
    write("bare.prom", "# TYPE d histogram\nd 1\n");
    write("noq.prom", "# TYPE e summary\ne 1\n");
    write("good.prom", "good 1\n");
    List<MetricFamily> f = collect(dir.toString());
    assertThat(f).extracting(MetricFamily::name).doesNotContain("a", "b", "c", "d", "e");
    assertThat(value(f, "good")).isEqualTo(1);
    assertThat(family(f, "node_textfile_mtime_seconds").samples()).hasSize(1);
    assertThat(value(f, "node_textfile_scrape_error")).isEqualTo(1);
  }

  @Test
  void histogramsAcrossFilesMergeAndConflictsAreDroppedAsGoDoes() throws Exception {
    write(
        "a.prom",
        "# HELP lat Latency.\n# TYPE lat histogram\nlat_bucket{host=\"a\",le=\"1\"} 1\n"
            + "lat_sum{host=\"a\"} 0.5\nlat_count{host=\"a\"} 1\n");
    write(
        "b.prom",
        "# HELP lat Latency.\n# TYPE lat histogram\nlat_bucket{host=\"b\",le=\"1\"} 2\n"
            + "lat_sum{host=\"b\"} 1\nlat_count{host=\"b\"} 2\n"
            // the same series again: dropped
            + "lat_bucket{host=\"a\",le=\"1\"} 9\nlat_count{host=\"a\"} 9\n");
    // another type, and another help: dropped
    write("c.prom", "# HELP lat Latency.\n# TYPE lat summary\nlat_sum{host=\"c\"} 1\n");
    write("d.prom", "# HELP lat Other.\n# TYPE lat histogram\nlat_count{host=\"d\"} 1\n");
    // a family named like a sample of the histogram collides with it: dropped
    write("e.prom", "lat_count 3\n");
    List<MetricFamily> f = collect(dir.toString());
    MetricFamily lat = family(f, "lat");
    assertThat(lat.type()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(lat.samples())
        .filteredOn(x -> x.suffix().equals("_count"))
        .extracting(x -> x.labels().get("host") + "=" + x.value())
        .containsExactly("a=1.0", "b=2.0");
    assertThat(f).noneMatch(m -> m.name().equals("lat_count"));
    assertThat(family(f, "node_textfile_mtime_seconds").samples()).hasSize(5);
    assertThat(value(f, "node_textfile_scrape_error")).isZero();
  }

  @Test
  void aGlobSelectsSeveralDirectories() throws Exception {
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    Files.writeString(dir.resolve("a/x.prom"), "from_a 1\n");
    Files.writeString(dir.resolve("b/y.prom"), "from_b 2\n");
    List<MetricFamily> f = collect(dir.resolve("*").toString());
    assertThat(value(f, "from_a")).isEqualTo(1);
    assertThat(value(f, "from_b")).isEqualTo(2);
  }
}
