package io.clustermonitor.examples.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
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
  private final Duration deadline;
  private final ExecutorService executor;
  private final Clock clock;
  private final AtomicReference<Stuck> stuck = new AtomicReference<>();

  EngineBulkhead(int size, Duration deadline, Clock clock) {
    this.permits = new Semaphore(size);
    this.deadline = deadline;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            0,
            size,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "cm-api-engine-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
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
    if (!permits.tryAcquire()) {
      throw new ApiException(
          503,
          "engine_busy",
          "Too many requests are waiting for the Docker engine; retry shortly",
          Map.of("Retry-After", "5"));
    }
    Future<T> f;
    try {
      f =
          executor.submit(
              () -> {
                try {
                  T value = call.get();
                  succeeded();
                  return value;
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
      return f.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      String reason =
          "Docker engine calls time out: "
              + what
              + " did not answer within "
              + deadline.toMillis()
              + " ms";
      if (stuck.compareAndSet(null, new Stuck(reason, clock.instant()))) {
        LOG.warn("{}", reason);
      }
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
