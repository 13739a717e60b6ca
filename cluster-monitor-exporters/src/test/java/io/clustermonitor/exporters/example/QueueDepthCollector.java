package io.clustermonitor.exporters.example;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Exposes the depth of some work queues and a count of processed messages.
 *
 * <pre>
 * # HELP myapp_queue_depth Messages waiting in the queue.
 * # TYPE myapp_queue_depth gauge
 * myapp_queue_depth{queue="orders"} 3
 * # HELP myapp_messages_processed_total Messages processed since start.
 * # TYPE myapp_messages_processed_total counter
 * myapp_messages_processed_total 42
 * </pre>
 */
public final class QueueDepthCollector implements MetricsCollector {
  private final Supplier<Map<String, Integer>> depths;
  private final Supplier<Long> processed;

  /** Used by ServiceLoader: no queues, nothing processed. */
  public QueueDepthCollector() {
    this(Map::of, () -> 0L);
  }

  /** Reads queue depths and the processed count from the given suppliers on every scrape. */
  public QueueDepthCollector(Supplier<Map<String, Integer>> depths, Supplier<Long> processed) {
    this.depths = depths;
    this.processed = processed;
  }

  @Override
  public String name() {
    return "queues";
  }

  @Override
  public List<MetricFamily> collect() {
    MetricFamily.Builder depth =
        MetricFamily.builder("myapp_queue_depth", MetricType.GAUGE)
            .help("Messages waiting in the queue.");
    depths.get().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> depth.sample(e.getValue(), "queue", e.getKey()));
    MetricFamily total =
        MetricFamily.builder("myapp_messages_processed_total", MetricType.COUNTER)
            .help("Messages processed since start.")
            .sample(processed.get())
            .build();
    return List.of(depth.build(), total);
  }
}
