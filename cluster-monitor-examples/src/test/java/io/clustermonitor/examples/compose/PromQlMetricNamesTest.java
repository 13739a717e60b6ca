package io.clustermonitor.examples.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {

  @Test
  void aPlainSelectorIsOneMetric() {
    assertThat(PromQlMetricNames.of("up")).containsExactly("up");
    assertThat(PromQlMetricNames.of("redis_up == 0")).containsExactly("redis_up");
  }

  @Test
  void labelNamesAndValuesInMatchersAreNotMetrics() {
    assertThat(
            PromQlMetricNames.of(
                "container_memory_working_set_bytes{name!=\"\",image=~\"nginx|redis_up\"}"))
        .containsExactly("container_memory_working_set_bytes");
  }

  @Test
  void functionsAggregationsAndTheirLabelListsAreSkipped() {
    String q =
        "sum by (instance, name) (rate(container_cpu_usage_seconds_total{cpu=\"total\"}[5m]))"
            + " / on (instance, name) group_left (image) max without (cpu) (container_spec_cpu_quota)";
    assertThat(PromQlMetricNames.of(q))
        .containsExactly("container_cpu_usage_seconds_total", "container_spec_cpu_quota");
  }

  @Test
  void aggregationClausesAfterTheArgumentAreSkippedToo() {
    assertThat(PromQlMetricNames.of("SUM(node_load1) BY (instance) > 2 AND bool node_load5"))
        .containsExactly("node_load1", "node_load5");
  }

  @Test
  void rangesSubqueriesOffsetsDurationsAndNumbersAreSkipped() {
    String q =
        "predict_linear(node_filesystem_avail_bytes[6h], 24 * 3600) < 0"
            + " or max_over_time(node_load1[30m:1m] offset 1h) > 1e3 or node_load15 > 0x10";
    assertThat(PromQlMetricNames.of(q))
        .containsExactly("node_filesystem_avail_bytes", "node_load1", "node_load15");
  }

  @Test
  void grafanaVariablesAreSkipped() {
    String q =
        "rate(redis_commands_total{instance=~\"$instance\"}[$__rate_interval])"
            + " / ${scale} * [[legacy]]";
    assertThat(PromQlMetricNames.of(q)).containsExactly("redis_commands_total");
  }

  @Test
  void stringArgumentsAndCommentsAreSkipped() {
    String q =
        "label_replace(pg_up, \"dst\", \"$1\", \"src\", \"(.*)\") # not_a_metric here\n"
            + " + count_values('value', redis_up)";
    assertThat(PromQlMetricNames.of(q)).containsExactly("pg_up", "redis_up");
  }

  @Test
  void anExactNameMatcherCountsAsAMetric() {
    assertThat(PromQlMetricNames.of("{__name__=\"node_load1\", job=\"node\"}"))
        .containsExactly("node_load1");
  }

  @Test
  void grafanaLabelValuesReadsOnlyItsSelector() {
    assertThat(PromQlMetricNames.ofGrafanaVariable("label_values(node_uname_info, instance)"))
        .containsExactly("node_uname_info");
    assertThat(
            PromQlMetricNames.ofGrafanaVariable(
                "label_values(container_last_seen{instance=~\"$instance\"}, name)"))
        .containsExactly("container_last_seen");
    assertThat(PromQlMetricNames.ofGrafanaVariable("label_values(instance)")).isEmpty();
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> PromQlMetricNames.of(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PromQlMetricNames.of("up{job=\"x\""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unbalanced");
    assertThatThrownBy(() -> PromQlMetricNames.of("up{job=\"x}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unterminated");
    assertThatThrownBy(() -> PromQlMetricNames.ofGrafanaVariable("metrics(node_.*)"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
