package io.clustermonitor.examples.compose;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpositionTest {

  @Test
  void sampleNamesAreReadFromSampleLinesNotFromComments() {
    String text =
        """
        # HELP node_load1 1m load average.
        # TYPE node_load1 gauge
        node_load1 0.5
        # TYPE http_seconds histogram
        http_seconds_bucket{le="0.1"} 3
        http_seconds_count 3
        redis_up{instance="a b"} 1 1700000000000

        # EOF
        """;
    assertThat(Exposition.sampleNames(text))
        .containsExactly("http_seconds_bucket", "http_seconds_count", "node_load1", "redis_up");
  }
}
