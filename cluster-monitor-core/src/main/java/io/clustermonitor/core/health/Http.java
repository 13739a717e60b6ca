package io.clustermonitor.core.health;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** HTTP GET with a hard deadline and failures turned into readable reasons. */
final class Http {
  /** Shared; its threads are daemons. HTTP/1.1 only, redirects are not followed. */
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private Http() {}

  /** A failure with a one-line reason for a DOWN result. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String reason) {
      super(reason);
    }
  }

  record Response(int status, String contentType, String body) {
    /** The body's start on one line, for reasons. */
    String snippet() {
      return Http.snippet(body);
    }
  }

  /** Parses an absolute http(s) URL. */
  static URI parse(String url) throws Failure {
    if (url == null || url.isBlank()) {
      throw new Failure("malformed URL '': empty");
    }
    if (!url.contains("://")) {
      throw new Failure("malformed URL '" + url + "': no scheme (use http:// or https://)");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new Failure("malformed URL '" + url + "': " + e.getMessage());
    }
    String scheme = uri.getScheme();
    if (scheme == null) {
      throw new Failure("malformed URL '" + url + "': no scheme (use http:// or https://)");
    }
    if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      throw new Failure(
          "malformed URL '" + url + "': unsupported scheme '" + scheme + "' (use http or https)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new Failure("malformed URL '" + url + "': no host");
    }
    return uri;
  }

  /** GETs {@code uri}, reading the whole body, within {@code timeout}. */
  static Response get(URI uri, Duration timeout, String accept) throws Failure {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(uri)
              .GET()
              .timeout(timeout)
              .header("Accept", accept)
              .header("User-Agent", "cluster-monitor-health")
              .build();
    } catch (IllegalArgumentException e) {
      throw new Failure("malformed URL '" + uri + "': " + e.getMessage());
    }
    CompletableFuture<HttpResponse<String>> f =
        CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    try {
      HttpResponse<String> r =
          f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return new Response(
          r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new Failure(noAnswer(uri, timeout));
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    } catch (ExecutionException e) {
      throw new Failure(describe(uri, timeout, e.getCause()));
    }
  }

  private static String noAnswer(URI uri, Duration timeout) {
    return "no answer from " + hostPort(uri) + " within " + HealthReport.formatDuration(timeout);
  }

  static String describe(URI uri, Duration timeout, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "unknown host '" + uri.getHost() + "'";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) {
        return "no connection to "
            + hostPort(uri)
            + " within "
            + HealthReport.formatDuration(timeout);
      }
      if (t instanceof HttpTimeoutException) {
        return noAnswer(uri, timeout);
      }
      if (t instanceof ConnectException) {
        return "connection refused by " + hostPort(uri);
      }
      if (t instanceof javax.net.ssl.SSLException) {
        return "TLS failure with " + hostPort(uri) + ": " + t.getMessage();
      }
    }
    String m = e.getMessage();
    return (e instanceof IOException ? "I/O error" : e.getClass().getSimpleName())
        + " talking to "
        + hostPort(uri)
        + (m == null ? "" : ": " + m);
  }

  static String hostPort(URI uri) {
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    return uri.getHost() + ":" + port;
  }

  /** Whether a content type is HTML. */
  static boolean isHtml(String contentType) {
    return contentType.toLowerCase(Locale.ROOT).contains("html");
  }

  /** The first 120 characters of a text, on one line. */
  static String snippet(String body) {
    String s = CheckResult.oneLine(body);
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }
}
