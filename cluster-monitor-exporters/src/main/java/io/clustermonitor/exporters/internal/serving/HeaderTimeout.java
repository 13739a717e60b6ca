package io.clustermonitor.exporters.internal.serving;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections whose client started a request but did not finish its headers within the
 * header read timeout (slowloris). Jetty's idle timeout alone does not: it restarts with every
 * byte. A connection is "waiting for headers" from the moment it opens or its previous answer was
 * written; once bytes arrived in that state and no request was dispatched within the timeout, the
 * connection is closed. A silent keep-alive connection is left to the idle timeout.
 */
public final class HeaderTimeout implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(HeaderTimeout.class);

  private static final class State {
    volatile boolean busy;
    volatile long bytesMark;
    volatile long partialSince;
  }

  private final long timeoutNanos;
  private final long periodMillis;
  private final Map<Connection, State> connections = new ConcurrentHashMap<>();
  private volatile Scheduler.Task task;

  /** A header timeout of {@code timeout}, checked about four times per timeout. */
  public HeaderTimeout(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    this.periodMillis = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
  }

  /** Starts the periodic check on {@code scheduler}. */
  public void start(Scheduler scheduler) {
    schedule(scheduler);
  }

  private void schedule(Scheduler scheduler) {
    task =
        scheduler.schedule(
            () -> {
              try {
                sweep(System.nanoTime());
              } finally {
                if (task != null && scheduler.isRunning()) {
                  schedule(scheduler);
                }
              }
            },
            periodMillis,
            TimeUnit.MILLISECONDS);
  }

  /** Stops the periodic check. */
  public void stop() {
    Scheduler.Task t = task;
    task = null;
    if (t != null) {
      t.cancel();
    }
  }

  @Override
  public void onOpened(Connection connection) {
    if (!(connection instanceof SslConnection)) {
      connections.put(connection, new State());
    }
  }

  @Override
  public void onClosed(Connection connection) {
    connections.remove(connection);
  }

  /** A request's headers are complete on {@code connection}: it is no longer waiting. */
  public void requestStarted(Connection connection) {
    State s = connections.get(connection);
    if (s != null) {
      s.busy = true;
      s.partialSince = 0;
    }
  }

  /** The answer on {@code connection} was written: it waits for the next request's headers. */
  public void requestEnded(Connection connection) {
    State s = connections.get(connection);
    if (s != null) {
      s.bytesMark = Math.max(0, connection.getBytesIn());
      s.partialSince = 0;
      s.busy = false;
    }
  }

  /** The number of connections being watched (for tests). */
  public int watched() {
    return connections.size();
  }

  void sweep(long now) {
    for (Map.Entry<Connection, State> e : connections.entrySet()) {
      State s = e.getValue();
      if (s.busy) {
        continue;
      }
      Connection c = e.getKey();
      long in = c.getBytesIn();
      if (in <= s.bytesMark) {
        continue; // silent: the idle timeout's business
      }
      if (s.partialSince == 0) {
        s.partialSince = now;
      } else if (now - s.partialSince > timeoutNanos) {
        LOG.debug("closing {}: request headers not complete within the header timeout", c);
        connections.remove(c);
        c.getEndPoint().close();
      }
    }
  }
}
