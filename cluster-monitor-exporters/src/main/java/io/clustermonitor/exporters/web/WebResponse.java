package io.clustermonitor.exporters.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A complete HTTP answer: status, headers in order, body. Immutable; {@link #withHeader} returns a
 * copy. A server writes the body with a {@code Content-Length} (none for {@code HEAD}).
 */
public final class WebResponse {
  private final int status;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final WebStream stream;

  private WebResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    this(status, headers, body, null);
  }

  private WebResponse(
      int status, List<Map.Entry<String, String>> headers, byte[] body, WebStream stream) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100-599, got " + status);
    }
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = body;
    this.stream = stream;
  }

  /** An answer with a body of the given type ({@code null} type and body for none). */
  public static WebResponse of(int status, String contentType, byte[] body) {
    List<Map.Entry<String, String>> h = new ArrayList<>();
    if (contentType != null) {
      h.add(Map.entry("Content-Type", contentType));
    }
    return new WebResponse(status, h, body == null ? new byte[0] : body);
  }

  /**
   * A streamed answer of the given type, without {@code Content-Length}: the server sends the
   * headers, then hands {@code stream} its {@link WebStream.Sink} (not for {@code HEAD}, which gets
   * the headers only).
   */
  public static WebResponse stream(int status, String contentType, WebStream stream) {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(stream, "stream");
    return new WebResponse(
        status, List.of(Map.entry("Content-Type", contentType)), new byte[0], stream);
  }

  /** The streamed body, or {@code null} for an ordinary answer. */
  public WebStream stream() {
    return stream;
  }

  /** A {@code text/plain; charset=utf-8} answer. */
  public static WebResponse text(int status, String text) {
    return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** The status code. */
  public int status() {
    return status;
  }

  /** The headers, in order (a name may repeat). */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The first value of a header (case-insensitive), or {@code null}. */
  public String header(String name) {
    for (Map.Entry<String, String> e : headers) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The body (a copy is not made: do not modify). */
  public byte[] body() {
    return body;
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** A copy with one more header; an existing header of that name is replaced. */
  public WebResponse withHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    List<Map.Entry<String, String>> h = new ArrayList<>(headers.size() + 1);
    for (Map.Entry<String, String> e : headers) {
      if (!e.getKey().equalsIgnoreCase(name)) {
        h.add(e);
      }
    }
    h.add(Map.entry(name, value));
    return new WebResponse(status, h, body, stream);
  }

  /** A copy with a header added unless one of that name is already there. */
  public WebResponse withHeaderIfAbsent(String name, String value) {
    return header(name) != null ? this : withHeader(name, value);
  }
}
