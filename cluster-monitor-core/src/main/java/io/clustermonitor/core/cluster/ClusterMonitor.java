package io.clustermonitor.core.cluster;

import io.clustermonitor.core.ClosedException;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.model.AggregateStats;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One view over several Docker engines. Every query runs on all hosts at once, waits at most the
 * per-host timeout, and returns one {@link HostResult} per host: a host that is down or slow is
 * reported as that host's failure and never fails the others.
 *
 * <pre>{@code
 * try (ClusterMonitor cluster =
 *     ClusterMonitor.builder()
 *         .add(DockerEndpoint.fromEnvironment())
 *         .add(DockerEndpoint.builder("tcp://10.0.0.7:2375").name("db-host").build())
 *         .hostTimeout(Duration.ofSeconds(2))
 *         .build()) {
 *   ClusterResult<List<ContainerSummary>> running = cluster.containers(ContainerFilter.RUNNING);
 *   running.failures().forEach((host, error) -> System.err.println(host + ": " + error));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Closes the monitors it created from endpoints, not the ones given to it.
 */
public final class ClusterMonitor implements AutoCloseable {
  private static final AtomicInteger POOL_SEQ = new AtomicInteger();

  private final Map<String, DockerMonitor> hosts;
  private final List<DockerMonitor> owned;
  private final Duration hostTimeout;
  private final ExecutorService pool;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ClusterMonitor(Builder b) {
    this.hosts = Map.copyOf(b.hosts);
    this.owned = List.copyOf(b.owned);
    this.hostTimeout = b.hostTimeout;
    int seq = POOL_SEQ.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t =
                  new Thread(r, "cluster-monitor-cluster-" + seq + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.order = List.copyOf(b.hosts.keySet());
  }

  private final List<String> order;

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Host names in the order they were added. */
  public List<String> hosts() {
    return order;
  }

  /** The per-host timeout. */
  public Duration hostTimeout() {
    return hostTimeout;
  }

  /** Containers of every host; each summary carries its host. */
  public ClusterResult<List<ContainerSummary>> containers(ContainerFilter filter) {
    Objects.requireNonNull(filter, "filter");
    return query(m -> m.containers(filter));
  }

  /** System info of every host. */
  public ClusterResult<SystemInfo> systemInfo() {
    return query(DockerMonitor::systemInfo);
  }

  /** Aggregate stats of every host. */
  public ClusterResult<AggregateStats> aggregateStats() {
    return query(DockerMonitor::aggregateStats);
  }

  /** The live stats snapshot of every host (starts each host's stats engine on first use). */
  public ClusterResult<StatsSnapshot> snapshots() {
    return query(DockerMonitor::snapshot);
  }

  /**
   * Runs {@code query} on every host concurrently.
   *
   * @throws ClosedException when the cluster monitor is closed
   */
  public <T> ClusterResult<T> query(Function<DockerMonitor, T> query) {
    Objects.requireNonNull(query, "query");
    if (closed.get()) {
      throw new ClosedException("cluster monitor");
    }
    Map<String, Future<T>> futures = new LinkedHashMap<>();
    Map<String, Long> starts = new LinkedHashMap<>();
    for (String host : order) {
      DockerMonitor m = hosts.get(host);
      starts.put(host, System.nanoTime());
      futures.put(host, pool.submit(() -> query.apply(m)));
    }
    long deadline = System.nanoTime() + hostTimeout.toNanos();
    List<HostResult<T>> results = new ArrayList<>(order.size());
    for (Map.Entry<String, Future<T>> e : futures.entrySet()) {
      String host = e.getKey();
      Future<T> f = e.getValue();
      try {
        T value = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - starts.get(host));
        results.add(
            value == null
                ? HostResult.failed(host, "no answer (null)", took)
                : HostResult.ok(host, value, took));
      } catch (TimeoutException ex) {
        f.cancel(true);
        results.add(
            HostResult.failed(
                host, "timed out after " + hostTimeout.toMillis() + " ms", hostTimeout));
      } catch (ExecutionException ex) {
        Throwable cause = ex.getCause() == null ? ex : ex.getCause();
        String msg = cause.getMessage();
        results.add(
            HostResult.failed(
                host,
                msg == null || msg.isBlank() ? cause.getClass().getSimpleName() : msg,
                Duration.ofNanos(System.nanoTime() - starts.get(host))));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        f.cancel(true);
        results.add(HostResult.failed(host, "interrupted", Duration.ZERO));
      }
    }
    return new ClusterResult<>(results);
  }

  /** Stops the worker threads and closes the monitors created from endpoints. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    pool.shutdownNow();
    for (DockerMonitor m : owned) {
      m.close();
    }
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Builder for {@link ClusterMonitor}; not thread-safe. */
  public static final class Builder {
    private final Map<String, DockerMonitor> hosts = new LinkedHashMap<>();
    private final List<DockerMonitor> owned = new ArrayList<>();
    private Duration hostTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * Adds an engine by endpoint (a unix socket or tcp address), named by {@link
     * DockerEndpoint#name()}; the cluster monitor creates and closes its monitor.
     *
     * @throws IllegalArgumentException when a host of that name was already added
     */
    public Builder add(DockerEndpoint endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      checkNew(endpoint.name());
      DockerMonitor m = DockerMonitor.connect(endpoint);
      owned.add(m);
      hosts.put(endpoint.name(), m);
      return this;
    }

    /**
     * Adds an existing monitor under {@code name}; it is not closed by the cluster monitor.
     *
     * @throws IllegalArgumentException when the name is blank or already used
     */
    public Builder add(String name, DockerMonitor monitor) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("host name must not be blank");
      }
      Objects.requireNonNull(monitor, "monitor");
      checkNew(name);
      hosts.put(name, monitor);
      return this;
    }

    /**
     * How long a query waits for each host (default 5 s); slower hosts are reported as timed out.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder hostTimeout(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("hostTimeout must be positive, got " + timeout);
      }
      this.hostTimeout = timeout;
      return this;
    }

    /**
     * Builds the cluster monitor.
     *
     * @throws IllegalStateException when no host was added
     */
    public ClusterMonitor build() {
      if (hosts.isEmpty()) {
        throw new IllegalStateException("add at least one host");
      }
      return new ClusterMonitor(this);
    }

    private void checkNew(String name) {
      if (hosts.containsKey(name)) {
        throw new IllegalArgumentException(
            "host name '" + name + "' is used twice; give endpoints distinct names");
      }
    }
  }
}
