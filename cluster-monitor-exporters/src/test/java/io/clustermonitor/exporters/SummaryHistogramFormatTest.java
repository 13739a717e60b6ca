package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.testkit.CollectorTestKit;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Summaries and histograms as Go's const metrics write them, in text and as snapshots. */
class SummaryHistogramFormatTest {
  static MetricFamily summary() {
    Map<Double, Double> q = new LinkedHashMap<>();
    q.put(0.5, 1.003);
    q.put(0.99, 2.007);
    q.put(0.999, 5.023);
    return MetricFamily.builder("redis_latency_percentiles_usec", MetricType.SUMMARY)
        .help("A summary of latency percentile distribution per command")
        .summary(Map.of("cmd", "get"), q, 120, 40)
        .build();
  }

  static MetricFamily histogram() {
    Map<Double, Double> b = new TreeMap<>();
    b.put(1.0, 3.0);
    b.put(2.0, 5.0);
    b.put(1048576.0, 9.0);
    return MetricFamily.builder("redis_commands_latencies_usec", MetricType.HISTOGRAM)
        .help("A histogram of latencies per command")
        .histogram(Map.of("cmd", "get"), b, 77, 10)
        .build();
  }

  @Test
  void textIsWrittenWithSuffixesAndGoFloatLabels() {
    CollectorTestKit.assertGolden(
        """
        # HELP redis_latency_percentiles_usec A summary of latency percentile distribution per command
        # TYPE redis_latency_percentiles_usec summary
        redis_latency_percentiles_usec{cmd="get",quantile="0.5"} 1.003
        redis_latency_percentiles_usec{cmd="get",quantile="0.99"} 2.007
        redis_latency_percentiles_usec{cmd="get",quantile="0.999"} 5.023
        redis_latency_percentiles_usec_sum{cmd="get"} 120
        redis_latency_percentiles_usec_count{cmd="get"} 40
        # HELP redis_commands_latencies_usec A histogram of latencies per command
        # TYPE redis_commands_latencies_usec histogram
        redis_commands_latencies_usec_bucket{cmd="get",le="1"} 3
        redis_commands_latencies_usec_bucket{cmd="get",le="2"} 5
        redis_commands_latencies_usec_bucket{cmd="get",le="1.048576e+06"} 9
        redis_commands_latencies_usec_bucket{cmd="get",le="+Inf"} 10
        redis_commands_latencies_usec_sum{cmd="get"} 77
        redis_commands_latencies_usec_count{cmd="get"} 10
        """,
        TextFormat.toText(List.of(summary(), histogram())));
    CollectorTestKit.assertValid(List.of(summary(), histogram()));
  }

  static io.prometheus.metrics.model.snapshots.MetricSnapshot byName(MetricSnapshots s, String n) {
    return s.stream().filter(m -> m.getMetadata().getName().equals(n)).findFirst().orElseThrow();
  }

  @Test
  void snapshotsCarryQuantilesAndNonCumulativeBuckets() {
    MetricSnapshots s = SnapshotConverter.convert(List.of(summary(), histogram()));
    SummarySnapshot sum = (SummarySnapshot) byName(s, "redis_latency_percentiles_usec");
    assertThat(sum.getDataPoints().get(0).getQuantiles().get(2).getQuantile()).isEqualTo(0.999);
    assertThat(sum.getDataPoints().get(0).getCount()).isEqualTo(40);
    HistogramSnapshot h = (HistogramSnapshot) byName(s, "redis_commands_latencies_usec");
    var buckets = h.getDataPoints().get(0).getClassicBuckets();
    assertThat(buckets.size()).isEqualTo(4);
    assertThat(buckets.getCount(0)).isEqualTo(3);
    assertThat(buckets.getCount(1)).isEqualTo(2);
    assertThat(buckets.getCount(3)).isEqualTo(1);
    assertThat(h.getDataPoints().get(0).getSum()).isEqualTo(77);
  }
}
