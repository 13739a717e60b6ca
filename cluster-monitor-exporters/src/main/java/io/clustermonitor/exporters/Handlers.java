package io.clustermonitor.exporters;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clustermonitor.exporters.web.WebHandler;
import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's endpoints as {@link WebHandler}s: {@code /metrics}, targets, {@code /health}, the
 * landing page, and the router that maps exact paths (and {@code /prefix/} mounts) to them.
 */
final class Handlers {
  private static final Logger LOG = LoggerFactory.getLogger(Handlers.class);

  private Handlers() {}

  /**
   * {@code /metrics}: content negotiation, gzip, GET and HEAD, and node_exporter's {@code
   * collect[]} filter ({@code ?collect[]=cpu&collect[]=meminfo} runs only those registered
   * collectors; a name that is not registered gets 400 as in node_exporter 1.7). Requests that
   * arrive while an identical one (same filter, format and encoding) is being answered share its
   * scrape and body ({@link SingleFlight}): many clients at once cost one scrape and one body.
   */
  public static WebHandler metrics(Scraper scraper, boolean openMetrics) {
    return metrics(scraper, openMetrics, new Writers());
  }

  /** {@link #metrics(Scraper, boolean)} with writers of its own (a shorter wait, in tests). */
  static WebHandler metrics(Scraper scraper, boolean openMetrics, Writers writers) {
    Set<String> known = Set.copyOf(scraper.collectorNames());
    SingleFlight<List<Object>, Body> shared = new SingleFlight<>();
    return request -> {
      WebResponse refused = allowGetOrHead(request);
      if (refused != null) {
        return refused;
      }
      Map<String, List<String>> query;
      try {
        query = QueryString.parse(request.rawQuery());
      } catch (IllegalArgumentException e) {
        return WebResponse.text(400, e.getMessage() + "\n");
      }
      List<String> filters = query.getOrDefault("collect[]", List.of());
      List<Object> key =
          List.of(
              new LinkedHashSet<>(filters),
              Negotiation.choose(request.header("Accept"), openMetrics),
              Negotiation.acceptsGzip(request.header("Accept-Encoding")),
              request.method());
      if (filters.isEmpty()) {
        return shared(shared, key, () -> families(request, scraper::scrape, writers, openMetrics));
      }
      for (String name : filters) {
        if (!known.contains(name)) {
          // node_exporter 1.7's exact answer for a collector it does not have.
          return WebResponse.text(
              400, "Couldn't create filtered metrics handler: missing collector: " + name);
        }
      }
      Set<String> only = new LinkedHashSet<>(filters);
      return shared(
          shared, key, () -> families(request, () -> scraper.scrape(only), writers, openMetrics));
    };
  }

  /**
   * The answer of the flight for {@code key}, joined or run. A joiner that comes too late (every
   * earlier holder has sent the body and its buffer is back in the pool) joins the next flight: a
   * flight leaves the map before its result is published ({@link SingleFlight}), so that is always
   * a scrape still to come and the joiner waits for it instead of spinning (re-joining a finished
   * flight spun 100 clients on two cores: 645 answers in 10 s). After a few such misses it scrapes
   * on its own.
   */
  private static WebResponse shared(
      SingleFlight<List<Object>, Body> flights, List<Object> key, Supplier<Body> work) {
    for (int attempt = 0; attempt < 3; attempt++) {
      WebResponse answer = flights.get(key, work).take();
      if (answer != null) {
        return answer;
      }
    }
    return work.get().take(); // a body of its own has a reference for its taker
  }

  /**
   * A scrape's answer as the requests of one flight share it: either a complete answer, or a body
   * in a pooled buffer, counted by reference so that the buffer goes back to the pool only after
   * every request that took it has been written ({@link WebResponse#release()}). The flight holds
   * one reference until the first request takes the body.
   */
  static final class Body {
    private final WebResponse done;
    private final ExpositionBuffer buffer;
    private final ExpositionBuffer.Pool pool;
    private final String contentType;
    private final Runnable onFree;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean flightRef = new AtomicBoolean(true);

    private Body(
        WebResponse done,
        ExpositionBuffer buffer,
        ExpositionBuffer.Pool pool,
        String contentType,
        Runnable onFree) {
      this.done = done;
      this.buffer = buffer;
      this.pool = pool;
      this.contentType = contentType;
      this.onFree = onFree;
    }

    static Body of(WebResponse done) {
      return new Body(done, null, null, null, null);
    }

    /** A pooled body; {@code onFree} runs once its last holder released it. */
    static Body pooled(
        ExpositionBuffer buffer, ExpositionBuffer.Pool pool, String contentType, Runnable onFree) {
      return new Body(null, buffer, pool, contentType, onFree);
    }

    /** This request's answer, or {@code null} when the pooled body has already been given back. */
    WebResponse take() {
      if (buffer == null) {
        return done;
      }
      int r;
      do {
        r = refs.get();
        if (r == 0) {
          return null;
        }
      } while (!refs.compareAndSet(r, r + 1));
      if (flightRef.compareAndSet(true, false)) {
        release();
      }
      return WebResponse.of(200, contentType, buffer.array(), buffer.size(), this::release)
          .withHeader("Vary", "Accept, Accept-Encoding");
    }

    private void release() {
      if (refs.decrementAndGet() == 0) {
        pool.release(buffer);
        onFree.run();
      }
    }
  }

  /**
   * Go promhttp's {@code HandlerOpts.MaxRequestsInFlight}: at most {@code max} requests run the
   * returned handler at once (one limit shared by every handler it wraps); one more is answered at
   * once with Go's 503 and body {@code Limit of concurrent requests reached (N), try again later.}
   * A {@code max} of 0 or less returns a wrapper that never refuses.
   */
  public static java.util.function.UnaryOperator<WebHandler> inFlightLimit(int max) {
    if (max <= 0) {
      return h -> h;
    }
    Semaphore slots = new Semaphore(max);
    String body = "Limit of concurrent requests reached (" + max + "), try again later.\n";
    return handler ->
        request -> {
          if (!slots.tryAcquire()) {
            return WebResponse.text(503, body).withHeader("X-Content-Type-Options", "nosniff");
          }
          try {
            return handler.handle(request);
          } finally {
            slots.release();
          }
        };
  }

  /**
   * A multi-target endpoint ({@code /probe}, {@code /scrape}): the query names the target, the
   * {@link TargetScraper} gives its collectors, which run like {@code /metrics}' own; the {@link
   * TargetScraper.Scrape} is closed afterwards. An {@link IllegalArgumentException} from the
   * scraper is a 400 with its message.
   */
  public static WebHandler target(
      String path, Scraper scraper, TargetScraper target, boolean openMetrics) {
    Writers writers = new Writers();
    return request -> {
      WebResponse refused = allowGetOrHead(request);
      if (refused != null) {
        return refused;
      }
      TargetScraper.Scrape scrape;
      try {
        scrape = target.open(QueryString.parse(request.rawQuery()));
        if (scrape == null) {
          throw new IllegalStateException("TargetScraper for " + path + " returned null");
        }
      } catch (IllegalArgumentException e) {
        String message = e.getMessage() == null ? "bad request" : e.getMessage();
        return WebResponse.text(400, message + "\n");
      } catch (RuntimeException e) {
        LOG.error("Target scraper for {} failed", path, e);
        return WebResponse.text(500, "scrape failed\n");
      }
      try (scrape) {
        List<MetricsCollector> collectors = List.copyOf(scrape.collectors());
        return families(request, () -> scraper.scrapeOnce(collectors), writers, openMetrics).take();
      }
    };
  }

  /** Bodies of one endpoint rendered or being written at once, at most (see {@link Writers}). */
  static final int MAX_LIVE_BODIES = 4;

  /**
   * The exposition writers and body buffers, created once per endpoint, and the bound on bodies
   * alive at once. Requests that share a scrape share its body, but a request that comes after a
   * scrape ended starts the next one while earlier bodies are still being written to slow readers:
   * on a loaded machine 100 clients of `serve` at N = 100 held enough 1.3 MB bodies to exhaust the
   * launcher's 64 MiB heap (OutOfMemoryError in the footprint run of 2026-12-03). So a scrape
   * starts only while fewer than {@link #MAX_LIVE_BODIES} bodies are being rendered or written; it
   * waits for one to be released (requests arriving meanwhile join it) up to a limit, then answers
   * 503 with {@code Retry-After}. The bound applies once the server has been seen to release bodies
   * ({@link WebResponse#release()}, which {@link io.clustermonitor.exporters.web.WebServer} always
   * calls): a user's server that never releases them keeps a scrape per request.
   */
  static final class Writers {
    final OpenMetricsTextFormatWriter om = OpenMetricsTextFormatWriter.create();
    final PrometheusProtobufWriter pb = new PrometheusProtobufWriter();
    // two scrapes at once reuse their buffers; a body past 32 MiB is not kept
    final ExpositionBuffer.Pool buffers = new ExpositionBuffer.Pool(4, 16384, 32 << 20);
    private final long waitNanos;
    private int live;
    private boolean releasesSeen;

    Writers() {
      this(Duration.ofSeconds(10));
    }

    Writers(Duration wait) {
      this.waitNanos = wait.toNanos();
    }

    /** Counts one more body alive, waiting while the bound is reached; false when waited out. */
    synchronized boolean admit() throws InterruptedException {
      long deadline = System.nanoTime() + waitNanos;
      while (releasesSeen && live >= MAX_LIVE_BODIES) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      live++;
      return true;
    }

    /** One body less: rendered and dropped, or released by every request that held it. */
    synchronized void freed(boolean released) {
      live--;
      releasesSeen |= released;
      notifyAll();
    }

    synchronized int live() {
      return live;
    }
  }

  /**
   * gzip at deflate's fastest level: the body is repetitive text (a scrape of 100 containers, 1 MB,
   * compresses to about 5 %), so the default level costs several times the CPU for a few KB less.
   */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(java.io.OutputStream out) throws IOException {
      super(out, 8192);
      def.setLevel(java.util.zip.Deflater.BEST_SPEED);
    }
  }

  /**
   * Runs the scrape and writes its answer. An uncompressed body stays in the pooled buffer it was
   * written into and is sent from there (a 1 MB scrape is not copied into a new array); the buffer
   * returns to the pool once the answer has been written.
   */
  private static Body families(
      WebRequest request,
      Supplier<List<MetricFamily>> scrape,
      Writers writers,
      boolean openMetrics) {
    try {
      if (!writers.admit()) {
        return Body.of(
            WebResponse.text(503, "Too many scrape answers are being written, try again later.\n")
                .withHeader("Retry-After", "1"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Body.of(WebResponse.text(503, "Interrupted while waiting to scrape.\n"));
    }
    boolean handedOver = false;
    try {
      List<MetricFamily> families = scrape.get();
      Negotiation.Format format = Negotiation.choose(request.header("Accept"), openMetrics);
      ExpositionBuffer body = writers.buffers.take();
      try {
        String contentType;
        switch (format) {
          case OPENMETRICS -> {
            writers.om.write(body, SnapshotConverter.convert(families));
            contentType = OpenMetricsTextFormatWriter.CONTENT_TYPE;
          }
          case PROTOBUF -> {
            writers.pb.write(body, SnapshotConverter.convert(families));
            contentType = PrometheusProtobufWriter.CONTENT_TYPE;
          }
          default -> {
            TextFormat.write(body, families);
            contentType = TextFormat.CONTENT_TYPE;
          }
        }
        if (!Negotiation.acceptsGzip(request.header("Accept-Encoding"))) {
          handedOver = true;
          return Body.pooled(body, writers.buffers, contentType, () -> writers.freed(true));
        }
        ExpositionBuffer zipped = writers.buffers.take();
        try {
          try (GZIPOutputStream gz = new FastGzip(zipped)) {
            body.writeTo(gz);
          }
          return Body.of(
              WebResponse.of(200, contentType, zipped.toByteArray())
                  .withHeader("Content-Encoding", "gzip")
                  .withHeader("Vary", "Accept, Accept-Encoding"));
        } finally {
          writers.buffers.release(zipped);
        }
      } finally {
        if (!handedOver) {
          writers.buffers.release(body);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("Scrape failed", e);
      return Body.of(WebResponse.text(500, "scrape failed\n"));
    } finally {
      if (!handedOver) {
        writers.freed(false);
      }
    }
  }

  /** {@code /health}: {@code {"status":"UP",...}}. */
  public static WebHandler health(String namespace, List<String> collectors, long startedMillis) {
    return request -> {
      WebResponse refused = allowGetOrHead(request);
      if (refused != null) {
        return refused;
      }
      ObjectNode json = Json.object().put("status", "UP").put("namespace", namespace);
      collectors.forEach(json.putArray("collectors")::add);
      json.put("uptimeSeconds", (System.currentTimeMillis() - startedMillis) / 1000);
      return WebResponse.of(
          200, "application/json", (Json.write(json) + "\n").getBytes(StandardCharsets.UTF_8));
    };
  }

  /** {@code /}: a small HTML page. */
  public static WebHandler index(String title, List<String> collectors, List<String> endpoints) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
        .append(Json.html(title))
        .append("</title></head>\n<body>\n<h1>")
        .append(Json.html(title))
        .append("</h1>\n<h2>Endpoints</h2>\n<ul>\n");
    for (String e : endpoints) {
      html.append("<li><a href=\"")
          .append(Json.html(e))
          .append("\">")
          .append(Json.html(e))
          .append("</a></li>\n");
    }
    html.append("</ul>\n<h2>Collectors</h2>\n<ul>\n");
    for (String c : collectors) {
      html.append("<li>").append(Json.html(c)).append("</li>\n");
    }
    html.append("</ul>\n</body></html>\n");
    byte[] page = html.toString().getBytes(StandardCharsets.UTF_8);
    return request -> {
      WebResponse refused = allowGetOrHead(request);
      if (refused != null) {
        return refused;
      }
      return WebResponse.of(200, "text/html; charset=utf-8", page);
    };
  }

  /** 405 with {@code Allow} unless the method is GET or HEAD; {@code null} when allowed. */
  public static WebResponse allowGetOrHead(WebRequest request) {
    String m = request.method();
    if (m.equals("GET") || m.equals("HEAD")) {
      return null;
    }
    return WebResponse.text(405, "method not allowed\n").withHeader("Allow", "GET, HEAD");
  }

  /**
   * Routes by exact path; a mount ending in {@code /} receives every path below it. Unknown paths
   * get 404 in plain text. Paths that carry percent escapes, dot segments or doubled slashes are
   * matched as sent (so {@code /metrics/} or {@code /%6detrics} is not {@code /metrics}).
   */
  public static WebHandler router(Map<String, WebHandler> routes) {
    Map<String, WebHandler> exact = new LinkedHashMap<>();
    Map<String, WebHandler> prefixes = new LinkedHashMap<>();
    routes.forEach(
        (path, h) -> {
          if (path.length() > 1 && path.endsWith("/")) {
            prefixes.put(path, h);
          } else {
            exact.put(path, h);
          }
        });
    return request -> {
      String path = request.path();
      WebHandler h = exact.get(path);
      if (h == null) {
        int best = -1;
        for (Map.Entry<String, WebHandler> e : prefixes.entrySet()) {
          if (path.startsWith(e.getKey()) && e.getKey().length() > best) {
            best = e.getKey().length();
            h = e.getValue();
          }
        }
      }
      return h == null ? WebResponse.text(404, "not found\n") : h.handle(request);
    };
  }
}
