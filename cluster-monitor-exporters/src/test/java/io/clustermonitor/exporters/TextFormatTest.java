package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextFormatTest {

  @Test
  void escapesHelpAndLabelValuesPerTheFormat() {
    MetricFamily f =
        MetricFamily.builder("x_info", MetricType.GAUGE)
            .help("line1\nback\\slash \"quotes\" stay")
            .sample(1, "v", "a\"b\\c\nd")
            .build();

    assertThat(TextFormat.toText(List.of(f)))
        .isEqualTo(
            "# HELP x_info line1\\nback\\\\slash \"quotes\" stay\n"
                + "# TYPE x_info gauge\n"
                + "x_info{v=\"a\\\"b\\\\c\\nd\"} 1\n");
  }

  @Test
  void writesSpecialAndLargeValuesAsPrometheusParsesThem() {
    MetricFamily f =
        MetricFamily.builder("v", MetricType.UNTYPED)
            .help("h")
            .sample(Double.NaN, "k", "nan")
            .sample(Double.POSITIVE_INFINITY, "k", "pinf")
            .sample(Double.NEGATIVE_INFINITY, "k", "ninf")
            .sample(0.25, "k", "frac")
            .sample(1.7e19, "k", "big")
            .sample(-3, "k", "neg")
            .build();

    assertThat(TextFormat.toText(List.of(f)))
        .contains("# TYPE v untyped\n")
        .contains("v{k=\"nan\"} NaN\n")
        .contains("v{k=\"pinf\"} +Inf\n")
        .contains("v{k=\"ninf\"} -Inf\n")
        .contains("v{k=\"frac\"} 0.25\n")
        .contains("v{k=\"big\"} 1.7E19\n")
        .contains("v{k=\"neg\"} -3\n");
  }

  @Test
  void keepsCounterNamesExactlyAndSkipsEmptyFamilies() {
    MetricFamily commit =
        MetricFamily.builder("pg_stat_database_xact_commit", MetricType.COUNTER)
            .help("c")
            .sample(5)
            .build();
    MetricFamily empty = MetricFamily.builder("nothing", MetricType.GAUGE).help("e").build();

    assertThat(TextFormat.toText(List.of(commit, empty)))
        .isEqualTo(
            "# HELP pg_stat_database_xact_commit c\n"
                + "# TYPE pg_stat_database_xact_commit counter\n"
                + "pg_stat_database_xact_commit 5\n");
  }
}
