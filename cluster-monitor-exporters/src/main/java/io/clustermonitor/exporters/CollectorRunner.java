package io.clustermonitor.exporters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs collectors concurrently, each on its own pooled thread, with one deadline per scrape.
 *
 * <p>Isolation: a collector that throws, returns {@code null} or misses the deadline yields an
 * {@link Outcome} with {@code success == false}; the others are unaffected. Coalescing: while a
 * collector's {@code collect()} is still running (for example, a slow one left over from an earlier
 * scrape that timed out), further scrapes wait on that same call instead of starting another, so a
 * slow target never has more than one read in flight. Thread-safe.
 */
final class CollectorRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorRunner.class);

  /**
   * The result of one collector in one scrape.
   *
   * @param collector the collector's name
   * @param families its families (empty on failure)
   * @param success whether it answered in time without error
   * @param seconds the collector's own duration: from the start of its {@code collect()} call to
   *     its end, or, when it missed the deadline, until the deadline
   * @param error why it failed ("" on success)
   */
  public record Outcome(
      String collector,
      List<MetricFamily> families,
      boolean success,
      double seconds,
      String error) {}

  private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern COLLECTOR_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

  /**
   * Adds {@code collector} to {@code into} under its name: the one check of {@code
   * ExporterServer.Builder} and {@code CollectorBridge.Builder}.
   *
   * @param where ends the message for a taken name, e.g. {@code "registered"}
   * @throws IllegalArgumentException when its name is invalid or already in {@code into}
   */
  static void add(Map<String, MetricsCollector> into, MetricsCollector collector, String where) {
    Objects.requireNonNull(collector, "collector");
    String name = collector.name();
    if (name == null || !COLLECTOR_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Collector "
              + collector.getClass().getName()
              + " has an invalid name '"
              + name
              + "'; use letters, digits, '_', '.', '-'");
    }
    if (into.putIfAbsent(name, collector) != null) {
      throw new IllegalArgumentException("A collector named '" + name + "' is already " + where);
    }
  }

  /**
   * {@code namespace} when it is a metric name prefix: the one check of both builders.
   *
   * @throws IllegalArgumentException unless it matches {@code [a-zA-Z_][a-zA-Z0-9_]*}
   */
  static String namespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "namespace must match [a-zA-Z_][a-zA-Z0-9_]*, got '" + namespace + "'");
    }
    return namespace;
  }

  /**
   * {@code timeout} when positive: the one check of the collector timeouts.
   *
   * @param setting names the setting in the message
   * @throws IllegalArgumentException when zero or negative
   */
  static Duration positive(String setting, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive, got " + timeout);
    }
    return timeout;
  }

  private final List<MetricsCollector> collectors;
  private final Duration timeout;
  private final ThreadPoolExecutor executor;
  private final Map<String, CompletableFuture<Timed>> inFlight = new ConcurrentHashMap<>();

  /** A finished call: its families and its own duration. */
  private record Timed(List<MetricFamily> families, double seconds) {}

  /** Thrown through the future when a collector failed; carries its own duration. */
  private static final class TimedFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final double seconds;

    TimedFailure(Throwable cause, double seconds) {
      super(cause);
      this.seconds = seconds;
    }
  }

  /**
   * How long an idle collector thread is kept: shorter than any usual scrape interval, so between
   * two scrapes of a node exporter its 40-odd threads (one per collector, all started at once) are
   * gone and their stacks given back; a new one costs tens of microseconds, once per collector and
   * scrape. Executors' cached pool kept them 60 s, that is for ever at a 15 s interval.
   */
  static final Duration IDLE_THREAD_KEEP_ALIVE = Duration.ofSeconds(5);

  /** Creates a runner; the collectors' names must be unique. */
  public CollectorRunner(List<MetricsCollector> collectors, Duration timeout) {
    this(collectors, timeout, IDLE_THREAD_KEEP_ALIVE);
  }

  CollectorRunner(List<MetricsCollector> collectors, Duration timeout, Duration keepAlive) {
    this.collectors = List.copyOf(collectors);
    this.timeout = timeout;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            keepAlive.toNanos(),
            TimeUnit.NANOSECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "cm-collector-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** The collector threads alive now, idle ones included. */
  int threads() {
    return executor.getPoolSize();
  }

  /** The collectors, in registration order. */
  public List<MetricsCollector> collectors() {
    return collectors;
  }

  /** Runs every collector once (or joins its running call) and returns outcomes in order. */
  public List<Outcome> collectAll() {
    return collect(name -> true);
  }

  /**
   * Runs the registered collectors whose name passes {@code names} (or joins their running calls)
   * and returns their outcomes in registration order.
   */
  public List<Outcome> collect(Predicate<String> names) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    List<MetricsCollector> chosen = new ArrayList<>(collectors.size());
    List<CompletableFuture<Timed>> futures = new ArrayList<>(collectors.size());
    for (MetricsCollector collector : collectors) {
      if (names.test(collector.name())) {
        chosen.add(collector);
        futures.add(start(collector));
      }
    }
    return awaitAll(chosen, futures, start, deadline);
  }

  /**
   * Runs collectors that belong to one request only (e.g. a {@code /probe} target), with the same
   * timeout and isolation but without coalescing: two requests never share a call.
   */
  public List<Outcome> collectOnce(List<MetricsCollector> fresh) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    List<CompletableFuture<Timed>> futures = new ArrayList<>(fresh.size());
    for (MetricsCollector collector : fresh) {
      CompletableFuture<Timed> f = new CompletableFuture<>();
      try {
        executor.execute(() -> run(collector, f, false));
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
      futures.add(f);
    }
    return awaitAll(fresh, futures, start, deadline);
  }

  private static List<Outcome> awaitAll(
      List<MetricsCollector> chosen,
      List<CompletableFuture<Timed>> futures,
      long start,
      long deadline) {
    List<Outcome> outcomes = new ArrayList<>(chosen.size());
    for (int i = 0; i < chosen.size(); i++) {
      outcomes.add(await(chosen.get(i).name(), futures.get(i), start, deadline));
    }
    return outcomes;
  }

  /**
   * Joins the collector's running call or starts one. The call is handed to the executor after
   * {@code compute} has returned, not inside it: inside, the map's bin lock was held while the pool
   * woke or created a thread, and a collector that finished quickly then blocked in {@code remove}
   * on that lock (JFR showed waits of 100-250 ms on a loaded host).
   */
  private CompletableFuture<Timed> start(MetricsCollector collector) {
    CompletableFuture<Timed> mine = new CompletableFuture<>();
    CompletableFuture<Timed> f =
        inFlight.compute(
            collector.name(),
            (name, running) -> running != null && !running.isDone() ? running : mine);
    if (f == mine) {
      try {
        executor.execute(() -> run(collector, mine, true));
      } catch (RuntimeException e) {
        mine.completeExceptionally(e);
      }
    }
    return f;
  }

  private void run(MetricsCollector collector, CompletableFuture<Timed> f, boolean shared) {
    long begin = System.nanoTime();
    try {
      List<MetricFamily> families = collector.collect();
      if (families == null) {
        f.completeExceptionally(
            new TimedFailure(new IllegalStateException("collect() returned null"), seconds(begin)));
      } else {
        f.complete(new Timed(List.copyOf(families), seconds(begin)));
      }
    } catch (Throwable e) { // isolation: even Errors from a plug-in stay with that plug-in
      f.completeExceptionally(new TimedFailure(e, seconds(begin)));
    } finally {
      if (shared) {
        inFlight.remove(collector.name(), f);
      }
    }
  }

  private static Outcome await(String name, CompletableFuture<Timed> f, long start, long deadline) {
    try {
      long remaining = Math.max(0, deadline - System.nanoTime());
      Timed timed = f.get(remaining, TimeUnit.NANOSECONDS);
      return new Outcome(name, timed.families(), true, timed.seconds(), "");
    } catch (TimeoutException e) {
      LOG.warn("Collector {} timed out", name);
      return new Outcome(name, List.of(), false, seconds(start), "timeout");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      double seconds = seconds(start);
      if (cause instanceof TimedFailure t) {
        seconds = t.seconds;
        cause = t.getCause();
      }
      if (cause instanceof NoDataException) {
        LOG.debug("Collector {} has no data: {}", name, cause.getMessage());
      } else {
        LOG.warn("Collector {} failed: {}", name, cause.toString());
        LOG.debug("Collector {} failure", name, cause);
      }
      return new Outcome(name, List.of(), false, seconds, cause.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(name, List.of(), false, seconds(start), "interrupted");
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Stops the collector threads; running collectors are interrupted. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
