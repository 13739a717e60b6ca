package io.clustermonitor.exporters.selfmetrics;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Opt-in JVM metrics (the Go exporters' {@code go_*} counterpart), named as prometheus-metrics' JVM
 * instrumentation names them where the type fits: {@code jvm_memory_used_bytes{area}}, {@code
 * jvm_memory_committed_bytes{area}}, {@code jvm_memory_max_bytes{area}}, {@code
 * jvm_memory_pool_used_bytes{pool}}, {@code jvm_buffer_pool_used_bytes{pool}}, {@code
 * jvm_threads_current}, {@code jvm_threads_daemon}, {@code jvm_threads_peak}, {@code
 * jvm_classes_currently_loaded}, {@code jvm_classes_loaded_total}, {@code jvm_runtime_info}. GC is
 * two counters per collector, {@code jvm_gc_collections_total{gc}} and {@code
 * jvm_gc_collection_seconds_total{gc}} (our families have no summary type). Thread-safe.
 */
public final class JvmCollector implements MetricsCollector {

  @Override
  public String name() {
    return "jvm";
  }

  @Override
  public List<MetricFamily> collect() {
    List<MetricFamily> out = new ArrayList<>();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    MemoryUsage heap = memory.getHeapMemoryUsage();
    MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
    out.add(
        area(
            "jvm_memory_used_bytes",
            "Used bytes of a given JVM memory area.",
            heap.getUsed(),
            nonHeap.getUsed()));
    out.add(
        area(
            "jvm_memory_committed_bytes",
            "Committed (bytes) of a given JVM memory area.",
            heap.getCommitted(),
            nonHeap.getCommitted()));
    out.add(
        area(
            "jvm_memory_max_bytes",
            "Max (bytes) of a given JVM memory area.",
            heap.getMax(),
            nonHeap.getMax()));
    MetricFamily.Builder pools =
        MetricFamily.builder("jvm_memory_pool_used_bytes", MetricType.GAUGE)
            .help("Used bytes of a given JVM memory pool.");
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage u = p.getUsage();
      if (u != null) {
        pools.sample(u.getUsed(), "pool", p.getName());
      }
    }
    out.add(pools.build());
    MetricFamily.Builder buffers =
        MetricFamily.builder("jvm_buffer_pool_used_bytes", MetricType.GAUGE)
            .help("Used bytes of a given JVM buffer pool.");
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      buffers.sample(b.getMemoryUsed(), "pool", b.getName());
    }
    out.add(buffers.build());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    out.add(
        gauge("jvm_threads_current", "Current thread count of a JVM.", threads.getThreadCount()));
    out.add(
        gauge(
            "jvm_threads_daemon", "Daemon thread count of a JVM.", threads.getDaemonThreadCount()));
    out.add(gauge("jvm_threads_peak", "Peak thread count of a JVM.", threads.getPeakThreadCount()));
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    out.add(
        gauge(
            "jvm_classes_currently_loaded",
            "The number of classes that are currently loaded in the JVM.",
            classes.getLoadedClassCount()));
    out.add(
        MetricFamily.builder("jvm_classes_loaded_total", MetricType.COUNTER)
            .help("The total number of classes that have been loaded since the JVM has started.")
            .sample(classes.getTotalLoadedClassCount())
            .build());
    MetricFamily.Builder gcCount =
        MetricFamily.builder("jvm_gc_collections_total", MetricType.COUNTER)
            .help("Collections run by a JVM garbage collector.");
    MetricFamily.Builder gcTime =
        MetricFamily.builder("jvm_gc_collection_seconds_total", MetricType.COUNTER)
            .help("Time spent in a JVM garbage collector, in seconds.");
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc.getCollectionCount() >= 0) {
        gcCount.sample(gc.getCollectionCount(), "gc", gc.getName());
      }
      if (gc.getCollectionTime() >= 0) {
        gcTime.sample(gc.getCollectionTime() / 1000.0, "gc", gc.getName());
      }
    }
    out.add(gcCount.build());
    out.add(gcTime.build());
    out.add(
        MetricFamily.builder("jvm_runtime_info", MetricType.GAUGE)
            .help("JVM runtime info")
            .sample(
                1,
                "runtime",
                System.getProperty("java.runtime.name", "unknown"),
                "vendor",
                System.getProperty("java.vm.vendor", "unknown"),
                "version",
                System.getProperty("java.runtime.version", "unknown"))
            .build());
    return out;
  }

  private static MetricFamily area(String name, String help, long heap, long nonHeap) {
    MetricFamily.Builder b = MetricFamily.builder(name, MetricType.GAUGE).help(help);
    b.sample(heap, "area", "heap");
    b.sample(nonHeap, "area", "nonheap");
    return b.build();
  }

  private static MetricFamily gauge(String name, String help, double value) {
    return MetricFamily.builder(name, MetricType.GAUGE).help(help).sample(value).build();
  }
}
