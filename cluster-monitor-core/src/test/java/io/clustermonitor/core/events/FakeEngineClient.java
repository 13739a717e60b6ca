package io.clustermonitor.core.events;

import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.HealthStatus;
import io.clustermonitor.core.model.StatsSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory engine for registry and engine tests. */
public final class FakeEngineClient implements EngineClient {
  private final Map<String, ContainerSummary> containers = new ConcurrentHashMap<>();
  private volatile StreamHandler<ContainerEvent> events;
  private volatile boolean up = true;

  /** Number of list calls. */
  public final AtomicInteger lists = new AtomicInteger();

  /** Number of event subscriptions. */
  public final AtomicInteger subscriptions = new AtomicInteger();

  /** A running container summary. */
  public static ContainerSummary summary(String id, String name, ContainerState state) {
    return new ContainerSummary(
        id,
        name,
        "img",
        state,
        HealthStatus.NONE,
        Instant.now(),
        null,
        null,
        0,
        false,
        0,
        Map.of(),
        null,
        "fake");
  }

  /** Adds or replaces a container without an event (as if the event was lost). */
  public void put(ContainerSummary c) {
    containers.put(c.id(), c);
  }

  /** Removes a container without an event. */
  public void remove(String id) {
    containers.remove(id);
  }

  /** Emits an event on the stream (the caller acts as the reader thread). */
  public void emit(String id, String action, Map<String, String> attributes) {
    StreamHandler<ContainerEvent> h = events;
    if (h != null) {
      h.onItem(
          new ContainerEvent(
              id,
              ContainerEvent.Action.parse(action),
              action,
              attributes.getOrDefault("name", ""),
              attributes,
              Instant.now()));
    }
  }

  /** Kills the engine: the stream ends with an error and calls fail until {@link #revive()}. */
  public void kill() {
    up = false;
    StreamHandler<ContainerEvent> h = events;
    events = null;
    if (h != null) {
      h.onEnd(new java.io.IOException("connection reset"));
    }
  }

  /** Brings the engine back. */
  public void revive() {
    up = true;
  }

  private void check() {
    if (!up) {
      throw new EngineUnavailableException("fake", "connection refused", null);
    }
  }

  @Override
  public String host() {
    return "fake";
  }

  @Override
  public List<ContainerSummary> listContainers() {
    check();
    lists.incrementAndGet();
    return new ArrayList<>(containers.values());
  }

  @Override
  public Optional<Inspection> inspect(String id) {
    check();
    ContainerSummary c = containers.get(id);
    return c == null ? Optional.empty() : Optional.of(new Inspection(c, c.running() ? 100 : 0));
  }

  @Override
  public AutoCloseable events(StreamHandler<ContainerEvent> handler) {
    check();
    subscriptions.incrementAndGet();
    events = handler;
    return () -> {
      if (events == handler) {
        events = null;
        handler.onEnd(null);
      }
    };
  }

  @Override
  public AutoCloseable stats(String id, StreamHandler<StatsSample> handler) {
    throw new UnsupportedOperationException("no stats in the fake engine");
  }

  @Override
  public void close() {
    events = null;
  }
}
