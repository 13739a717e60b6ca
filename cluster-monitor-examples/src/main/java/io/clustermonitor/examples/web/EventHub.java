package io.clustermonitor.examples.web;

import io.clustermonitor.exporters.web.WebStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The Server-Sent Events subscribers: at most {@code maxClients} open streams, each sent every
 * broadcast event, a comment line as heartbeat when nothing else was sent for {@code heartbeat},
 * closed after {@code maxAge} (clients reconnect) or when a write has been pending for {@code
 * slowClientTimeout}. Nothing is queued per client: an event a slow client cannot take is dropped
 * for it (every event carries the full current state, so the next one repairs it). It has no
 * thread: whoever produces events calls {@link #broadcast} and {@link #tick}. Thread-safe.
 */
public final class EventHub implements AutoCloseable {
  private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

  private final int maxClients;
  private final long heartbeatNanos;
  private final long maxAgeNanos;
  private final long slowNanos;
  private final LongSupplier nanoClock;
  private final Map<WebStream.Sink, Client> clients = new ConcurrentHashMap<>();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  private static final class Client {
    final long openedAt;
    volatile long lastSent;

    Client(long now) {
      this.openedAt = now;
      this.lastSent = now;
    }
  }

  /**
   * A hub.
   *
   * @throws IllegalArgumentException for a cap outside 1-10000 or non-positive durations
   */
  public EventHub(
      int maxClients,
      Duration heartbeat,
      Duration maxAge,
      Duration slowClientTimeout,
      LongSupplier nanoClock) {
    if (maxClients < 1 || maxClients > 10_000) {
      throw new IllegalArgumentException(
          "max stream clients must be between 1 and 10000, got " + maxClients);
    }
    if (heartbeat.isNegative()
        || heartbeat.isZero()
        || maxAge.compareTo(heartbeat) < 0
        || slowClientTimeout.isNegative()
        || slowClientTimeout.isZero()) {
      throw new IllegalArgumentException(
          "stream heartbeat and slow-client timeout must be positive and the maximum age at least"
              + " the heartbeat");
    }
    this.maxClients = maxClients;
    this.heartbeatNanos = heartbeat.toNanos();
    this.maxAgeNanos = maxAge.toNanos();
    this.slowNanos = slowClientTimeout.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Whether a new client would be admitted now. */
  public boolean admits() {
    return !closed && clients.size() < maxClients;
  }

  /**
   * Adds a client and sends it {@code first}; closes the sink at once when the hub is full or
   * closed (a race past {@link #admits()}).
   */
  public void open(WebStream.Sink sink, byte[] first) {
    long now = nanoClock.getAsLong();
    synchronized (this) {
      if (closed || clients.size() >= maxClients) {
        sink.close();
        return;
      }
      clients.put(sink, new Client(now));
    }
    opened.incrementAndGet();
    sink.onClose(() -> clients.remove(sink));
    if (!sink.offer(first)) {
      clients.remove(sink);
      sink.close();
    }
  }

  /** Sends {@code event} to every client that can take it now. */
  public void broadcast(byte[] event) {
    long now = nanoClock.getAsLong();
    for (Map.Entry<WebStream.Sink, Client> e : clients.entrySet()) {
      send(e.getKey(), e.getValue(), event, now);
    }
  }

  /** Heartbeats, slow and old clients; call about once a second. */
  public void tick() {
    long now = nanoClock.getAsLong();
    for (Map.Entry<WebStream.Sink, Client> e : clients.entrySet()) {
      WebStream.Sink sink = e.getKey();
      Client c = e.getValue();
      if (!sink.isOpen()) {
        clients.remove(sink);
      } else if (now - c.openedAt >= maxAgeNanos) {
        clients.remove(sink);
        sink.close();
      } else if (now - c.lastSent >= heartbeatNanos) {
        send(sink, c, HEARTBEAT, now);
      }
    }
  }

  private void send(WebStream.Sink sink, Client c, byte[] bytes, long now) {
    if (sink.offer(bytes)) {
      c.lastSent = now;
    } else {
      dropped.incrementAndGet();
      if (!sink.isOpen() || now - c.lastSent >= slowNanos) {
        clients.remove(sink);
        sink.close();
      }
    }
  }

  /** Open streams. */
  public int clients() {
    return clients.size();
  }

  /** The cap on open streams. */
  public int maxClients() {
    return maxClients;
  }

  /** Streams opened since start. */
  public long opened() {
    return opened.get();
  }

  /** Events not sent to a client that had not taken the previous one (cumulative). */
  public long dropped() {
    return dropped.get();
  }

  /** Closes every stream; later ones are refused. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    for (WebStream.Sink s : clients.keySet()) {
      clients.remove(s);
      s.close();
    }
  }

  /** One event in the text/event-stream format: {@code event:} line, {@code data:} line. */
  public static byte[] event(String name, String json) {
    // JSON from Jackson holds no raw newline, so one data line carries it.
    return ("event: " + name + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
