package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.Negotiation.Format;
import org.junit.jupiter.api.Test;

class NegotiationTest {
  private static final String PROMETHEUS_2_42 =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
          + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  private static final String PROTOBUF =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

  @Test
  void prometheusDefaultHeaderGetsOpenMetricsUnlessDisabled() {
    assertThat(Negotiation.choose(PROMETHEUS_2_42, true)).isEqualTo(Format.OPENMETRICS);
    assertThat(Negotiation.choose(PROMETHEUS_2_42, false)).isEqualTo(Format.TEXT);
  }

  @Test
  void protobufNeedsTheDelimitedMetricFamilyParameters() {
    assertThat(Negotiation.choose(PROTOBUF + ";q=0.7,text/plain;q=0.3", true))
        .isEqualTo(Format.PROTOBUF);
    assertThat(Negotiation.choose("application/vnd.google.protobuf", true)).isEqualTo(Format.TEXT);
  }

  @Test
  void qValuesDecideAndTextIsTheFallback() {
    assertThat(Negotiation.choose("text/plain;q=0.9," + PROTOBUF + ";q=0.5", true))
        .isEqualTo(Format.TEXT);
    assertThat(Negotiation.choose(null, true)).isEqualTo(Format.TEXT);
    assertThat(Negotiation.choose("", true)).isEqualTo(Format.TEXT);
    assertThat(Negotiation.choose("application/json", true)).isEqualTo(Format.TEXT);
    assertThat(Negotiation.choose("application/openmetrics-text;q=0", true)).isEqualTo(Format.TEXT);
  }

  @Test
  void gzipIsUsedOnlyWhenAccepted() {
    assertThat(Negotiation.acceptsGzip("gzip, deflate")).isTrue();
    assertThat(Negotiation.acceptsGzip("deflate, gzip;q=1.0")).isTrue();
    assertThat(Negotiation.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(Negotiation.acceptsGzip("identity")).isFalse();
    assertThat(Negotiation.acceptsGzip(null)).isFalse();
  }
}
