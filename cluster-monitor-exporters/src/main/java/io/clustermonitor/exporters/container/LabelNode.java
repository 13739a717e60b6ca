package io.clustermonitor.exporters.container;

import io.clustermonitor.exporters.MetricFamily;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A label set in cAdvisor's (sorted) order, frozen once into the SDK's immutable sample labels, and
 * the label sets derived from it by one more label ({@code state}, {@code cpu}, {@code device},
 * ...), each made once and then reused: a container's series share their label sets from scrape to
 * scrape, so labels are sorted, validated, escaped and encoded once per container, not once per
 * series. Children are only ever added for the values a container has (bounded by its states,
 * devices, interfaces and CPUs); the collector drops a container's node when the container changes
 * or leaves. Thread-safe.
 */
final class LabelNode {
  private final TreeMap<String, String> tree; // never modified after construction
  private final Map<String, String> labels;
  private final Map<String, Map<String, LabelNode>> children = new ConcurrentHashMap<>();

  LabelNode(TreeMap<String, String> tree) {
    this.tree = tree;
    // the labels of a sample are the SDK's validated immutable set, reused as is by later samples
    this.labels = new MetricFamily.Sample(tree, 0).labels();
  }

  /** The labels, to pass to a sample. */
  Map<String, String> labels() {
    return labels;
  }

  /** These labels plus {@code name="value"} (in sorted place), made once. */
  LabelNode with(String name, String value) {
    Map<String, LabelNode> byValue = children.get(name);
    if (byValue == null) {
      byValue = children.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
    }
    LabelNode child = byValue.get(value);
    if (child == null) {
      TreeMap<String, String> t = new TreeMap<>(tree);
      t.put(name, value);
      child = byValue.computeIfAbsent(value, v -> new LabelNode(t));
    }
    return child;
  }
}
