package io.clustermonitor.exporters.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 keep-alive GET client for benchmarks: one socket, the body read into one
 * reused array, so that what a benchmark times is the server and the transfer, not the client's
 * buffer handling (the JDK {@code HttpClient} hands a 1 MB body over in 16 KB pieces across its
 * selector and executor threads and copies it once more). Understands {@code Content-Length} bodies
 * only, which is what the exporters send for {@code /metrics}. Not thread-safe.
 */
final class KeepAliveClient implements AutoCloseable {
  private final String request;
  private final InetSocketAddress address;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private byte[] buf = new byte[1 << 16];
  private int start;
  private int end;
  private long firstByteNanos;

  KeepAliveClient(URI uri) {
    this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    this.request =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + uri.getHost()
            + ":"
            + uri.getPort()
            + "\r\nAccept: text/plain\r\n\r\n";
  }

  /** System.nanoTime() when the last answer's first byte arrived. */
  long firstByteNanos() {
    return firstByteNanos;
  }

  /** Sends one GET and reads the whole answer; returns the body length. */
  int get() throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      socket.connect(address, 10_000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
      start = 0;
      end = 0;
    }
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    firstByteNanos = 0;
    // headers
    int headerEnd;
    while ((headerEnd = find(buf, start, end)) < 0) {
      fill();
    }
    String head = new String(buf, start, headerEnd - start, StandardCharsets.ISO_8859_1);
    start = headerEnd + 4;
    if (!head.startsWith("HTTP/1.1 200")) {
      throw new IOException("unexpected answer: " + head.lines().findFirst().orElse(""));
    }
    int length = -1;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    if (length < 0) {
      throw new IOException("no Content-Length");
    }
    int remaining = length;
    while (remaining > 0) {
      if (start == end) {
        start = 0;
        end = 0;
        fill();
      }
      int n = Math.min(remaining, end - start);
      start += n;
      remaining -= n;
    }
    return length;
  }

  private void fill() throws IOException {
    if (end == buf.length) {
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
      } else {
        byte[] bigger = new byte[buf.length * 2];
        System.arraycopy(buf, 0, bigger, 0, end);
        buf = bigger;
      }
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) {
      throw new IOException("connection closed by the server");
    }
    if (firstByteNanos == 0) {
      firstByteNanos = System.nanoTime();
    }
    end += n;
  }

  private static int find(byte[] b, int from, int to) {
    for (int i = from; i + 3 < to; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
    }
  }
}
