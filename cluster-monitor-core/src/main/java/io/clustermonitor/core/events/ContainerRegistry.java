package io.clustermonitor.core.events;

import io.clustermonitor.core.ClosedException;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers of one engine, kept current from its {@code /events} stream.
 *
 * <p>It subscribes first and lists second (the order {@code docker stats} uses, so no change falls
 * between the two), applies events on a worker thread (the reader only queues them: the daemon
 * drops a subscriber that lags 100 ms), reconnects with exponential backoff and a full resync after
 * the stream breaks, and resyncs periodically as a safety net. While the engine is unreachable
 * {@link #engineUp()} is false and {@link #engineError()} says why; the last known containers stay
 * readable.
 *
 * <pre>{@code
 * try (ContainerRegistry registry =
 *     ContainerRegistry.builder(engineClient)
 *         .resyncInterval(Duration.ofMinutes(1))
 *         .buildAndStart()) {
 *   registry.containers().forEach(c -> System.out.println(c.name() + " " + c.state()));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Reads never call the engine. Two threads ({@code cluster-monitor-events-*} and
 * {@code cluster-monitor-registry-*}, daemons) run between {@link #start()} and {@link #close()}.
 */
public final class ContainerRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerRegistry.class);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  private static final int QUEUE_CAPACITY = 100_000;

  /** Receives registry changes on the registry's worker thread; must not block for long. */
  @FunctionalInterface
  public interface Listener {
    /** A container event, after the registry applied it. */
    void onEvent(ContainerEvent event);

    /** The engine went down ({@code up == false}, with the error) or came back. */
    default void onEngineState(boolean up, String error) {}

    /** A full resync finished; the registry now holds exactly {@code containers}. */
    default void onResync(List<ContainerSummary> containers) {}
  }

  private record Entry(ContainerSummary summary, long pid) {}

  /** The sorted container list as of one {@link #generation()}. */
  private record Listing(
      long generation, List<ContainerSummary> containers, List<ContainerSummary> running) {}

  private sealed interface Task permits EventTask, StreamEnded, Stop {}

  private record EventTask(ContainerEvent event) implements Task {}

  private record StreamEnded(long generation, Throwable error) implements Task {}

  private record Stop() implements Task {}

  private final EngineClient client;
  private final Duration resyncInterval;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, Long> oomEvents = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  // Event-stream connections: a StreamEnded of an older connection is ignored.
  private final AtomicLong streamGeneration = new AtomicLong();
  // Grows after every change of entries (see generation()); read before the entries.
  private final AtomicLong changes = new AtomicLong();
  private volatile Listing listing = new Listing(-1, List.of(), List.of());
  private final AtomicLong resyncs = new AtomicLong();
  private volatile boolean overflowed;
  private volatile boolean attempted;
  private volatile boolean engineUp;
  private volatile String engineError = "not started";
  private volatile Instant lastResync;
  private Thread worker;
  private AutoCloseable subscription;

  private ContainerRegistry(Builder b) {
    this.client = b.client;
    this.resyncInterval = b.resyncInterval;
  }

  /** A builder over an existing client, which the registry does not close. */
  public static Builder builder(EngineClient client) {
    return new Builder(Objects.requireNonNull(client, "client"));
  }

  /**
   * Starts following the engine. Returns at once; the first sync happens on the worker thread (see
   * {@link #awaitFirstSync(Duration)}).
   *
   * @throws IllegalStateException when already started
   * @throws ClosedException when closed
   */
  public ContainerRegistry start() {
    if (closed.get()) {
      throw new ClosedException("registry");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("registry already started");
    }
    worker = new Thread(this::run, "cluster-monitor-registry-" + client.host());
    worker.setDaemon(true);
    worker.start();
    return this;
  }

  /**
   * Waits until the first attempt to subscribe and list finished, successfully or not (an engine
   * that is down does not make the caller wait for the whole timeout).
   *
   * @return whether a full sync succeeded
   */
  public boolean awaitFirstSync(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!attempted && resyncs.get() == 0 && System.nanoTime() < deadline && !closed.get()) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return resyncs.get() > 0;
  }

  /** Adds a listener; events already applied are not replayed. */
  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener. */
  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  /** The engine's name. */
  public String host() {
    return client.host();
  }

  /**
   * All known containers in every state, newest first, as an unmodifiable list. While {@link
   * #generation()} stays the same, every call returns the very same list instance (no copy, no
   * sort), so callers may cache what they computed from it and compare lists by identity.
   */
  public List<ContainerSummary> containers() {
    return listing().containers();
  }

  /**
   * The lists as of the last change, built again only after one (the sampler asks every second).
   */
  private Listing listing() {
    // The generation is read before the entries: a list built now holds at least every change
    // counted up to gen, so caching it under gen never hides a change.
    long gen = changes.get();
    Listing l = listing;
    if (l.generation() == gen) {
      return l;
    }
    List<ContainerSummary> out = new ArrayList<>(entries.size());
    for (Entry e : entries.values()) {
      out.add(e.summary());
    }
    out.sort(NEWEST_FIRST);
    List<ContainerSummary> running = new ArrayList<>(out.size());
    for (ContainerSummary c : out) {
      if (c.running()) {
        running.add(c);
      }
    }
    l = new Listing(gen, List.copyOf(out), List.copyOf(running));
    listing = l;
    return l;
  }

  /**
   * A counter that grows after every change to the known containers (added, removed, or any field
   * of a summary such as state, health, name or restart count); it may also grow when nothing
   * visible changed. Equal values mean {@link #containers()} returns the same list, so a value
   * computed from the list at one generation is still current while the generation is unchanged.
   * Starts at 0; never decreases.
   */
  public long generation() {
    return changes.get();
  }

  /** Running containers, newest first. */
  public List<ContainerSummary> running() {
    return listing().running();
  }

  /** A container by full id, or empty. */
  public Optional<ContainerSummary> container(String id) {
    Entry e = entries.get(id);
    return e == null ? Optional.empty() : Optional.of(e.summary());
  }

  /** The init process id of a running container on the engine host, 0 when unknown. */
  public long pid(String id) {
    Entry e = entries.get(id);
    return e == null ? 0 : e.pid();
  }

  /** OOM events seen per container id since the registry started. */
  public Map<String, Long> oomEvents() {
    return Map.copyOf(oomEvents);
  }

  /** Whether the event stream is connected and the last sync succeeded. */
  public boolean engineUp() {
    return engineUp;
  }

  /** Why the engine is down ("" when up). */
  public String engineError() {
    return engineUp ? "" : engineError;
  }

  /** When the last successful full sync finished, or {@code null}. */
  public Instant lastResync() {
    return lastResync;
  }

  /** Stops the threads and the stream. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    queue.clear();
    queue.offer(new Stop());
    Thread w = worker;
    if (w != null) {
      w.interrupt();
      try {
        w.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeSubscription();
  }

  private static final Comparator<ContainerSummary> NEWEST_FIRST =
      Comparator.comparing(
              (ContainerSummary c) -> c.createdAt() == null ? Instant.EPOCH : c.createdAt())
          .reversed()
          .thenComparing(ContainerSummary::id);

  // ---- worker thread ----

  private void run() {
    Duration backoff = MIN_BACKOFF;
    boolean connected = false;
    long nextResync = 0;
    while (!closed.get()) {
      try {
        if (!connected || overflowed) {
          connected = connect();
          if (!connected) {
            sleepInterruptibly(backoff);
            backoff =
                backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                    ? MAX_BACKOFF
                    : backoff.multipliedBy(2);
            continue;
          }
          backoff = MIN_BACKOFF;
          nextResync = System.nanoTime() + resyncInterval.toNanos();
        }
        long wait = Math.max(0, nextResync - System.nanoTime());
        Task task = queue.poll(wait, TimeUnit.NANOSECONDS);
        if (task == null) {
          resync();
          nextResync = System.nanoTime() + resyncInterval.toNanos();
        } else if (task instanceof Stop) {
          return;
        } else if (task instanceof EventTask et) {
          apply(et.event());
        } else if (task instanceof StreamEnded se && se.generation() == streamGeneration.get()) {
          connected = false;
          String why =
              se.error() == null
                  ? "event stream closed by the engine"
                  : "event stream failed: " + message(se.error());
          markDown(why);
        }
      } catch (InterruptedException e) {
        if (closed.get()) {
          return;
        }
      } catch (RuntimeException e) {
        if (closed.get()) {
          return;
        }
        LOG.warn("{}: registry update failed, reconnecting: {}", client.host(), message(e));
        connected = false;
        markDown(message(e));
      }
    }
  }

  private boolean connect() {
    closeSubscription();
    overflowed = false;
    long gen = streamGeneration.incrementAndGet();
    try {
      subscription =
          client.events(
              new EngineClient.StreamHandler<>() {
                @Override
                public void onItem(ContainerEvent item) {
                  if (!queue.offer(new EventTask(item))) {
                    overflowed = true;
                  }
                }

                @Override
                public void onEnd(Throwable error) {
                  if (!closed.get()) {
                    queue.offer(new StreamEnded(gen, error));
                  }
                }
              });
      resync();
      return true;
    } catch (RuntimeException e) {
      closeSubscription();
      markDown(message(e));
      return false;
    } finally {
      attempted = true;
    }
  }

  private void closeSubscription() {
    AutoCloseable s = subscription;
    subscription = null;
    if (s != null) {
      try {
        s.close();
      } catch (Exception e) {
        LOG.debug("closing event stream: {}", e.toString());
      }
    }
  }

  private void resync() {
    List<ContainerSummary> listed = client.listContainers();
    Set<String> seen = new HashSet<>();
    for (ContainerSummary listedOne : listed) {
      seen.add(listedOne.id());
      Entry known = entries.get(listedOne.id());
      if (known == null
          || known.summary().state() != listedOne.state()
          || !known.summary().name().equals(listedOne.name())
          || known.summary().health() != listedOne.health()
          || (listedOne.running() && known.pid() == 0)) {
        refresh(listedOne.id());
      }
    }
    if (entries.keySet().removeIf(id -> !seen.contains(id))) {
      changes.incrementAndGet();
    }
    oomEvents.keySet().removeIf(id -> !seen.contains(id));
    lastResync = Instant.now();
    resyncs.incrementAndGet();
    if (!engineUp) {
      engineUp = true;
      engineError = "";
      LOG.info("{}: engine up, {} containers", client.host(), entries.size());
      for (Listener l : listeners) {
        safely(() -> l.onEngineState(true, ""));
      }
    }
    List<ContainerSummary> now = containers();
    for (Listener l : listeners) {
      safely(() -> l.onResync(now));
    }
  }

  /** Inspects and stores; a container that no longer exists is dropped. */
  private void refresh(String id) {
    Optional<EngineClient.Inspection> inspected = client.inspect(id);
    if (inspected.isEmpty()) {
      remove(id);
      return;
    }
    EngineClient.Inspection i = inspected.get();
    put(id, new Entry(i.summary(), i.summary().running() ? i.pid() : 0));
  }

  /** Stores an entry, then counts the change (see {@link #containers()}). */
  private void put(String id, Entry e) {
    entries.put(id, e);
    changes.incrementAndGet();
  }

  private void remove(String id) {
    if (entries.remove(id) != null) {
      changes.incrementAndGet();
    }
  }

  private void apply(ContainerEvent e) {
    String id = e.containerId();
    Entry known = entries.get(id);
    switch (e.action()) {
      case DESTROY -> {
        remove(id);
        oomEvents.remove(id);
      }
      case DIE, STOP -> {
        if (known != null) {
          // Leave the running set at once; inspect below fills exit code and OOM flag.
          put(id, new Entry(withState(known.summary(), ContainerState.EXITED), 0));
        }
        refresh(id);
      }
      case PAUSE -> {
        if (known != null) {
          put(id, new Entry(withState(known.summary(), ContainerState.PAUSED), known.pid()));
        }
      }
      case UNPAUSE -> {
        if (known != null) {
          put(id, new Entry(withState(known.summary(), ContainerState.RUNNING), known.pid()));
        }
      }
      case HEALTH_STATUS -> {
        if (known != null) {
          put(id, new Entry(withHealth(known.summary(), e.healthStatus()), known.pid()));
        } else {
          refresh(id);
        }
      }
      case OOM -> {
        oomEvents.merge(id, 1L, Long::sum);
        refresh(id);
      }
      case RENAME -> {
        if (known != null && !e.name().isEmpty()) {
          put(id, new Entry(withName(known.summary(), e.name()), known.pid()));
        }
        refresh(id);
      }
      case CREATE, START, RESTART, UPDATE -> refresh(id);
      case KILL, OTHER -> {
        // kill is followed by die; exec and other actions do not change the summary.
      }
    }
    for (Listener l : listeners) {
      safely(() -> l.onEvent(e));
    }
  }

  private void markDown(String why) {
    boolean wasUp = engineUp;
    engineUp = false;
    engineError = why;
    if (wasUp) {
      LOG.warn("{}: engine down: {}", client.host(), why);
      for (Listener l : listeners) {
        safely(() -> l.onEngineState(false, why));
      }
    }
  }

  private void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException ex) {
      LOG.warn("{}: registry listener failed: {}", client.host(), ex.toString());
    }
  }

  private void sleepInterruptibly(Duration d) throws InterruptedException {
    Task t = queue.poll(d.toNanos(), TimeUnit.NANOSECONDS);
    if (t instanceof Stop) {
      throw new InterruptedException("stopped");
    }
    // Events of a dead stream are stale: the coming resync replaces them.
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  private static ContainerSummary withState(ContainerSummary c, ContainerState s) {
    return copy(c, c.name(), s, c.health());
  }

  private static ContainerSummary withHealth(ContainerSummary c, HealthStatus h) {
    return copy(c, c.name(), c.state(), h);
  }

  private static ContainerSummary withName(ContainerSummary c, String name) {
    return copy(c, name, c.state(), c.health());
  }

  private static ContainerSummary copy(
      ContainerSummary c, String name, ContainerState state, HealthStatus health) {
    return new ContainerSummary(
        c.id(),
        name,
        c.image(),
        state,
        health,
        c.createdAt(),
        c.startedAt(),
        c.finishedAt(),
        c.exitCode(),
        c.oomKilled(),
        c.restartCount(),
        c.labels(),
        c.limits(),
        c.host());
  }

  /** Builder for {@link ContainerRegistry}; not thread-safe. */
  public static final class Builder {
    private final EngineClient client;
    private Duration resyncInterval = Duration.ofMinutes(1);

    private Builder(EngineClient client) {
      this.client = client;
    }

    /** How often to relist as a safety net (default 1 minute). */
    public Builder resyncInterval(Duration interval) {
      if (interval == null || interval.compareTo(Duration.ofMillis(100)) < 0) {
        throw new IllegalArgumentException(
            "resyncInterval must be at least 100 ms, got " + interval);
      }
      this.resyncInterval = interval;
      return this;
    }

    /** Builds the registry without starting it. */
    public ContainerRegistry build() {
      return new ContainerRegistry(this);
    }

    /** Builds and starts the registry. */
    public ContainerRegistry buildAndStart() {
      return build().start();
    }
  }
}
