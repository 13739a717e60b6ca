package io.clustermonitor.exporters;

import java.util.List;

/**
 * The exporter plug-in: one read of a target, turned into metric families.
 *
 * <p>Register one explicitly with the server builder, or list its class in {@code
 * META-INF/services/io.clustermonitor.exporters.MetricsCollector} (it then needs a public
 * no-argument constructor) to have it found by {@link java.util.ServiceLoader}.
 *
 * <p>The SDK calls {@link #collect()} once per scrape, on its own thread, with a timeout. A
 * collector that throws or runs past its timeout costs only its own families: the scrape still
 * answers 200 with {@code <namespace>_scrape_collector_success{collector="<name>"} 0}.
 * Implementations must be thread-safe: two scrapes may call {@code collect()} concurrently (the SDK
 * coalesces them, but a collector shared between servers is not protected).
 */
public interface MetricsCollector {

  /**
   * A short, stable name used in the {@code collector} label, e.g. {@code cpu} or {@code redis}.
   *
   * @return the name: letters, digits, {@code _}, {@code .}, {@code -}
   */
  String name();

  /**
   * Reads the target and returns its metric families.
   *
   * @return the families of this read, in the order to serve them
   * @throws Exception any failure; the SDK records it as this collector's failure
   */
  List<MetricFamily> collect() throws Exception;
}
