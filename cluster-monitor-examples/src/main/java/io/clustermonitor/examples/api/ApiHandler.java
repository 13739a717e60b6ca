package io.clustermonitor.examples.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.clustermonitor.core.ClusterMonitorException;
import io.clustermonitor.core.ContainerNotFoundException;
import io.clustermonitor.core.EngineTimeoutException;
import io.clustermonitor.core.EngineUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the API, in this order: URI length (414), method (405, or a CORS preflight),
 * request body size (413), concurrency cap (503), bearer token (401), then the route. Every answer
 * is JSON; one catch-all turns anything unexpected into a generic 500 and logs the detail.
 */
final class ApiHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  static final String ALLOW = "GET, HEAD";

  private final ApiRoutes routes;
  private final byte[] tokenDigest;
  private final boolean healthOpen;
  private final Set<String> corsOrigins;
  private final Semaphore permits;
  private final int maxUriLength;
  private final int maxBodyBytes;

  ApiHandler(
      ApiRoutes routes,
      String token,
      boolean healthOpen,
      Set<String> corsOrigins,
      int maxConcurrent,
      int maxUriLength,
      int maxBodyBytes) {
    this.routes = routes;
    this.tokenDigest = token == null ? null : sha256(token);
    this.healthOpen = healthOpen;
    this.corsOrigins = Set.copyOf(corsOrigins);
    this.permits = new Semaphore(maxConcurrent);
    this.maxUriLength = maxUriLength;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    boolean head = "HEAD".equals(ex.getRequestMethod());
    try {
      cors(ex);
      ApiRoutes.Answer answer = answer(ex);
      send(ex, answer.status(), answer.body(), head);
    } catch (ApiException e) {
      e.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      send(ex, e.status(), Json.error(e.status(), e.code(), e.getMessage()), head);
    } catch (IOException e) {
      LOG.debug("client connection failed", e);
    } catch (RuntimeException | Error e) {
      LOG.error("internal error answering {} {}", ex.getRequestMethod(), safePath(ex), e);
      trySend(ex, 500, Json.error(500, "internal_error", "Internal server error"), head);
    } finally {
      ex.close();
    }
  }

  private ApiRoutes.Answer answer(HttpExchange ex) throws IOException {
    String rawPath = ex.getRequestURI().getRawPath();
    String rawQuery = ex.getRequestURI().getRawQuery();
    int uriLength =
        (rawPath == null ? 0 : rawPath.length()) + (rawQuery == null ? 0 : rawQuery.length() + 1);
    if (uriLength > maxUriLength) {
      throw new ApiException(
          414, "uri_too_long", "Request URI longer than " + maxUriLength + " characters");
    }
    String method = ex.getRequestMethod();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      if ("OPTIONS".equals(method) && preflight(ex)) {
        return new ApiRoutes.Answer(204, null);
      }
      throw new ApiException(
          405,
          "method_not_allowed",
          "This API is read-only: only GET and HEAD are allowed",
          Map.of("Allow", ALLOW));
    }
    checkBody(ex);
    if (!permits.tryAcquire()) {
      throw new ApiException(
          503,
          "overloaded",
          "Too many concurrent requests; retry shortly",
          Map.of("Retry-After", "1"));
    }
    try {
      if (rawPath == null || rawPath.isEmpty()) {
        rawPath = "/";
      }
      if (tokenDigest != null && !(healthOpen && rawPath.equals(ApiRoutes.HEALTH))) {
        authorize(ex);
      }
      return route(rawPath, rawQuery);
    } finally {
      permits.release();
    }
  }

  private ApiRoutes.Answer route(String rawPath, String rawQuery) {
    try {
      return routes.get(rawPath, rawQuery);
    } catch (EngineUnavailableException | EngineTimeoutException e) {
      throw routes.engineDown(e);
    } catch (ContainerNotFoundException e) {
      throw ApiException.notFound("No such container");
    } catch (ClusterMonitorException e) {
      // Any other engine-side failure: the upstream answered badly, not us.
      LOG.warn("engine call failed: {}", e.getMessage());
      LOG.debug("engine call failed", e);
      throw new ApiException(
          502, "engine_error", "The Docker engine at " + routes.endpoint() + " failed to answer");
    } catch (IllegalArgumentException e) {
      // From the model's own validation of a parameter we passed through (e.g. a label key).
      LOG.debug("rejected parameter", e);
      throw ApiException.badRequest("Invalid request parameter");
    }
  }

  private void checkBody(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("Malformed Content-Length");
      }
      if (n > maxBodyBytes) {
        throw tooLarge();
      }
    }
    InputStream in = ex.getRequestBody();
    if (in.readNBytes(maxBodyBytes + 1).length > maxBodyBytes) {
      throw tooLarge();
    }
  }

  private ApiException tooLarge() {
    return new ApiException(
        413, "payload_too_large", "Request body larger than " + maxBodyBytes + " bytes");
  }

  private void authorize(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    // Both sides are SHA-256 digests of equal length: isEqual's time does not depend on content.
    if (!bearer || !MessageDigest.isEqual(sha256(header.substring(7).trim()), tokenDigest)) {
      throw new ApiException(
          401,
          "unauthorized",
          "A valid bearer token is required",
          Map.of("WWW-Authenticate", "Bearer realm=\"cluster-monitor\""));
    }
  }

  private boolean corsAllowed(String origin) {
    return origin != null && (corsOrigins.contains(origin) || corsOrigins.contains("*"));
  }

  private void cors(HttpExchange ex) {
    if (corsOrigins.isEmpty()) {
      return;
    }
    String origin = ex.getRequestHeaders().getFirst("Origin");
    ex.getResponseHeaders().add("Vary", "Origin");
    if (corsAllowed(origin)) {
      ex.getResponseHeaders()
          .set("Access-Control-Allow-Origin", corsOrigins.contains("*") ? "*" : origin);
    }
  }

  private boolean preflight(HttpExchange ex) {
    Headers h = ex.getRequestHeaders();
    if (!corsAllowed(h.getFirst("Origin"))) {
      return false;
    }
    String wanted = h.getFirst("Access-Control-Request-Method");
    if (wanted == null || !(wanted.equals("GET") || wanted.equals("HEAD"))) {
      return false;
    }
    Headers r = ex.getResponseHeaders();
    r.set("Access-Control-Allow-Methods", ALLOW);
    r.set("Access-Control-Allow-Headers", "Authorization");
    r.set("Access-Control-Max-Age", "600");
    return true;
  }

  private static void send(HttpExchange ex, int status, Object body, boolean head)
      throws IOException {
    Headers h = ex.getResponseHeaders();
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    if (body == null) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = Json.bytes(body);
    h.set("Content-Type", "application/json; charset=utf-8");
    if (head) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void trySend(HttpExchange ex, int status, Object body, boolean head) {
    try {
      send(ex, status, body, head);
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not send the error answer (headers already sent?)", e);
    }
  }

  private static String safePath(HttpExchange ex) {
    String p = String.valueOf(ex.getRequestURI().getRawPath());
    return p.length() > 200 ? p.substring(0, 200) + "..." : p;
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
