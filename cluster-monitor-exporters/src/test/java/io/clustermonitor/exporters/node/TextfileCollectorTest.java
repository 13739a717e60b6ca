package io.clustermonitor.exporters.node;

import static io.clustermonitor.exporters.CollectorTestSupport.family;
import static io.clustermonitor.exporters.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
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

  @Test
  void histogramsAndSummariesAreReportedAsErrorsWithoutLosingTheRestOfTheFile() throws Exception {
    write(
        "h.prom",
        "# TYPE lat histogram\nlat_bucket{le=\"1\"} 1\nlat_bucket{le=\"+Inf\"} 2\nlat_sum 3\n"
            + "lat_count 2\nother 5\n");
    List<MetricFamily> f = collect(dir.toString());
    assertThat(value(f, "other")).isEqualTo(5);
    assertThat(f).noneMatch(m -> m.name().startsWith("lat"));
    assertThat(value(f, "node_textfile_scrape_error")).isEqualTo(1);
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
