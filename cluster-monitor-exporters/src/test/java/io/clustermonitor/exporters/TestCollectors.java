package io.clustermonitor.exporters;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Collectors with controlled behaviour for SDK tests. */
final class TestCollectors {
  private TestCollectors() {}

  static MetricsCollector fixed(String name, MetricFamily... families) {
    return new MetricsCollector() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<MetricFamily> collect() {
        return List.of(families);
      }
    };
  }

  static MetricsCollector throwing(String name) {
    return new MetricsCollector() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<MetricFamily> collect() {
        throw new IllegalStateException("target unreachable");
      }
    };
  }

  /** Sleeps until released (or interrupted), counting calls. */
  static final class Sleeping implements MetricsCollector {
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    private final String name;

    Sleeping(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<MetricFamily> collect() throws InterruptedException {
      calls.incrementAndGet();
      release.await();
      return List.of(
          MetricFamily.builder(name + "_late", MetricType.GAUGE).help("late").sample(1).build());
    }
  }
}
