package io.clustermonitor.examples.api;

import io.clustermonitor.core.ClusterMonitorException;
import io.clustermonitor.core.EngineTimeoutException;
import io.clustermonitor.core.EngineUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bulkhead for requests that call the engine (inspect, system info, a first stats read): at
 * most {@code size} such calls run at once, each on this bulkhead's own threads, and a request
 * waits for its call at most {@code deadline}. Past the size a request gets 503 at once; past the
 * deadline 504. Calls that do not return keep their permit until they do, so a frozen engine costs
 * at most {@code size} threads and the in-memory endpoints never wait on it.
 *
 * <p>It also tells {@code /health} whether the engine is stuck: a call that outlived the deadline
 * and has not been followed by a successful one. Thread-safe.
 */
final class EngineBulkhead implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EngineBulkhead.class);

  /** A stuck-engine verdict for {@code /health}. */
  record Stuck(String reason, Instant since) {}

  private final Semaphore permits;
  private final Semaphore admitted;
  private final Duration deadline;
  private final ThreadPoolExecutor executor;
  private final Clock clock;
  private final AtomicReference<Stuck> stuck = new AtomicReference<>();

  EngineBulkhead(int size, Duration deadline, Clock clock) {
    this.permits = new Semaphore(size);
    this.admitted = new Semaphore(4 * size);
    this.deadline = deadline;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            size,
            size,
            30,
            TimeUnit.SECONDS,
            // The slots bound the tasks; the queue only bridges the moment between a finished
            // call releasing its slot and its thread becoming free again.
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "cm-api-engine-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
  }

  /** The deadline of one engine-bound request. */
  Duration deadline() {
    return deadline;
  }

  /** Non-null while the engine looks stuck. */
  Stuck stuck() {
    return stuck.get();
  }

  /**
   * Runs {@code call} in the bulkhead and waits for it up to the deadline.
   *
   * @throws ApiException 503 when the bulkhead is full, 504 when the deadline passes
   */
  <T> T call(String what, Supplier<T> call) {
    if (!admitted.tryAcquire()) {
      throw busy();
    }
    try {
      return admittedCall(what, call);
    } finally {
      admitted.release();
    }
  }

  private static ApiException busy() {
    return new ApiException(
        503,
        "engine_busy",
        "Too many requests are waiting for the Docker engine; retry shortly",
        Map.of("Retry-After", "5"));
  }

  private <T> T admittedCall(String what, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      // A busy but healthy engine: wait for a free call slot, within the same deadline.
      if (!permits.tryAcquire(deadline.toNanos(), TimeUnit.NANOSECONDS)) {
        throw busy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw busy();
    }
    long remaining = Math.max(1, deadline.toNanos() - (System.nanoTime() - start));
    Future<T> f;
    try {
      f =
          executor.submit(
              () -> {
                try {
                  T value = call.get();
                  succeeded();
                  return value;
                } catch (EngineTimeoutException e) {
                  markStuck("Docker engine calls time out: " + what + " timed out");
                  throw e;
                } catch (EngineUnavailableException e) {
                  throw e;
                } catch (ClusterMonitorException e) {
                  succeeded(); // the engine answered, with an error (e.g. no such container)
                  throw e;
                } finally {
                  permits.release();
                }
              });
    } catch (RejectedExecutionException e) {
      permits.release();
      throw new ApiException(
          503, "engine_busy", "Too many requests are waiting for the Docker engine", Map.of());
    }
    try {
      return f.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      markStuck(
          "Docker engine calls time out: "
              + what
              + " did not answer within "
              + deadline.toMillis()
              + " ms");
      throw new ApiException(
          504,
          "engine_timeout",
          "The Docker engine did not answer within " + deadline.toMillis() + " ms",
          Map.of("Retry-After", "5"));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("engine call failed", cause);
    } catch (CancellationException e) {
      throw new ApiException(503, "engine_unavailable", "The engine call was cancelled");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw new ApiException(503, "engine_unavailable", "Interrupted while waiting for the engine");
    }
  }

  private void markStuck(String reason) {
    if (stuck.compareAndSet(null, new Stuck(reason, clock.instant()))) {
      LOG.warn("{}", reason);
    }
  }

  private void succeeded() {
    Stuck s = stuck.getAndSet(null);
    if (s != null) {
      LOG.info("Docker engine calls answer again");
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
