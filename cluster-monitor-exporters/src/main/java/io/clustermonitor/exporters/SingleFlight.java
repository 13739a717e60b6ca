package io.clustermonitor.exporters;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Concurrent calls with the same key share one run of the work: the first caller runs it, callers
 * that arrive while it runs wait for and get the same result (or the same failure). A later call
 * runs the work again. So N clients scraping at once cost one scrape and one body in memory, not N.
 */
final class SingleFlight<K, V> {
  private final ConcurrentHashMap<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

  V get(K key, Supplier<V> work) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return await(running);
    }
    // the flight leaves the map before its result is published: a caller that finds it there
    // always gets a result that was fresh when it joined, later callers start a new flight
    V value;
    try {
      value = work.get();
    } catch (RuntimeException | Error e) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    inFlight.remove(key, mine);
    mine.complete(value);
    return value;
  }

  private static <V> V await(CompletableFuture<V> running) {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for a shared scrape");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Keys in flight now (for tests). */
  int inFlight() {
    return inFlight.size();
  }
}
