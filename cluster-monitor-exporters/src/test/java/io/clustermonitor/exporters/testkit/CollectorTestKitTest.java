package io.clustermonitor.exporters.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollectorTestKitTest {

  @Test
  void validFamiliesHaveNoProblems() {
    MetricFamily f =
        MetricFamily.builder("a_total", MetricType.COUNTER)
            .help("a")
            .sample(1, "x", "1")
            .sample(2, "x", "2")
            .build();

    assertThat(CollectorTestKit.problems(List.of(f))).isEmpty();
  }

  @Test
  void problemsNameEveryKindOfMistake() {
    MetricFamily dupA = MetricFamily.builder("dup", MetricType.GAUGE).help("d").sample(1).build();
    MetricFamily dupB = MetricFamily.builder("dup", MetricType.GAUGE).help("d").sample(1).build();
    MetricFamily noHelp = MetricFamily.builder("nohelp", MetricType.GAUGE).sample(1).build();
    MetricFamily mixed =
        MetricFamily.builder("mixed", MetricType.GAUGE)
            .help("m")
            .sample(1, "a", "1")
            .sample(1, "b", "1")
            .build();
    MetricFamily twice =
        MetricFamily.builder("twice", MetricType.GAUGE)
            .help("t")
            .sample(1, "a", "1")
            .sample(2, "a", "1")
            .build();
    MetricFamily negative =
        MetricFamily.builder("neg_total", MetricType.COUNTER).help("n").sample(-1).build();

    assertThat(CollectorTestKit.problems(List.of(dupA, dupB, noHelp, mixed, twice, negative)))
        .containsExactly(
            "dup: family name used more than once",
            "nohelp: no help text",
            "mixed: label names differ between samples: [a] vs [b]",
            "twice: duplicate series {a=1}",
            "neg_total: counter value -1.0 for {}");
  }

  @Test
  void goldenComparisonIgnoresTrailingWhitespaceAndShowsTheFirstDifference() {
    MetricsCollector c =
        collector(MetricFamily.builder("g", MetricType.GAUGE).help("h").sample(2).build());

    CollectorTestKit.assertGolden("# HELP g h  \r\n# TYPE g gauge\ng 2\n\n", c);
    assertThatThrownBy(() -> CollectorTestKit.assertGolden("# HELP g h\n# TYPE g gauge\ng 3\n", c))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("expected: g 3")
        .hasMessageContaining("actual:   g 2");
  }

  @Test
  void aThrowingCollectorFailsWithItsName() {
    MetricsCollector broken =
        new MetricsCollector() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public List<MetricFamily> collect() throws Exception {
            throw new java.io.IOException("down");
          }
        };

    assertThatThrownBy(() -> CollectorTestKit.assertValid(broken))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("broken")
        .hasMessageContaining("down");
  }

  @Test
  void renderPicksNamedFamiliesInOrder() {
    MetricFamily a = MetricFamily.builder("a", MetricType.GAUGE).help("a").sample(1).build();
    MetricFamily b = MetricFamily.builder("b", MetricType.GAUGE).help("b").sample(2).build();

    assertThat(CollectorTestKit.render(List.of(a, b), "b"))
        .isEqualTo("# HELP b b\n# TYPE b gauge\nb 2\n");
  }

  private static MetricsCollector collector(MetricFamily f) {
    return new MetricsCollector() {
      @Override
      public String name() {
        return "c";
      }

      @Override
      public List<MetricFamily> collect() {
        return List.of(f);
      }
    };
  }
}
