package io.clustermonitor.examples.api;

import io.clustermonitor.core.ContainerNotFoundException;
import io.clustermonitor.core.EngineTimeoutException;
import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.core.model.AggregateStats;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.stats.StatsSnapshot;
import io.clustermonitor.exporters.web.WebResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints: maps a GET path and query to a JSON value, answering from the engine's in-memory
 * snapshot wherever the model has the data (lists, stats, aggregates, service discovery) and
 * calling the engine only for inspect details and system info.
 */
final class ApiRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);

  static final String HEALTH = "/health";
  static final List<String> PATHS =
      List.of(
          HEALTH,
          "/api/containers",
          "/api/containers/{id}",
          "/api/containers/{id}/stats",
          "/api/containers/{id}/history",
          "/api/system/info",
          "/api/stats/aggregate",
          "/api/sd",
          "/api/stream");

  private static final Set<String> LIST_PARAMS = Set.of("all", "name", "label", "state");

  private final ReadOnlyDocker docker;
  private final Clock clock;
  private final ServiceDiscovery sd;
  private final EngineBulkhead bulkhead;
  private final LiveView live;

  /**
   * The last list answer: its raw query, the snapshot's containers it was computed from, and its
   * bytes. The answer is a pure function of the query and the containers (immutable records), so an
   * equal query over an equal container list has the same bytes; every request still takes a fresh
   * snapshot and compares it (by identity first: the registry's list is reused until its generation
   * changes), so it always reflects the latest state.
   */
  private record ListAnswer(String rawQuery, List<ContainerSummary> containers, byte[] json) {}

  private volatile ListAnswer lastList;

  ApiRoutes(ReadOnlyDocker docker, Clock clock, EngineBulkhead engine, LiveView live) {
    this.live = live;
    this.docker = docker;
    this.clock = clock;
    this.sd = new ServiceDiscovery(docker);
    this.bulkhead = engine;
  }

  /** An answer: status and a JSON-serializable body, or a streamed response. */
  record Answer(int status, Object body, WebResponse stream) {
    Answer(int status, Object body) {
      this(status, body, null);
    }
  }

  /**
   * Answers one GET (or HEAD) request.
   *
   * @param rawPath the path as sent, still percent-encoded
   * @param rawQuery the query as sent, or {@code null}
   */
  Answer get(String rawPath, String rawQuery) {
    Query query = Query.parse(rawQuery);
    if (rawPath.equals(HEALTH)) {
      query.allow(Set.of());
      return health();
    }
    String[] seg = rawPath.split("/", -1);
    // seg[0] is "" for a path starting with '/'
    if (seg.length < 3 || !seg[0].isEmpty() || !seg[1].equals("api")) {
      throw notFound(rawPath);
    }
    switch (seg[2]) {
      case "containers":
        if (seg.length == 3) {
          return new Answer(200, containers(query.allow(LIST_PARAMS), rawQuery));
        }
        String ref = ContainerRef.validate(decodeSegment(seg[3]));
        if (seg.length == 4) {
          query.allow(Set.of());
          return new Answer(200, details(ref));
        }
        if (seg.length == 5 && seg[4].equals("history")) {
          ContainerSummary c = ContainerRef.resolve(ref, liveSnapshot().containers());
          return new Answer(200, live.history(c, query));
        }
        if (seg.length == 5 && seg[4].equals("stats")) {
          query.allow(Set.of());
          return new Answer(200, stats(ref));
        }
        break;
      case "system":
        if (seg.length == 4 && seg[3].equals("info")) {
          query.allow(Set.of());
          return new Answer(200, Json.systemInfo(bulkhead.call("system info", docker::systemInfo)));
        }
        break;
      case "stats":
        if (seg.length == 4 && seg[3].equals("aggregate")) {
          query.allow(Set.of());
          return new Answer(200, aggregate());
        }
        break;
      case "stream":
        if (seg.length == 3) {
          query.allow(Set.of());
          return new Answer(200, null, live.stream());
        }
        break;
      case "sd":
        if (seg.length == 3) {
          query.allow(Set.of());
          return new Answer(200, sd.targets(liveSnapshot()));
        }
        break;
      default:
        break;
    }
    throw notFound(rawPath);
  }

  private static ApiException notFound(String rawPath) {
    return new ApiException(
        404, "not_found", "No such endpoint; see " + String.join(", ", PATHS) + "");
  }

  private static String decodeSegment(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    // '+' is literal in paths; Query.decode turns it into a space, which validation rejects anyway.
    try {
      return Query.decode(raw.replace("+", "%2B"));
    } catch (ApiException e) {
      throw new ApiException(400, "invalid_id", "Malformed percent escape in the container id");
    }
  }

  Answer health() {
    Map<String, Object> engine = new LinkedHashMap<>();
    engine.put("endpoint", docker.endpoint());
    engine.put("host", docker.host());
    String unreachable = "Docker engine unreachable at " + docker.endpoint();
    String problem; // why the answer is "unhealthy"; null when it is "healthy"
    try {
      // never waits for the engine's first sync: "starting" until the live engine has it
      Optional<StatsSnapshot> ready = docker.trySnapshot();
      if (ready.isEmpty()) {
        engine.put("up", false);
        engine.put("error", "first sync with the engine in progress");
        problem = "starting: first sync with the Docker engine at " + docker.endpoint();
      } else {
        StatsSnapshot s = ready.get();
        engine.put("up", s.engineUp());
        engine.put("statsSource", s.statsSource());
        engine.put("containers", s.containers().size());
        engine.put("running", s.running().size());
        engine.put("snapshotAt", Json.instant(s.at()));
        engine.put("error", s.engineUp() ? null : s.engineError());
        problem = s.engineUp() ? null : unreachable;
      }
    } catch (EngineUnavailableException | EngineTimeoutException e) {
      engine.put("up", false);
      engine.put("error", e.getMessage());
      problem = unreachable;
    }
    EngineBulkhead.Stuck stuck = bulkhead.stuck();
    if (problem == null && stuck != null) {
      // Events still flow (the snapshot looks fresh) but calls to the engine time out.
      problem = stuck.reason();
      engine.put("error", stuck.reason());
      engine.put("stuckSince", Json.instant(stuck.since()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", problem == null ? "healthy" : "unhealthy");
    body.put("timestamp", clock.instant().toString());
    if (problem != null) {
      body.put("message", problem);
    }
    body.put("engine", engine);
    return new Answer(problem == null ? 200 : 503, body);
  }

  /** The snapshot, or a 503 when the engine is down (its data would be stale). */
  private StatsSnapshot liveSnapshot() {
    StatsSnapshot s;
    try {
      s = docker.snapshot();
    } catch (EngineUnavailableException | EngineTimeoutException e) {
      throw engineDown(e);
    }
    if (!s.engineUp()) {
      LOG.debug("engine down: {}", s.engineError());
      throw engineDown(null);
    }
    return s;
  }

  String endpoint() {
    return docker.endpoint();
  }

  ApiException engineDown(RuntimeException cause) {
    if (cause != null) {
      LOG.debug("engine call failed", cause);
    }
    return new ApiException(
        503,
        "engine_unavailable",
        "Docker engine unavailable at " + docker.endpoint(),
        Map.of("Retry-After", "5"));
  }

  private Json.Raw containers(Query q, String rawQuery) {
    ContainerFilter.Builder f = ContainerFilter.builder();
    List<String> states = new ArrayList<>();
    for (String v : q.all("state")) {
      for (String s : v.split(",", -1)) {
        states.add(s.trim().toLowerCase(Locale.ROOT));
      }
    }
    if (!states.isEmpty()) {
      for (String s : states) {
        ContainerState st = ContainerState.parse(s);
        if (st == ContainerState.UNKNOWN && !s.equals("unknown")) {
          throw ApiException.badRequest(
              "Unknown state '"
                  + s
                  + "'; use created, running, paused, restarting, removing,"
                  + " exited or dead");
        }
        f.states(st);
      }
    } else if (q.flag("all", false)) {
      f.allStates();
    }
    String name = q.single("name");
    if (name != null && !name.isEmpty()) {
      String n = name.startsWith("/") ? name.substring(1) : name;
      f.namePattern(".*" + Pattern.quote(n) + ".*");
    }
    // Labels are matched here: "key present, any value" needs a null value in the filter's map.
    Map<String, String> labels = new LinkedHashMap<>();
    for (String label : q.all("label")) {
      int eq = label.indexOf('=');
      String key = eq < 0 ? label : label.substring(0, eq);
      if (key.isBlank()) {
        throw ApiException.badRequest("label filter needs a key: label=KEY or label=KEY=VALUE");
      }
      labels.put(key, eq < 0 ? null : label.substring(eq + 1));
    }
    ContainerFilter filter = f.build();
    List<ContainerSummary> all = liveSnapshot().containers();
    String key = rawQuery == null ? "" : rawQuery;
    ListAnswer last = lastList;
    // The live engine's registry hands out the same list instance until its generation changes
    // (ContainerRegistry#generation), so the identity test answers in O(1); equals covers other
    // monitors, which may build a new, equal list per snapshot.
    if (last != null
        && last.rawQuery().equals(key)
        && (last.containers() == all || last.containers().equals(all))) {
      return new Json.Raw(last.json());
    }
    List<ContainerSummary> out = new ArrayList<>();
    for (ContainerSummary c : newestFirst(all)) {
      if (filter.matches(c) && hasLabels(c, labels)) {
        out.add(c);
      }
    }
    byte[] json = Json.summaries(out);
    lastList = new ListAnswer(key, all, json);
    return new Json.Raw(json);
  }

  private static boolean hasLabels(ContainerSummary c, Map<String, String> wanted) {
    for (Map.Entry<String, String> w : wanted.entrySet()) {
      String v = c.labels().get(w.getKey());
      if (v == null || (w.getValue() != null && !w.getValue().equals(v))) {
        return false;
      }
    }
    return true;
  }

  static List<ContainerSummary> newestFirst(List<ContainerSummary> containers) {
    List<ContainerSummary> sorted = new ArrayList<>(containers);
    sorted.sort(
        Comparator.comparing(
                (ContainerSummary c) -> c.createdAt() == null ? 0L : c.createdAt().toEpochMilli())
            .reversed()
            .thenComparing(ContainerSummary::id));
    return sorted;
  }

  private Object details(String ref) {
    String target;
    try {
      target = ContainerRef.resolve(ref, liveSnapshot().containers()).id();
    } catch (ApiException e) {
      if (e.status() != 404) {
        throw e;
      }
      // Created after the snapshot was taken: inspect is one cheap engine call, let it resolve.
      target = ref;
    }
    ContainerDetails d;
    try {
      String id = target;
      d = bulkhead.call("container inspect", () -> docker.container(id));
    } catch (ContainerNotFoundException e) {
      throw ApiException.notFound("No such container: " + ref);
    }
    return Json.details(d);
  }

  private Object stats(String ref) {
    StatsSnapshot s = liveSnapshot();
    ContainerSummary c = ContainerRef.resolve(ref, s.containers());
    if (!c.running()) {
      throw new ApiException(
          409,
          "not_running",
          "Container " + c.name() + " is " + c.state().engineName() + "; stats need it running");
    }
    ContainerStats st = s.stats().get(c.id());
    if (st == null) {
      // Started within the last sampling interval: ask the engine once.
      try {
        st = bulkhead.call("container stats", () -> docker.stats(c.id()));
      } catch (ContainerNotFoundException e) {
        throw ApiException.notFound("No such container: " + ref);
      }
    }
    return Json.stats(st);
  }

  private Object aggregate() {
    StatsSnapshot s = liveSnapshot();
    List<ContainerStats> running = new ArrayList<>();
    for (ContainerSummary c : s.running()) {
      ContainerStats st = s.stats().get(c.id());
      if (st != null) {
        running.add(st);
      }
    }
    return Json.aggregate(AggregateStats.of(running, s.at()));
  }
}
