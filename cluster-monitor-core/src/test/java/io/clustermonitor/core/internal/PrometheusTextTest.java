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
}
