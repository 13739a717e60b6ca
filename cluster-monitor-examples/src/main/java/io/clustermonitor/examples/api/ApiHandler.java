package io.clustermonitor.examples.api;

import io.clustermonitor.core.ClusterMonitorException;
import io.clustermonitor.core.ContainerNotFoundException;
import io.clustermonitor.core.EngineTimeoutException;
import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.exporters.web.WebHandler;
import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the API, in this order: URI length (414), method (405, or a CORS preflight),
 * bearer token (401), then the route. Every answer is JSON; one catch-all turns anything unexpected
 * into a generic 500 and logs the detail. Request bodies, concurrency and timeouts are the server's
 * business ({@link io.clustermonitor.exporters.web.WebServer}).
 */
final class ApiHandler implements WebHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  static final String ALLOW = "GET, HEAD";

  private final ApiRoutes routes;
  private final byte[] tokenDigest;
  private final boolean healthOpen;
  private final Set<String> corsOrigins;
  private final int maxUriLength;

  ApiHandler(
      ApiRoutes routes,
      String token,
      boolean healthOpen,
      Set<String> corsOrigins,
      int maxUriLength) {
    this.routes = routes;
    this.tokenDigest = token == null ? null : sha256(token);
    this.healthOpen = healthOpen;
    this.corsOrigins = Set.copyOf(corsOrigins);
    this.maxUriLength = maxUriLength;
  }

  @Override
  public WebResponse handle(WebRequest request) {
    List<String[]> headers = new ArrayList<>();
    try {
      cors(request, headers);
      ApiRoutes.Answer answer = answer(request, headers);
      if (answer.stream() != null) {
        WebResponse r = answer.stream();
        for (String[] h : headers) {
          r = r.withHeader(h[0], h[1]);
        }
        return r;
      }
      return respond(answer.status(), answer.body(), headers);
    } catch (ApiException e) {
      e.headers().forEach((k, v) -> headers.add(new String[] {k, v}));
      return respond(e.status(), Json.error(e.status(), e.code(), e.getMessage()), headers);
    } catch (RuntimeException | Error e) {
      LOG.error("internal error answering {} {}", request.method(), safePath(request), e);
      return respond(500, Json.error(500, "internal_error", "Internal server error"), headers);
    }
  }

  private ApiRoutes.Answer answer(WebRequest request, List<String[]> headers) {
    String rawPath = request.path();
    String rawQuery = request.rawQuery();
    int uriLength = rawPath.length() + (rawQuery == null ? 0 : rawQuery.length() + 1);
    if (uriLength > maxUriLength) {
      throw new ApiException(
          414, "uri_too_long", "Request URI longer than " + maxUriLength + " characters");
    }
    String method = request.method();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      if ("OPTIONS".equals(method) && preflight(request, headers)) {
        return new ApiRoutes.Answer(204, null);
      }
      throw new ApiException(
          405,
          "method_not_allowed",
          "This API is read-only: only GET and HEAD are allowed",
          Map.of("Allow", ALLOW));
    }
    if (tokenDigest != null && !(healthOpen && rawPath.equals(ApiRoutes.HEALTH))) {
      authorize(request);
    }
    return route(rawPath, rawQuery);
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

  private void authorize(WebRequest request) {
    String header = request.header("Authorization");
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

  private void cors(WebRequest request, List<String[]> headers) {
    if (corsOrigins.isEmpty()) {
      return;
    }
    String origin = request.header("Origin");
    headers.add(new String[] {"Vary", "Origin"});
    if (corsAllowed(origin)) {
      headers.add(
          new String[] {"Access-Control-Allow-Origin", corsOrigins.contains("*") ? "*" : origin});
    }
  }

  private boolean preflight(WebRequest request, List<String[]> headers) {
    if (!corsAllowed(request.header("Origin"))) {
      return false;
    }
    String wanted = request.header("Access-Control-Request-Method");
    if (wanted == null || !(wanted.equals("GET") || wanted.equals("HEAD"))) {
      return false;
    }
    headers.add(new String[] {"Access-Control-Allow-Methods", ALLOW});
    headers.add(new String[] {"Access-Control-Allow-Headers", "Authorization"});
    headers.add(new String[] {"Access-Control-Max-Age", "600"});
    return true;
  }

  static WebResponse respond(int status, Object body, List<String[]> headers) {
    WebResponse r =
        body == null
            ? WebResponse.of(status, null, null)
            : WebResponse.of(status, "application/json; charset=utf-8", Json.bytes(body));
    r = r.withHeader("Cache-Control", "no-store").withHeader("X-Content-Type-Options", "nosniff");
    for (String[] h : headers) {
      r = r.withHeader(h[0], h[1]);
    }
    return r;
  }

  /** The JSON error body of a server-level rejection (bad request line, 503 overload...). */
  static WebResponse serverError(int status, String message) {
    String code =
        switch (status) {
          case 400 -> "bad_request";
          case 401 -> "unauthorized";
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 408 -> "request_timeout";
          case 413 -> "payload_too_large";
          case 414 -> "uri_too_long";
          case 421 -> "misdirected_request";
          case 431 -> "headers_too_large";
          case 500 -> "internal_error";
          case 503 -> "overloaded";
          case 505 -> "http_version_not_supported";
          default -> status < 500 ? "bad_request" : "server_error";
        };
    return respond(status, Json.error(status, code, message), List.of());
  }

  private static String safePath(WebRequest request) {
    String p = String.valueOf(request.path());
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
