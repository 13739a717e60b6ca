package io.clustermonitor.core.stats;

import io.clustermonitor.core.events.EngineClient;
import io.clustermonitor.core.model.StatsSample;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows each running container with the Engine API's streaming stats call ({@code
 * /containers/<id>/stats?stream=1}, one frame per second) and keeps the newest frame. Works against
 * remote engines; costs dockerd CPU per stream (moby #39664). A stream that fails is reopened with
 * exponential backoff while the container is tracked. The first frame of a stream has no {@code
 * precpu_stats}: CPU % comes from two consecutive frames, so the first one only seeds.
 *
 * <p>Thread-safe. One reader thread per stream ({@code cluster-monitor-stream-stats-*}) plus one
 * reconnect thread.
 */
public final class EngineApiStatsSource implements StatsSource {
  private static final Logger LOG = LoggerFactory.getLogger(EngineApiStatsSource.class);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final EngineClient client;
  private final Map<String, Follow> follows = new ConcurrentHashMap<>();
  private final ScheduledExecutorService reconnects;
  private final AtomicBoolean closed = new AtomicBoolean();

  private final class Follow {
    final StatsTarget target;
    volatile StatsSample latest;
    volatile AutoCloseable stream;
    volatile Duration backoff = MIN_BACKOFF;
    volatile boolean stopped;

    Follow(StatsTarget target) {
      this.target = target;
    }

    void open() {
      if (stopped || closed.get()) {
        return;
      }
      try {
        stream =
            client.stats(
                target.id(),
                new EngineClient.StreamHandler<>() {
                  @Override
                  public void onItem(StatsSample item) {
                    latest = item;
                    backoff = MIN_BACKOFF;
                  }

                  @Override
                  public void onEnd(Throwable error) {
                    if (!stopped && !closed.get()) {
                      scheduleReopen(error == null ? "stream ended" : error.toString());
                    }
                  }
                });
      } catch (RuntimeException e) {
        scheduleReopen(e.toString());
      }
    }

    void scheduleReopen(String why) {
      Duration wait = backoff;
      backoff =
          wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
      LOG.debug("stats stream of {} ended ({}), reopening in {}", target.id(), why, wait);
      try {
        reconnects.schedule(this::open, wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }

    void stop() {
      stopped = true;
      AutoCloseable s = stream;
      if (s != null) {
        try {
          s.close();
        } catch (Exception e) {
          LOG.debug("closing stats stream: {}", e.toString());
        }
      }
    }
  }

  /**
   * A source over {@code client} (not closed by this source). Size the client's pool for one stream
   * per running container (as {@link StatsEngine.Builder#maxStreams(int)} does).
   */
  public EngineApiStatsSource(EngineClient client) {
    this.client = Objects.requireNonNull(client, "client");
    this.reconnects =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cluster-monitor-stats-reconnect-" + client.host());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public String name() {
    return "engine-api";
  }

  @Override
  public boolean canRead(StatsTarget target) {
    return !closed.get();
  }

  @Override
  public void track(StatsTarget target) {
    if (closed.get()) {
      return;
    }
    Follow f = new Follow(target);
    if (follows.putIfAbsent(target.id(), f) == null) {
      f.open();
    }
  }

  @Override
  public void untrack(String containerId) {
    Follow f = follows.remove(containerId);
    if (f != null) {
      f.stop();
    }
  }

  @Override
  public Optional<StatsSample> sample(StatsTarget target) {
    Follow f = follows.get(target.id());
    return f == null ? Optional.empty() : Optional.ofNullable(f.latest);
  }

  /** Number of open streams (for tests and diagnostics). */
  public int openStreams() {
    return follows.size();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    reconnects.shutdownNow();
    for (String id : follows.keySet()) {
      untrack(id);
    }
    try {
      reconnects.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
