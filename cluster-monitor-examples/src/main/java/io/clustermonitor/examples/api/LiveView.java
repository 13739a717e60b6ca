package io.clustermonitor.examples.api;

import io.clustermonitor.core.ClosedException;
import io.clustermonitor.core.EngineTimeoutException;
import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.stats.StatsSnapshot;
import io.clustermonitor.examples.web.EventHub;
import io.clustermonitor.examples.web.History;
import io.clustermonitor.examples.web.HostSampler;
import io.clustermonitor.exporters.web.WebResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web view's backend: one thread reads the stats engine's snapshot at the sampling interval
 * (never the engine per container), records it into the {@link History} and sends an {@code update}
 * event to every {@code /api/stream} client through the {@link EventHub}.
 */
final class LiveView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
  static final int SPARK_POINTS = 60;
  static final int MAX_POINTS = 5000;
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

  private final ReadOnlyDocker docker;
  private final History history;
  private final EventHub hub;
  private final HostSampler hostSampler;
  private final ScheduledExecutorService poller;
  // The last round's inputs; the update map is built from them only when someone reads it (a
  // stream client's hello, or the round's broadcast when clients are open): at idle, with nobody
  // watching, a round costs the history record and nothing else.
  private volatile Round last;
  // Observed state, health and restart changes per container, newest last (bounded; poller-owned
  // writes, request reads under the map's lock).
  static final int MAX_EVENTS = 50;
  private final Map<String, Observed> observed = new java.util.HashMap<>();

  private record Round(StatsSnapshot snapshot, HostSampler.Host host, String error) {}

  private static final class Observed {
    String state;
    String health;
    int restarts;
    final java.util.ArrayDeque<Map<String, Object>> events = new java.util.ArrayDeque<>();
  }

  LiveView(ReadOnlyDocker docker, History history, EventHub hub, HostSampler hostSampler) {
    this.docker = docker;
    this.history = history;
    this.hub = hub;
    this.hostSampler = hostSampler;
    this.last = new Round(null, null, "not sampled yet");
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cm-live-view");
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    long period = history.interval().toMillis();
    // The first round one interval from now, not at once: the API is built before its server
    // starts, and the first round starts the live engine (its first sync of every container);
    // `serve` starts it once it listens (Warmup). At N = 100 the sync next to Jetty's start made
    // the first answer 0.69 s instead of 0.57 s, with the synced state no sooner.
    poller.scheduleWithFixedDelay(this::pollSafely, period, period, TimeUnit.MILLISECONDS);
  }

  History history() {
    return history;
  }

  EventHub hub() {
    return hub;
  }

  private void pollSafely() {
    try {
      poll();
    } catch (ClosedException e) {
      // the monitor was closed under the view (its owner closed it before or without the API):
      // one line, then no more rounds, instead of a warning every interval for ever
      LOG.info("live view stopped: {}", e.getMessage());
      poller.shutdown();
    } catch (RuntimeException e) {
      LOG.warn("live view sampling failed: {}", e.toString());
      LOG.debug("live view sampling failed", e);
    }
  }

  /** One round: snapshot, history, event, heartbeats. */
  void poll() {
    StatsSnapshot s = null;
    String error = null;
    try {
      s = docker.snapshot();
      if (!s.engineUp()) {
        error = s.engineError().isEmpty() ? "engine unreachable" : s.engineError();
      }
    } catch (EngineUnavailableException | EngineTimeoutException e) {
      error = e.getMessage();
    }
    if (s != null && s.engineUp()) {
      record(s);
    }
    HostSampler.Host host = hostSampler == null ? null : hostSampler.sample();
    Round round = new Round(s, host, error);
    last = round;
    // A client that opens after this check gets the same state in its hello.
    if (hub.clients() > 0) {
      hub.broadcast(EventHub.event("update", Json.text(update(round))));
    }
    hub.tick();
  }

  void record(StatsSnapshot s) {
    Set<String> present = new HashSet<>();
    List<History.Reading> readings = new ArrayList<>();
    for (ContainerSummary c : s.containers()) {
      present.add(c.id());
      ContainerStats st = s.stats().get(c.id());
      if (st == null) {
        readings.add(new History.Reading(c.id(), false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        continue;
      }
      readings.add(
          new History.Reading(
              c.id(),
              c.running(),
              st.read().toEpochMilli(),
              cpuPercent(st),
              st.memoryUsageBytes(),
              st.memoryWorkingSetBytes(),
              st.memoryLimitBytes(),
              st.networkReceiveBytes(),
              st.networkTransmitBytes(),
              st.blockReadBytes(),
              st.blockWriteBytes(),
              st.pids()));
    }
    history.record(present, readings);
    observe(s, present);
  }

  private void observe(StatsSnapshot s, Set<String> present) {
    String at = Json.instant(s.at());
    synchronized (observed) {
      observed.keySet().retainAll(present);
      for (ContainerSummary c : s.containers()) {
        Observed o = observed.get(c.id());
        String state = c.state().engineName();
        String health = c.health().engineName();
        if (o == null) {
          o = new Observed();
          observed.put(c.id(), o);
          event(o, at, "seen", null, state + (health.equals("none") ? "" : ", " + health));
        } else {
          if (!state.equals(o.state)) {
            event(o, at, "state", o.state, state);
          }
          if (!health.equals(o.health)) {
            event(o, at, "health", o.health, health);
          }
          if (c.restartCount() != o.restarts) {
            event(o, at, "restart", String.valueOf(o.restarts), String.valueOf(c.restartCount()));
          }
        }
        o.state = state;
        o.health = health;
        o.restarts = c.restartCount();
      }
    }
  }

  private static void event(Observed o, String at, String kind, String from, String to) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("at", at);
    e.put("kind", kind);
    e.put("from", from);
    e.put("to", to);
    o.events.addLast(e);
    while (o.events.size() > MAX_EVENTS) {
      o.events.removeFirst();
    }
  }

  private List<Object> events(String id) {
    synchronized (observed) {
      Observed o = observed.get(id);
      return o == null ? List.of() : new ArrayList<>(o.events);
    }
  }

  /** The one place the web view reads CPU % from the model. */
  /** The CPU %, NaN (served as {@code null}, a gap in the charts) while there is no value yet. */
  static double cpuPercent(ContainerStats st) {
    return st.hasCpuPercent() ? st.cpuPercent() : Double.NaN;
  }

  private Map<String, Object> update(Round r) {
    StatsSnapshot s = r.snapshot();
    HostSampler.Host host = r.host();
    String error = r.error();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", s == null ? null : Json.instant(s.at()));
    Map<String, Object> engine = new LinkedHashMap<>();
    engine.put("host", docker.host());
    engine.put("endpoint", docker.endpoint());
    engine.put("up", error == null);
    engine.put("error", error);
    engine.put("statsSource", s == null ? null : s.statsSource());
    m.put("engine", engine);
    m.put("host", host(host));
    m.put("intervalSeconds", history.interval().toMillis() / 1000.0);
    m.put("retentionSeconds", history.retention().toSeconds());
    List<Object> rows = new ArrayList<>();
    if (error == null && s != null) {
      for (ContainerSummary c : ApiRoutes.newestFirst(s.containers())) {
        rows.add(row(c, s.stats().get(c.id())));
      }
    }
    m.put("containers", rows);
    return m;
  }

  private static Map<String, Object> host(HostSampler.Host h) {
    if (h == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpuPercent", num(h.cpuPercent()));
    m.put("cpus", h.cpus());
    m.put("memoryTotalBytes", h.memoryTotalBytes() < 0 ? null : h.memoryTotalBytes());
    m.put("memoryAvailableBytes", h.memoryAvailableBytes() < 0 ? null : h.memoryAvailableBytes());
    m.put("load1", num(h.load1()));
    return m;
  }

  private Map<String, Object> row(ContainerSummary c, ContainerStats st) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("shortId", c.shortId());
    m.put("name", c.name());
    m.put("image", c.image());
    m.put("state", c.state().engineName());
    m.put("health", c.health().engineName());
    m.put("labels", new TreeMap<>(c.labels()));
    m.put("composeProject", c.composeProject());
    m.put("composeService", c.composeService());
    m.put("restartCount", c.restartCount());
    m.put("createdAt", Json.instant(c.createdAt()));
    m.put("startedAt", Json.instant(c.startedAt()));
    m.put("cpuLimitCores", c.limits().cpuLimitCores());
    boolean live = st != null && c.running();
    m.put("cpuPercent", live ? num(cpuPercent(st)) : null);
    m.put("memoryUsageBytes", live ? st.memoryUsageBytes() : null);
    m.put("memoryWorkingSetBytes", live ? st.memoryWorkingSetBytes() : null);
    m.put("memoryLimitBytes", live ? st.memoryLimitBytes() : null);
    m.put("memoryLimited", live ? st.memoryLimited() : null);
    m.put("pids", live ? st.pids() : null);
    float[] v = live ? history.latest(c.id()) : null;
    m.put("networkReceiveBytesPerSecond", v == null ? null : num(v[4]));
    m.put("networkTransmitBytesPerSecond", v == null ? null : num(v[5]));
    m.put("blockReadBytesPerSecond", v == null ? null : num(v[6]));
    m.put("blockWriteBytesPerSecond", v == null ? null : num(v[7]));
    return m;
  }

  static Double num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }

  /** The {@code hello} event a new client gets: the last update plus sparkline tails. */
  byte[] hello() {
    Map<String, Object> u = update(last);
    Map<String, History.Window> tails = history.tails(SPARK_POINTS);
    Map<String, Object> spark = new LinkedHashMap<>();
    tails.forEach(
        (id, w) -> {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("time", w.timesMillis());
          t.put("cpuPercent", floats(w.column(0)));
          t.put("memoryWorkingSetBytes", floats(w.column(2)));
          spark.put(id, t);
        });
    u.put("spark", spark);
    return ("retry: 2000\n" + new String(EventHub.event("hello", Json.text(u)), UTF8))
        .getBytes(UTF8);
  }

  private static final java.nio.charset.Charset UTF8 = java.nio.charset.StandardCharsets.UTF_8;

  static List<Double> floats(float[] a) {
    List<Double> out = new ArrayList<>(a.length);
    for (float f : a) {
      out.add(Float.isNaN(f) ? null : (double) f);
    }
    return out;
  }

  /** {@code GET /api/stream}: 503 past the cap, else a stream. */
  WebResponse stream() {
    if (!hub.admits()) {
      throw new ApiException(
          503,
          "too_many_streams",
          "Too many open streams (" + hub.maxClients() + "); retry later",
          Map.of("Retry-After", "5"));
    }
    return WebResponse.stream(
            200, "text/event-stream; charset=utf-8", sink -> hub.open(sink, hello()))
        .withHeader("Cache-Control", "no-store")
        .withHeader("X-Content-Type-Options", "nosniff")
        .withHeader("X-Accel-Buffering", "no");
  }

  /** {@code GET /api/containers/{id}/history}: the retained samples, columnar. */
  Map<String, Object> history(ContainerSummary c, Query q) {
    q.allow(Set.of("window", "points"));
    long windowMillis = history.retention().toMillis();
    String w = q.single("window");
    if (w != null) {
      Matcher mm = DURATION.matcher(w);
      if (!mm.matches()) {
        throw ApiException.badRequest(
            "window must be a duration such as 90s, 5m or 1h, got '" + shorten(w) + "'");
      }
      long n = Long.parseLong(mm.group(1));
      long ms =
          switch (mm.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
          };
      if (ms <= 0 || ms > history.retention().toMillis()) {
        throw ApiException.badRequest(
            "window must be between 1ms and the retention of "
                + history.retention().toSeconds()
                + "s, got '"
                + shorten(w)
                + "'");
      }
      windowMillis = ms;
    }
    int points = MAX_POINTS;
    String p = q.single("points");
    if (p != null) {
      if (!p.matches("[0-9]{1,5}") || Integer.parseInt(p) < 2 || Integer.parseInt(p) > MAX_POINTS) {
        throw ApiException.badRequest(
            "points must be an integer from 2 to " + MAX_POINTS + ", got '" + shorten(p) + "'");
      }
      points = Integer.parseInt(p);
    }
    History.Window win;
    long newest = Long.MIN_VALUE;
    History.Window all = history.window(c.id(), Long.MIN_VALUE, 1);
    if (all.size() > 0) {
      newest = all.timesMillis()[0];
    }
    win =
        newest == Long.MIN_VALUE ? all : history.window(c.id(), newest - windowMillis + 1, points);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("name", c.name());
    m.put("state", c.state().engineName());
    m.put("tracked", history.tracked(c.id()));
    m.put("intervalSeconds", history.interval().toMillis() / 1000.0);
    m.put("retentionSeconds", history.retention().toSeconds());
    m.put("cpuLimitCores", c.limits().cpuLimitCores());
    m.put("restartCount", c.restartCount());
    m.put("health", c.health().engineName());
    m.put("events", events(c.id()));
    m.put("samples", win.size());
    m.put("time", win.timesMillis());
    m.put("cpuPercent", floats(win.column(0)));
    m.put("memoryUsageBytes", floats(win.column(1)));
    m.put("memoryWorkingSetBytes", floats(win.column(2)));
    m.put("memoryLimitBytes", floats(win.column(3)));
    m.put("networkReceiveBytesPerSecond", floats(win.column(4)));
    m.put("networkTransmitBytesPerSecond", floats(win.column(5)));
    m.put("blockReadBytesPerSecond", floats(win.column(6)));
    m.put("blockWriteBytesPerSecond", floats(win.column(7)));
    m.put("pids", floats(win.column(8)));
    return m;
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  /** Stops the sampling thread and closes every stream. */
  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    hub.close();
  }

  static Duration defaultInterval() {
    return Duration.ofSeconds(1);
  }
}
