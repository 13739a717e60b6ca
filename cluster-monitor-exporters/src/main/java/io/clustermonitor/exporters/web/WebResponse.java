package io.clustermonitor.exporters.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A complete HTTP answer: status, headers in order, body. Immutable; {@link #withHeader} returns a
 * copy. A server writes the body with a {@code Content-Length} (none for {@code HEAD}).
 */
public final class WebResponse {
  private final int status;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final int length;
  private final Runnable release; // runs at most once (see of(..., onWritten)); null for none
  private final WebStream stream;

  private WebResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    this(status, headers, body, body.length, null, null);
  }

  private WebResponse(
      int status,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      int length,
      Runnable release,
      WebStream stream) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100-599, got " + status);
    }
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = body;
    this.length = length;
    this.release = release;
    this.stream = stream;
  }

  /**
   * An answer whose body is the first {@code length} bytes of {@code buffer}, a buffer the caller
   * wants back once the body has been sent: {@code onWritten} runs once, after the server has
   * written the body or given up on it (client gone, request timed out); only then may the caller
   * reuse the buffer. So a large body is sent from the buffer it was produced in, without a copy. A
   * server other than {@link WebServer} that serves such an answer calls {@link #release()} after
   * writing it (or never, and the buffer is simply not reused).
   *
   * @throws IndexOutOfBoundsException when {@code length} is outside the buffer
   */
  public static WebResponse of(
      int status, String contentType, byte[] buffer, int length, Runnable onWritten) {
    Objects.requireNonNull(buffer, "buffer");
    Objects.requireNonNull(onWritten, "onWritten");
    Objects.checkFromIndexSize(0, length, buffer.length);
    List<Map.Entry<String, String>> h = new ArrayList<>();
    if (contentType != null) {
      h.add(Map.entry("Content-Type", contentType));
    }
    AtomicBoolean done = new AtomicBoolean();
    Runnable once =
        () -> {
          if (done.compareAndSet(false, true)) {
            onWritten.run();
          }
        };
    return new WebResponse(status, h, buffer, length, once, null);
  }

  /**
   * Tells the producer of the body that it has been sent and its buffer may be reused (see {@link
   * #of(int, String, byte[], int, Runnable)}); the body must not be read afterwards. Idempotent;
   * nothing for other answers.
   */
  public void release() {
    if (release != null) {
      release.run();
    }
  }

  /** The body's length in bytes. */
  public int bodyLength() {
    return length;
  }

  /** The array holding the body in its first {@link #bodyLength()} bytes (do not modify). */
  byte[] bodyArray() {
    return body;
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
        status, List.of(Map.entry("Content-Type", contentType)), new byte[0], 0, null, stream);
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

  /**
   * The body (not a copy: do not modify), or for an answer built over a reusable buffer a copy of
   * its body bytes, which must be taken before {@link #release()}.
   */
  public byte[] body() {
    return length == body.length ? body : java.util.Arrays.copyOf(body, length);
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, 0, length, StandardCharsets.UTF_8);
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
    return new WebResponse(status, h, body, length, release, stream);
  }

  /** A copy with a header added unless one of that name is already there. */
  public WebResponse withHeaderIfAbsent(String name, String value) {
    return header(name) != null ? this : withHeader(name, value);
  }
}
