package io.clustermonitor.exporters.internal.serving;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private final AtomicBoolean armed = new AtomicBoolean();
  private volatile Scheduler scheduler;
  private volatile Scheduler.Task task;

  /** A header timeout of {@code timeout}, checked about four times per timeout. */
  public HeaderTimeout(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    this.periodMillis = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
  }

  /**
   * Checks on {@code scheduler} from now on, only while a connection is open: an idle server with
   * no connection schedules nothing.
   */
  public void start(Scheduler scheduler) {
    this.scheduler = scheduler;
    arm();
  }

  /** Stops the periodic check. */
  public void stop() {
    scheduler = null;
    Scheduler.Task t = task;
    task = null;
    if (t != null) {
      t.cancel();
    }
    armed.set(false);
  }

  /** Whether a check is scheduled (for tests): only while a connection is open. */
  public boolean checking() {
    return armed.get();
  }

  /** Schedules the next check if a connection is open and none is scheduled. */
  private void arm() {
    Scheduler s = scheduler;
    if (s == null || connections.isEmpty() || !armed.compareAndSet(false, true)) {
      return;
    }
    if (!s.isRunning()) {
      armed.set(false);
      return;
    }
    task = s.schedule(this::check, periodMillis, TimeUnit.MILLISECONDS);
  }

  private void check() {
    try {
      sweep(System.nanoTime());
    } finally {
      // disarm first, then look again: a connection opened meanwhile arms it here or in onOpened
      armed.set(false);
      arm();
    }
  }

  @Override
  public void onOpened(Connection connection) {
    if (!(connection instanceof SslConnection)) {
      connections.put(connection, new State());
      arm();
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
