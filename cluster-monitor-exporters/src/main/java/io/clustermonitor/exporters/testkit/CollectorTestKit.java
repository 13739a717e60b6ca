package io.clustermonitor.exporters.testkit;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks for collector authors, usable from any test framework: failures are {@link
 * AssertionError}s with a readable message.
 *
 * <pre>{@code
 * MetricsCollector collector = new QueueDepthCollector(queue);
 * CollectorTestKit.assertValid(collector);
 * CollectorTestKit.assertGolden(
 *     """
 *     # HELP myapp_queue_depth Messages waiting.
 *     # TYPE myapp_queue_depth gauge
 *     myapp_queue_depth{queue="orders"} 3
 *     """,
 *     collector);
 * }</pre>
 */
public final class CollectorTestKit {
  private CollectorTestKit() {}

  /** Calls {@code collect()} once; a thrown exception becomes an {@link AssertionError}. */
  public static List<MetricFamily> collect(MetricsCollector collector) {
    Objects.requireNonNull(collector, "collector");
    try {
      List<MetricFamily> families = collector.collect();
      if (families == null) {
        throw new AssertionError("Collector " + collector.name() + " returned null");
      }
      return families;
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("Collector " + collector.name() + " threw " + e, e);
    }
  }

  /** Collects once and renders in the Prometheus text format, as {@code /metrics} serves it. */
  public static String render(MetricsCollector collector) {
    return render(collect(collector));
  }

  /** Renders families in the Prometheus text format. */
  public static String render(List<MetricFamily> families) {
    return MetricFamily.toText(families);
  }

  /**
   * Renders only the named families, in the given order (handy to leave out values that change
   * between runs).
   */
  public static String render(List<MetricFamily> families, String... names) {
    List<MetricFamily> picked = new ArrayList<>();
    for (String name : names) {
      families.stream().filter(f -> f.name().equals(name)).forEach(picked::add);
    }
    return render(picked);
  }

  /**
   * Problems found in the families, empty when they are valid: duplicate family names, missing
   * help, samples of one family with different label names or the same label set twice, and
   * counters that are negative or NaN.
   */
  public static List<String> problems(List<MetricFamily> families) {
    List<String> problems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (MetricFamily f : families) {
      if (!names.add(f.name())) {
        problems.add(f.name() + ": family name used more than once");
      }
      if (f.help().isBlank()) {
        problems.add(f.name() + ": no help text");
      }
      Set<String> labelNames = null;
      Map<Map<String, String>, Integer> seen = new HashMap<>();
      for (MetricFamily.Sample s : f.samples()) {
        Set<String> these = new java.util.HashSet<>(s.labels().keySet());
        these.remove("quantile");
        these.remove("le");
        if (labelNames == null) {
          labelNames = Set.copyOf(these);
        } else if (!labelNames.equals(these)) {
          problems.add(
              f.name() + ": label names differ between samples: " + labelNames + " vs " + these);
        }
        Map<String, String> series = new java.util.LinkedHashMap<>(s.labels());
        series.put("__suffix", s.suffix());
        if (seen.merge(series, 1, Integer::sum) == 2) {
          problems.add(f.name() + ": duplicate series " + s.labels());
        }
        if (f.type() == MetricType.COUNTER && (Double.isNaN(s.value()) || s.value() < 0)) {
          problems.add(f.name() + ": counter value " + s.value() + " for " + s.labels());
        }
      }
    }
    return problems;
  }

  /** Fails when {@link #problems(List)} finds anything. */
  public static void assertValid(List<MetricFamily> families) {
    List<String> problems = problems(families);
    if (!problems.isEmpty()) {
      throw new AssertionError("Invalid metric families:\n  " + String.join("\n  ", problems));
    }
  }

  /** Collects once and fails when {@link #problems(List)} finds anything. */
  public static void assertValid(MetricsCollector collector) {
    assertValid(collect(collector));
  }

  /** Collects once and compares the rendered text with a golden block. */
  public static void assertGolden(String expected, MetricsCollector collector) {
    assertGolden(expected, render(collector));
  }

  /**
   * Compares exposition text with a golden block, ignoring trailing whitespace on each line,
   * line-ending style and blank lines at the end; the message shows the first differing line.
   */
  public static void assertGolden(String expected, String actual) {
    List<String> e = lines(Objects.requireNonNull(expected, "expected"));
    List<String> a = lines(Objects.requireNonNull(actual, "actual"));
    int n = Math.max(e.size(), a.size());
    for (int i = 0; i < n; i++) {
      String el = i < e.size() ? e.get(i) : "<end of text>";
      String al = i < a.size() ? a.get(i) : "<end of text>";
      if (!el.equals(al)) {
        throw new AssertionError(
            "Exposition differs at line "
                + (i + 1)
                + "\n  expected: "
                + el
                + "\n  actual:   "
                + al
                + "\nFull actual text:\n"
                + actual);
      }
    }
  }

  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
      out.add(line.stripTrailing());
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }
}
