package io.clustermonitor.examples.web;

import io.clustermonitor.exporters.web.WebHandler;
import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web view's pages and assets, read from the jar once: {@code /} (overview), {@code
 * /containers/{name-or-id}} (one container) and a fixed list of files under {@code /static/}
 * (scripts, styles, uPlot from its WebJar). The pages hold no data: their scripts read the REST
 * API, with the token when one is configured. Every answer carries a strict Content-Security-Policy
 * (scripts and styles from this origin only, no inline script, no framing).
 */
public final class WebPages implements WebHandler {
  /** The policy sent with every page and asset. */
  public static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  /** Paths this handler answers: exact {@code /}, and the two prefixes. */
  public static final List<String> PATHS = List.of("/", "/containers/", "/static/");

  private static final String BASE = "/io/clustermonitor/examples/web/";
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");

  private record Asset(String type, byte[] body) {}

  private final Asset index;
  private final Asset container;
  private final Map<String, Asset> assets = new LinkedHashMap<>();

  /** Loads the pages and assets from the classpath. */
  public WebPages() {
    index = load(BASE + "index.html", "text/html; charset=utf-8");
    container = load(BASE + "container.html", "text/html; charset=utf-8");
    for (String js : List.of("common.js", "index.js", "container.js")) {
      assets.put("/static/" + js, load(BASE + js, "text/javascript; charset=utf-8"));
    }
    assets.put("/static/app.css", load(BASE + "app.css", "text/css; charset=utf-8"));
    assets.put(
        "/static/uPlot.iife.min.js",
        load(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));
    assets.put("/static/uPlot.min.css", load(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));
  }

  private static Asset load(String resource, String type) {
    try (InputStream in = WebPages.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("web view resource missing from the jar: " + resource);
      }
      return new Asset(type, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public WebResponse handle(WebRequest request) {
    if (!request.method().equals("GET") && !request.isHead()) {
      return secure(WebResponse.text(405, "Only GET and HEAD\n").withHeader("Allow", "GET, HEAD"));
    }
    String path = request.path();
    if (path.equals("/")) {
      return page(index);
    }
    if (path.startsWith("/containers/")) {
      String ref = path.substring("/containers/".length());
      if (!REF.matcher(ref).matches()) {
        return secure(
            WebResponse.text(
                400, "Bad container reference: use a container name or a hexadecimal id\n"));
      }
      return page(container);
    }
    Asset a = assets.get(path);
    if (a == null) {
      return secure(WebResponse.text(404, "not found\n"));
    }
    return secure(WebResponse.of(200, a.type(), a.body()).withHeader("Cache-Control", "no-cache"));
  }

  private static WebResponse page(Asset a) {
    return secure(WebResponse.of(200, a.type(), a.body()).withHeader("Cache-Control", "no-store"));
  }

  private static WebResponse secure(WebResponse r) {
    return r.withHeader("Content-Security-Policy", CSP)
        .withHeader("X-Content-Type-Options", "nosniff")
        .withHeader("X-Frame-Options", "DENY")
        .withHeader("Referrer-Policy", "no-referrer");
  }
}
