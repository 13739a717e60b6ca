package io.clustermonitor.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void parsesNamesLabelsEscapesValuesAndTimestamps() throws Exception {
    List<PrometheusText.Sample> samples =
        PrometheusText.parse(
            """
            # HELP up Whether up.
            # TYPE up gauge
            up 1
            http_requests_total{method="GET",path="/a \\"b\\"\\\\c\\n",} 1027 1395066363000
            rate{ le = "+Inf" } +Inf
            nan_metric NaN
            neg -1.5e3
            # EOF
            """);

    assertThat(samples)
        .containsExactly(
            new PrometheusText.Sample("up", Map.of(), 1),
            new PrometheusText.Sample(
                "http_requests_total", Map.of("method", "GET", "path", "/a \"b\"\\c\n"), 1027),
            new PrometheusText.Sample("rate", Map.of("le", "+Inf"), Double.POSITIVE_INFINITY),
            new PrometheusText.Sample("nan_metric", Map.of(), Double.NaN),
            new PrometheusText.Sample("neg", Map.of(), -1500));
    assertThat(samples.get(1).toString())
        .isEqualTo("http_requests_total{method=\"GET\",path=\"/a \"b\"\\c\n\"}");
  }

  @Test
  void rejectsHtmlAndBrokenLinesWithTheLineNumber() {
    assertThatThrownBy(() -> PrometheusText.parse("<!DOCTYPE html>\n<html></html>"))
        .isInstanceOf(PrometheusText.ParseException.class)
        .hasMessage("line 1: expected a metric name, found '<!DOCTYPE html>'");
    assertThatThrownBy(() -> PrometheusText.parse("up 1\nup{job=\"x} 1"))
        .hasMessage("line 2: unterminated value for label job");
    assertThatThrownBy(() -> PrometheusText.parse("up one"))
        .hasMessage("line 1: 'one' is not a number");
    assertThatThrownBy(() -> PrometheusText.parse("up"))
        .hasMessageContaining("line 1: expected a space");
    assertThatThrownBy(() -> PrometheusText.parse("up{job=x} 1"))
        .hasMessage("line 1: expected a quoted value for label job");
  }

  @Test
  void validatesNames() {
    assertThat(PrometheusText.isValidName("node_load1")).isTrue();
    assertThat(PrometheusText.isValidName("ns:rule:rate5m")).isTrue();
    assertThat(PrometheusText.isValidName("1abc")).isFalse();
    assertThat(PrometheusText.isValidName("a-b")).isFalse();
    assertThat(PrometheusText.isValidName("")).isFalse();
    assertThat(PrometheusText.isValidName(null)).isFalse();
  }

  @Test
  void boundsAndQuantilesAreReadAsGoReadsThem() throws Exception {
    assertThat(PrometheusText.parseGoFloat("+Inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(PrometheusText.parseGoFloat("inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(PrometheusText.parseGoFloat("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(PrometheusText.parseGoFloat("NaN")).isNaN();
    assertThat(PrometheusText.parseGoFloat("1e3")).isEqualTo(1000);
    assertThat(PrometheusText.parseGoFloat(".5")).isEqualTo(0.5);
    for (String bad : List.of("1d", "0x1p3", "1_000", "1e400", "", " 1", "one")) {
      assertThatThrownBy(() -> PrometheusText.parseGoFloat(bad))
          .as(bad)
          .isInstanceOf(NumberFormatException.class);
    }
    assertThatThrownBy(
            () -> PrometheusText.parseFamilies("# TYPE h histogram\nh_bucket{le=\"1f\"} 1\n"))
        .hasMessageContaining("line 2: expected float as value for 'le' label");
    List<PrometheusText.Family> f =
        PrometheusText.parseFamilies(
            "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 2\ns_count 3\ns_bucket 4\n");
    assertThat(f).extracting(PrometheusText.Family::name).containsExactly("s", "s_bucket");
    assertThat(f.get(0).samples()).hasSize(3);
  }
}
