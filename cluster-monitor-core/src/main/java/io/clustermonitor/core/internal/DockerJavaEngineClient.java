package io.clustermonitor.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.transport.DockerHttpClient;
import io.clustermonitor.core.ClosedException;
import io.clustermonitor.core.ClusterMonitorException;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.EngineErrorException;
import io.clustermonitor.core.EngineTimeoutException;
import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.core.events.ContainerEvent;
import io.clustermonitor.core.events.EngineClient;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.HealthStatus;
import io.clustermonitor.core.model.ResourceLimits;
import io.clustermonitor.core.model.StatsSample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EngineClient} over docker-java's HTTP transport. Two connection pools: one with the
 * endpoint's read timeout for list and inspect, one without a response timeout for streams, sized
 * for {@code maxStreams} concurrent streams. Streams are read on our own daemon threads ({@code
 * cluster-monitor-stream-*}), so closing the client ends all of them.
 */
public final class DockerJavaEngineClient implements EngineClient {
  private static final Logger LOG = LoggerFactory.getLogger(DockerJavaEngineClient.class);
  private static final AtomicInteger STREAM_SEQ = new AtomicInteger();

  private final DockerEndpoint endpoint;
  private volatile String apiPrefix;
  private volatile long hostMemoryBytes;
  private final DockerHttpClient requests;
  private final DockerHttpClient streams;
  private final ObjectMapper json;
  private final Set<Stream<?>> open = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private DockerJavaEngineClient(DockerEndpoint endpoint, int maxStreams) {
    this.endpoint = endpoint;
    this.requests = DockerClients.httpClient(endpoint, 8, endpoint.readTimeout());
    this.streams = DockerClients.httpClient(endpoint, maxStreams + 1, null);
    this.json =
        new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false);
  }

  /** {@code /v<api>}, negotiated with {@code GET /version} on first use (again after a failure). */
  private String apiPrefix() {
    String p = apiPrefix;
    if (p == null) {
      p = "/v" + DockerClients.negotiateApiVersion(endpoint, requests);
      apiPrefix = p;
    }
    return p;
  }

  /**
   * Creates a client.
   *
   * @throws IllegalArgumentException when {@code maxStreams} is below 1
   */
  public static DockerJavaEngineClient create(DockerEndpoint endpoint, int maxStreams) {
    if (endpoint == null) {
      throw new IllegalArgumentException("endpoint must not be null");
    }
    if (maxStreams < 1) {
      throw new IllegalArgumentException("maxStreams must be at least 1, got " + maxStreams);
    }
    return new DockerJavaEngineClient(endpoint, maxStreams);
  }

  @Override
  public String host() {
    return endpoint.name();
  }

  @Override
  public List<ContainerSummary> listContainers() {
    JsonNode array = get("/containers/json?all=1");
    List<ContainerSummary> out = new ArrayList<>(array.size());
    for (JsonNode c : array) {
      out.add(fromListing(c));
    }
    return out;
  }

  @Override
  public Optional<Inspection> inspect(String id) {
    JsonNode c = getOrNull("/containers/" + encode(id) + "/json");
    if (c == null) {
      return Optional.empty();
    }
    InspectContainerResponse inspected;
    try {
      inspected = json.treeToValue(c, InspectContainerResponse.class);
    } catch (IOException e) {
      throw new EngineUnavailableException(
          endpoint.toString(), "unreadable inspect answer for " + id + ": " + e.getMessage(), e);
    }
    return Optional.of(
        new Inspection(
            ContainerMapper.summary(inspected, host()), c.path("State").path("Pid").asLong(0)));
  }

  @Override
  public AutoCloseable events(StreamHandler<ContainerEvent> handler) {
    String filters = encode("{\"type\":[\"container\"]}");
    return open("/events?filters=" + filters, null, "events-" + host(), handler, this::toEvent);
  }

  @Override
  public AutoCloseable stats(String id, StreamHandler<StatsSample> handler) {
    long hostMemory = hostMemoryBytes();
    return open(
        "/containers/" + encode(id) + "/stats?stream=1",
        id,
        "stats-" + (id.length() > 12 ? id.substring(0, 12) : id),
        handler,
        node -> EngineStatsMapper.sample(json.treeToValue(node, Statistics.class), hostMemory));
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Stream<?> s : open) {
      s.close();
    }
    closeQuietly(streams);
    closeQuietly(requests);
  }

  /** The engine host's memory ({@code MemTotal} of {@code /info}), read once; 0 when unknown. */
  private long hostMemoryBytes() {
    long m = hostMemoryBytes;
    if (m > 0) {
      return m;
    }
    try {
      m = Math.max(0, get("/info").path("MemTotal").asLong(0));
    } catch (RuntimeException e) {
      LOG.debug("host memory unknown ({}): memory limits fall back to the frame", e.toString());
      return 0;
    }
    hostMemoryBytes = m;
    return m;
  }

  // ---- HTTP ----

  private JsonNode get(String path) {
    JsonNode n = getOrNull(path);
    if (n == null) {
      throw new EngineErrorException(endpoint.toString(), 404, "not found: GET " + path, null);
    }
    return n;
  }

  private JsonNode getOrNull(String path) {
    ensureOpen();
    DockerHttpClient.Request req =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.GET)
            .path(apiPrefix() + path)
            .build();
    try (DockerHttpClient.Response r = requests.execute(req)) {
      int status = r.getStatusCode();
      if (status == 404) {
        return null;
      }
      if (status / 100 != 2) {
        throw new EngineErrorException(
            endpoint.toString(), status, errorMessage(r, "GET " + path), null);
      }
      try (InputStream in = r.getBody()) {
        return json.readTree(in);
      }
    } catch (SocketTimeoutException e) {
      throw new EngineTimeoutException(endpoint.toString(), endpoint.readTimeout(), e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ClusterMonitorException cme) {
        throw cme;
      }
      throw new EngineUnavailableException(endpoint.toString(), String.valueOf(e.getMessage()), e);
    }
  }

  /** The engine's {@code {"message": ...}} of an error answer, else {@code fallback}. */
  private String errorMessage(DockerHttpClient.Response r, String fallback) {
    try (InputStream in = r.getBody()) {
      if (in == null) {
        return fallback;
      }
      String m = json.readTree(in.readNBytes(8192)).path("message").asText("");
      return m.isBlank() ? fallback : fallback + ": " + m.strip();
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new ClosedException("engine client");
    }
  }

  private interface Parser<T> {
    T parse(JsonNode node) throws IOException;
  }

  /**
   * Opens a stream.
   *
   * @param container the container the stream is about (named by a not-found exception), or null
   */
  private <T> AutoCloseable open(
      String path, String container, String name, StreamHandler<T> handler, Parser<T> parser) {
    ensureOpen();
    DockerHttpClient.Request req =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.GET)
            .path(apiPrefix() + path)
            .build();
    DockerHttpClient.Response r;
    try {
      r = streams.execute(req);
    } catch (RuntimeException e) {
      throw new EngineUnavailableException(endpoint.toString(), String.valueOf(e.getMessage()), e);
    }
    if (r.getStatusCode() / 100 != 2) {
      int status = r.getStatusCode();
      String message = errorMessage(r, "GET " + path);
      r.close();
      if (status == 404 && container != null) {
        throw new io.clustermonitor.core.ContainerNotFoundException(container, null);
      }
      throw new EngineErrorException(endpoint.toString(), status, message, null);
    }
    Stream<T> s = new Stream<>(r, handler, parser, name);
    open.add(s);
    s.thread.start();
    return s;
  }

  private final class Stream<T> implements AutoCloseable {
    private final DockerHttpClient.Response response;
    private final StreamHandler<T> handler;
    private final Parser<T> parser;
    private final Thread thread;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();

    Stream(
        DockerHttpClient.Response response,
        StreamHandler<T> handler,
        Parser<T> parser,
        String name) {
      this.response = response;
      this.handler = handler;
      this.parser = parser;
      this.thread =
          new Thread(
              this::read, "cluster-monitor-stream-" + name + "-" + STREAM_SEQ.incrementAndGet());
      this.thread.setDaemon(true);
    }

    private void read() {
      Throwable error = null;
      try (InputStream in = response.getBody();
          MappingIterator<JsonNode> it = json.readerFor(JsonNode.class).readValues(in)) {
        Iterator<JsonNode> items = it;
        while (!closing.get() && items.hasNext()) {
          JsonNode node = items.next();
          T item;
          try {
            item = parser.parse(node);
          } catch (IOException | RuntimeException e) {
            LOG.debug("skipping unreadable stream item: {}", e.toString());
            continue;
          }
          if (item != null) {
            handler.onItem(item);
          }
        }
      } catch (IOException | RuntimeException e) {
        error = e;
      } finally {
        open.remove(this);
        response.close();
        end(closing.get() ? null : error == null ? null : unwrap(error), !closing.get());
      }
    }

    private Throwable unwrap(Throwable e) {
      if (e instanceof UncheckedIOException u) {
        return u.getCause();
      }
      return e;
    }

    private void end(Throwable error, boolean byEngine) {
      if (ended.compareAndSet(false, true)) {
        if (byEngine && error == null) {
          handler.onEnd(
              new EngineUnavailableException(
                  endpoint.toString(), "stream closed by the engine", null));
        } else {
          handler.onEnd(error);
        }
      }
    }

    @Override
    public void close() {
      if (closing.compareAndSet(false, true)) {
        response.close();
        thread.interrupt();
        if (Thread.currentThread() != thread) {
          try {
            thread.join(2_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        end(null, false);
      }
    }
  }

  private static void closeQuietly(DockerHttpClient c) {
    try {
      c.close();
    } catch (IOException e) {
      LOG.debug("closing http client: {}", e.toString());
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ---- JSON mapping ----

  private ContainerEvent toEvent(JsonNode n) {
    String type = n.path("Type").asText("");
    if (!type.isEmpty() && !"container".equals(type)) {
      return null;
    }
    String action = n.path("Action").asText(n.path("status").asText(""));
    JsonNode actor = n.path("Actor");
    String id = actor.path("ID").asText(n.path("id").asText(""));
    if (id.isEmpty()) {
      return null;
    }
    Map<String, String> attrs = new HashMap<>();
    actor
        .path("Attributes")
        .properties()
        .forEach(f -> attrs.put(f.getKey(), f.getValue().asText()));
    long nanos = n.path("timeNano").asLong(0);
    Instant time =
        nanos > 0
            ? Instant.ofEpochSecond(0, nanos)
            : Instant.ofEpochSecond(n.path("time").asLong(Instant.now().getEpochSecond()));
    String name = attrs.getOrDefault("name", "");
    if (name.startsWith("/")) {
      name = name.substring(1);
    }
    return new ContainerEvent(id, ContainerEvent.Action.parse(action), action, name, attrs, time);
  }

  private ContainerSummary fromListing(JsonNode c) {
    String name = "";
    JsonNode names = c.path("Names");
    if (names.isArray() && names.size() > 0) {
      name = stripSlash(names.get(0).asText());
    }
    Map<String, String> labels = labels(c.path("Labels"));
    String status = c.path("Status").asText("");
    HealthStatus health =
        status.contains("(healthy)")
            ? HealthStatus.HEALTHY
            : status.contains("(unhealthy)")
                ? HealthStatus.UNHEALTHY
                : status.contains("(health: starting)") ? HealthStatus.STARTING : HealthStatus.NONE;
    return new ContainerSummary(
        c.path("Id").asText(),
        name,
        c.path("Image").asText(""),
        ContainerState.parse(c.path("State").asText(null)),
        health,
        Instant.ofEpochSecond(c.path("Created").asLong(0)),
        null,
        null,
        0,
        false,
        0,
        labels,
        ResourceLimits.NONE,
        host());
  }

  private static Map<String, String> labels(JsonNode n) {
    Map<String, String> out = new HashMap<>();
    if (n != null && n.isObject()) {
      n.properties().forEach(f -> out.put(f.getKey(), f.getValue().asText("")));
    }
    return out;
  }

  private static String stripSlash(String s) {
    return s.startsWith("/") ? s.substring(1) : s;
  }
}
