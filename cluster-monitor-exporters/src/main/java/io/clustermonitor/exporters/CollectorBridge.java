package io.clustermonitor.exporters;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Our collectors inside a prometheus-metrics {@link PrometheusRegistry} (the registry client_java,
 * Micrometer's Prometheus registry and Spring Boot's actuator serve): a {@link MultiCollector} that
 * runs {@link MetricsCollector}s with the same timeout and isolation as {@link ExporterServer}.
 *
 * <p>Each registry scrape runs every collector on its own thread with one deadline; a collector
 * that throws or runs past {@link Builder#timeout(Duration)} costs only its own families and shows
 * up as {@code <namespace>_scrape_collector_success{collector="..."} 0}, next to {@code
 * <namespace>_scrape_collector_duration_seconds}; {@link #collect()} never throws, so the
 * registry's scrape still answers 200.
 *
 * <p>Family names stay exactly what the collectors return, within what the registry's model can
 * express: a counter named {@code x_total} is a counter {@code x_total}; a counter without {@code
 * _total} ({@code pg_stat_database_xact_commit}) is served {@code untyped} under its exact name
 * (prometheus-metrics always appends {@code _total} to counters); gauges keep their type and name,
 * including {@code *_total} and {@code *_info} gauges. On prometheus-metrics 1.3.x, whose model
 * rejects names ending in {@code _total}, {@code _info}, {@code _created} and {@code _bucket}, a
 * {@code *_info} gauge whose values are all 1 is served as an info metric and a {@code *_total}
 * gauge as a counter (both keep their exact name in the text format); other such families are
 * dropped with one warning.
 *
 * <pre>{@code
 * PrometheusRegistry registry = new PrometheusRegistry();
 * CollectorBridge bridge =
 *     CollectorBridge.builder()
 *         .namespace("myapp")
 *         .collector(new QueueDepthCollector())
 *         .timeout(Duration.ofSeconds(2))
 *         .register(registry);
 * // on shutdown: bridge.close();
 * }</pre>
 *
 * <p>A registry takes one bridge per namespace: registering a second one whose namespace is taken
 * fails, since both would serve {@code <namespace>_scrape_collector_success}.
 *
 * <p>Thread-safe. {@link #close()} unregisters the bridge from the registry {@link
 * Builder#register(PrometheusRegistry)} put it in, stops the collector threads and closes what
 * {@link Builder#closeOnClose(AutoCloseable)} handed over.
 */
public final class CollectorBridge implements MultiCollector, AutoCloseable {

  private final CollectorRunner runner;
  private final Scraper scraper;
  private final List<String> names;
  private final List<AutoCloseable> resources;
  private final String namespace;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile PrometheusRegistry registeredWith;

  /** The namespaces of the live bridges in each registry (registries held weakly). */
  private static final Map<PrometheusRegistry, Map<String, CollectorBridge>> TAKEN =
      new WeakHashMap<>();

  private CollectorBridge(Builder b) {
    this.runner = new CollectorRunner(List.copyOf(b.collectors.values()), b.timeout);
    this.scraper = new Scraper(runner, b.namespace, null);
    this.namespace = b.namespace;
    this.names =
        List.of(
            b.namespace + "_scrape_collector_success",
            b.namespace + "_scrape_collector_duration_seconds");
    this.resources = List.copyOf(b.resources);
  }

  /**
   * Starts a builder.
   *
   * @return a builder with namespace {@code cluster_monitor} and a 5 s timeout
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every collector once and converts the result; never throws (a failure is that collector's
   * {@code success 0}).
   */
  @Override
  public MetricSnapshots collect() {
    return RegistrySnapshots.convert(scrape());
  }

  /**
   * One scrape in our own model: the collectors' families in registration order, then {@code
   * <namespace>_scrape_collector_success} and {@code _duration_seconds}.
   *
   * @return the families of this scrape; empty once the bridge is closed
   */
  public List<MetricFamily> scrape() {
    if (closed.get()) {
      return List.of();
    }
    return scraper.scrape();
  }

  /**
   * The SDK's own family names ({@code <namespace>_scrape_collector_success} and {@code
   * _duration_seconds}): the registry refuses a second bridge with the same namespace. Kept
   * although prometheus-metrics 1.10 deprecates it: 1.3.x has no replacement.
   */
  @Override
  @SuppressWarnings("deprecation")
  public List<String> getPrometheusNames() {
    return names;
  }

  /**
   * The collectors' names, in registration order.
   *
   * @return the names
   */
  public List<String> collectorNames() {
    return scraper.collectorNames();
  }

  /**
   * The prefix of the success and duration families.
   *
   * @return the namespace
   */
  public String namespace() {
    return namespace;
  }

  private void registerWith(PrometheusRegistry registry) {
    synchronized (TAKEN) {
      Map<String, CollectorBridge> taken =
          TAKEN.computeIfAbsent(registry, r -> new LinkedHashMap<>());
      if (taken.containsKey(namespace)) {
        throw new IllegalStateException(
            "This registry already has a CollectorBridge with namespace '"
                + namespace
                + "' (it would serve "
                + namespace
                + "_scrape_collector_success twice); close it first or pick another namespace");
      }
      registry.register(this);
      taken.put(namespace, this);
      registeredWith = registry;
    }
  }

  /**
   * Unregisters the bridge (when {@link Builder#register(PrometheusRegistry)} registered it), stops
   * the collector threads and closes the handed-over resources. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    PrometheusRegistry registry = registeredWith;
    if (registry != null) {
      synchronized (TAKEN) {
        registry.unregister(this);
        Map<String, CollectorBridge> taken = TAKEN.get(registry);
        if (taken != null) {
          taken.remove(namespace, this);
        }
      }
    }
    runner.close();
    RuntimeException failure = null;
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("Cannot close " + r + ": " + e.getMessage(), e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Configures a {@link CollectorBridge}. Not thread-safe. Every setter validates its argument:
   * {@link NullPointerException} for a null, {@link IllegalArgumentException} for a bad value, each
   * with a message naming the setting.
   */
  public static final class Builder {
    private final Map<String, MetricsCollector> collectors = new LinkedHashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private String namespace = "cluster_monitor";
    private Duration timeout = ExporterConfig.DEFAULT_COLLECTOR_TIMEOUT;

    private Builder() {}

    /**
     * Adds a collector, run in registration order.
     *
     * @param collector the collector to run on every registry scrape
     * @return this builder
     * @throws IllegalArgumentException when its name is invalid or already taken
     */
    public Builder collector(MetricsCollector collector) {
      CollectorRunner.add(collectors, collector, "in this bridge");
      return this;
    }

    /**
     * Adds each collector of {@code list}, as {@link #collector(MetricsCollector)}.
     *
     * @param list the collectors, in the order to run them
     * @return this builder
     */
    public Builder collectors(List<? extends MetricsCollector> list) {
      Objects.requireNonNull(list, "collectors");
      list.forEach(this::collector);
      return this;
    }

    /**
     * Prefix of the success and duration families; default {@code cluster_monitor}.
     *
     * @param namespace the prefix
     * @return this builder
     * @throws IllegalArgumentException unless it matches {@code [a-zA-Z_][a-zA-Z0-9_]*}
     */
    public Builder namespace(String namespace) {
      this.namespace = CollectorRunner.namespace(namespace);
      return this;
    }

    /**
     * How long a registry scrape waits for the collectors (one deadline for all); default 5 s.
     *
     * @param timeout the deadline of each registry scrape
     * @return this builder
     * @throws IllegalArgumentException when zero or negative
     */
    public Builder timeout(Duration timeout) {
      this.timeout = CollectorRunner.positive("timeout", timeout);
      return this;
    }

    /**
     * Closes {@code resource} (e.g. a collector's connection) when the bridge is closed.
     *
     * @param resource what to close with the bridge
     * @return this builder
     */
    public Builder closeOnClose(AutoCloseable resource) {
      resources.add(Objects.requireNonNull(resource, "resource"));
      return this;
    }

    /**
     * Builds the bridge without registering it.
     *
     * @return the bridge, not registered anywhere
     * @throws IllegalStateException when no collector was added
     */
    public CollectorBridge build() {
      if (collectors.isEmpty()) {
        throw new IllegalStateException("a CollectorBridge needs at least one collector");
      }
      return new CollectorBridge(this);
    }

    /**
     * Builds the bridge and registers it with {@code registry}.
     *
     * @param registry the registry to serve the collectors' families
     * @return the registered bridge
     * @throws IllegalStateException when no collector was added, or when the registry already has a
     *     bridge with this namespace (the registry's own message)
     */
    public CollectorBridge register(PrometheusRegistry registry) {
      Objects.requireNonNull(registry, "registry");
      CollectorBridge bridge = build();
      try {
        bridge.registerWith(registry);
      } catch (RuntimeException e) {
        bridge.close();
        throw e;
      }
      return bridge;
    }

    /**
     * {@link #register(PrometheusRegistry)} with {@link PrometheusRegistry#defaultRegistry}.
     *
     * @return the registered bridge
     */
    public CollectorBridge register() {
      return register(PrometheusRegistry.defaultRegistry);
    }
  }

  /**
   * The base of the builders that bridge one collector made from its own options builder ({@code
   * PostgresMetrics.Builder}, {@code RedisMetrics.Builder}): {@link #configure(Consumer)} the
   * collector, then {@link #register(PrometheusRegistry)}. Closing the bridge closes the collector.
   * Not thread-safe.
   *
   * @param <O> the collector's options builder
   * @param <C> the collector
   * @param <B> the concrete builder, returned by every setter
   */
  // "try": C is AutoCloseable but never used in try-with-resources; the bridge's close() calls it
  @SuppressWarnings("try")
  public abstract static class CollectorMetricsBuilder<
      O, C extends MetricsCollector & AutoCloseable, B extends CollectorMetricsBuilder<O, C, B>> {
    private final O options;
    private final Function<O, C> build;
    private final Builder bridge = CollectorBridge.builder();

    /**
     * A builder over {@code options}.
     *
     * @param options the collector's options builder, handed to {@link #configure(Consumer)}
     * @param build builds the collector from {@code options}
     * @param namespace the default prefix of the success and duration families
     */
    protected CollectorMetricsBuilder(O options, Function<O, C> build, String namespace) {
      this.options = Objects.requireNonNull(options, "options");
      this.build = Objects.requireNonNull(build, "build");
      bridge.namespace(namespace);
    }

    /**
     * This builder as its concrete type.
     *
     * @return {@code this}
     */
    protected abstract B self();

    /**
     * Sets the collector's options (the exporter's flags as builder methods).
     *
     * @param configure called once, now, with the collector's options builder
     * @return this builder
     */
    public B configure(Consumer<O> configure) {
      Objects.requireNonNull(configure, "options").accept(options);
      return self();
    }

    /**
     * Prefix of the success and duration families, as {@link Builder#namespace(String)}.
     *
     * @param namespace the prefix
     * @return this builder
     */
    public B namespace(String namespace) {
      bridge.namespace(namespace);
      return self();
    }

    /**
     * How long a registry scrape waits for the collector; default 5 s; must be positive.
     *
     * @param timeout the deadline of each scrape
     * @return this builder
     */
    public B timeout(Duration timeout) {
      bridge.timeout(timeout);
      return self();
    }

    /**
     * Builds the collector and the bridge without registering it.
     *
     * @return the bridge
     */
    public CollectorBridge build() {
      C c = build.apply(options);
      return bridge.collector(c).closeOnClose(c).build();
    }

    /**
     * Builds the collector and the bridge and registers it with {@code registry}.
     *
     * @param registry the registry to serve the collector's families
     * @return the registered bridge
     */
    public CollectorBridge register(PrometheusRegistry registry) {
      Objects.requireNonNull(registry, "registry");
      C c = build.apply(options);
      return bridge.collector(c).closeOnClose(c).register(registry);
    }
  }
}
