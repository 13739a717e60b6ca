package io.clustermonitor.exporters.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.TargetScraper;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SDK's HTTP handlers: {@code /metrics}, {@code /health} and the landing page. */
public final class Handlers {
  private static final Logger LOG = LoggerFactory.getLogger(Handlers.class);

  private Handlers() {}

  /**
   * {@code /metrics}: content negotiation, gzip, GET and HEAD, and node_exporter's {@code
   * collect[]} filter ({@code ?collect[]=cpu&collect[]=meminfo} runs only those registered
   * collectors; a name that is not registered gets 400 as in node_exporter 1.7).
   */
  public static HttpHandler metrics(Scraper scraper, boolean openMetrics) {
    Set<String> known = Set.copyOf(scraper.collectorNames());
    Writers writers = new Writers();
    return exchange -> {
      try (exchange) {
        if (!exactPath(exchange) || !allowGetOrHead(exchange)) {
          return;
        }
        Map<String, List<String>> query;
        try {
          query = QueryString.parse(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
          sendText(exchange, 400, e.getMessage() + "\n");
          return;
        }
        List<String> filters = query.getOrDefault("collect[]", List.of());
        if (filters.isEmpty()) {
          serveFamilies(exchange, scraper::scrape, writers, openMetrics);
          return;
        }
        for (String name : filters) {
          if (!known.contains(name)) {
            // node_exporter 1.7's exact answer for a collector it does not have.
            sendText(
                exchange,
                400,
                "Couldn't create filtered metrics handler: missing collector: " + name);
            return;
          }
        }
        Set<String> only = new LinkedHashSet<>(filters);
        serveFamilies(exchange, () -> scraper.scrape(only), writers, openMetrics);
      }
    };
  }

  /**
   * A multi-target endpoint ({@code /probe}, {@code /scrape}): the query names the target, the
   * {@link TargetScraper} gives its collectors, which run like {@code /metrics}' own; the {@link
   * TargetScraper.Scrape} is closed afterwards. An {@link IllegalArgumentException} from the
   * scraper is a 400 with its message.
   */
  public static HttpHandler target(
      String path, Scraper scraper, TargetScraper target, boolean openMetrics) {
    Writers writers = new Writers();
    return exchange -> {
      try (exchange) {
        if (!exactPath(exchange) || !allowGetOrHead(exchange)) {
          return;
        }
        TargetScraper.Scrape scrape;
        try {
          scrape = target.open(QueryString.parse(exchange.getRequestURI().getRawQuery()));
          if (scrape == null) {
            throw new IllegalStateException("TargetScraper for " + path + " returned null");
          }
        } catch (IllegalArgumentException e) {
          String message = e.getMessage() == null ? "bad request" : e.getMessage();
          sendText(exchange, 400, message + "\n");
          return;
        } catch (RuntimeException e) {
          LOG.error("Target scraper for {} failed", path, e);
          sendText(exchange, 500, "scrape failed\n");
          return;
        }
        try (scrape) {
          List<MetricsCollector> collectors = List.copyOf(scrape.collectors());
          serveFamilies(exchange, () -> scraper.scrapeOnce(collectors), writers, openMetrics);
        }
      }
    };
  }

  /** The exposition writers, created once per endpoint. */
  private static final class Writers {
    final OpenMetricsTextFormatWriter om = OpenMetricsTextFormatWriter.create();
    final PrometheusProtobufWriter pb = new PrometheusProtobufWriter();
  }

  private static void serveFamilies(
      HttpExchange exchange,
      Supplier<List<MetricFamily>> scrape,
      Writers writers,
      boolean openMetrics)
      throws IOException {
    try {
      List<MetricFamily> families = scrape.get();
      Negotiation.Format format =
          Negotiation.choose(exchange.getRequestHeaders().getFirst("Accept"), openMetrics);
      ByteArrayOutputStream body = new ByteArrayOutputStream(16384);
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
          Writer w = new OutputStreamWriter(body, StandardCharsets.UTF_8);
          TextFormat.write(w, families);
          w.flush();
          contentType = TextFormat.CONTENT_TYPE;
        }
      }
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.getResponseHeaders().set("Vary", "Accept, Accept-Encoding");
      byte[] bytes = body.toByteArray();
      if (Negotiation.acceptsGzip(exchange.getRequestHeaders().getFirst("Accept-Encoding"))) {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
          gz.write(bytes);
        }
        bytes = zipped.toByteArray();
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      }
      send(exchange, 200, bytes);
    } catch (RuntimeException e) {
      LOG.error("Scrape failed", e);
      sendText(exchange, 500, "scrape failed\n");
    }
  }

  private static boolean exactPath(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    if (path != null && path.equals(exchange.getHttpContext().getPath())) {
      return true;
    }
    sendText(exchange, 404, "not found\n");
    return false;
  }

  private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(exchange, status, text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code /health}: {@code {"status":"UP",...}}. */
  public static HttpHandler health(String namespace, List<String> collectors, long startedMillis) {
    return exchange -> {
      try (exchange) {
        if (!exactPath(exchange) || !allowGetOrHead(exchange)) {
          return;
        }
        StringBuilder json = new StringBuilder("{\"status\":\"UP\",\"namespace\":");
        json.append(Json.quote(namespace)).append(",\"collectors\":[");
        for (int i = 0; i < collectors.size(); i++) {
          json.append(i == 0 ? "" : ",").append(Json.quote(collectors.get(i)));
        }
        json.append("],\"uptimeSeconds\":")
            .append((System.currentTimeMillis() - startedMillis) / 1000)
            .append("}\n");
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, 200, json.toString().getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  /** {@code /}: a small HTML page; other unmatched paths get 404. */
  public static HttpHandler index(String title, List<String> collectors, List<String> endpoints) {
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
    return exchange -> {
      try (exchange) {
        if (!exchange.getRequestURI().getPath().equals("/")) {
          exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
          send(exchange, 404, "not found\n".getBytes(StandardCharsets.UTF_8));
          return;
        }
        if (!allowGetOrHead(exchange)) {
          return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        send(exchange, 200, page);
      }
    };
  }

  private static boolean allowGetOrHead(HttpExchange exchange) throws IOException {
    String m = exchange.getRequestMethod();
    if (m.equals("GET") || m.equals("HEAD")) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(exchange, 405, "method not allowed\n".getBytes(StandardCharsets.UTF_8));
    return false;
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
