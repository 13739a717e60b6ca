package io.clustermonitor.examples.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The bad-input table of the serving tests, and a raw socket client to send its rows. */
public final class BadInputs {
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *([0-9]+)");
  private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");

  private BadInputs() {}

  /** One bad request: its name, the head, and bytes sent after it (or null). */
  public record Row(String name, byte[] head, byte[] tail) {}

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The table, every row aimed at {@code path}. */
  public static List<Row> table(String path) {
    List<Row> t = new ArrayList<>();
    String host = "Host: 127.0.0.1\r\n";
    t.add(
        new Row(
            "bad escape in path",
            ascii("GET " + path + "/%ZZ HTTP/1.1\r\n" + host + "\r\n"),
            null));
    t.add(
        new Row(
            "bad escape in query",
            ascii("GET " + path + "?a=%G1 HTTP/1.1\r\n" + host + "\r\n"),
            null));
    t.add(new Row("raw NUL", ascii("GET " + path + "\0 HTTP/1.1\r\n" + host + "\r\n"), null));
    t.add(
        new Row(
            "bad Content-Length",
            ascii("GET " + path + " HTTP/1.1\r\n" + host + "Content-Length: abc\r\n\r\n"),
            null));
    t.add(
        new Row(
            "chunked garbage",
            ascii(
                "GET "
                    + path
                    + " HTTP/1.1\r\n"
                    + host
                    + "Transfer-Encoding: chunked\r\n\r\nZZZ\r\nnope\r\n"),
            null));
    t.add(
        new Row(
            "1 MB URL",
            ascii("GET " + path + "?q=" + "a".repeat(1 << 20) + " HTTP/1.1\r\n" + host + "\r\n"),
            null));
    StringBuilder many = new StringBuilder("GET " + path + " HTTP/1.1\r\n" + host);
    for (int i = 0; i < 1000; i++) {
      many.append("X-Header-").append(i).append(": value\r\n");
    }
    t.add(new Row("1,000 headers", ascii(many + "\r\n"), null));
    t.add(
        new Row(
            "body on GET",
            ascii("GET " + path + " HTTP/1.1\r\n" + host + "Content-Length: 5\r\n\r\n"),
            ascii("hello")));
    t.add(
        new Row(
            "10 MB body on GET",
            ascii("GET " + path + " HTTP/1.1\r\n" + host + "Content-Length: 10485760\r\n\r\n"),
            new byte[1 << 20]));
    t.add(
        new Row(
            "foreign Host",
            ascii("GET " + path + " HTTP/1.1\r\nHost: evil.example\r\n\r\n"),
            null));
    return t;
  }

  /** Sends one row and reads the whole answer (the server may close after an error). */
  public static String send(int port, Row row) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(row.head());
        if (row.tail() != null) {
          out.write(row.tail());
        }
        out.flush();
      } catch (IOException e) {
        // the server answered and closed before taking everything (414, 431)
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = s.getInputStream().read(buf)) > 0) {
          all.write(buf, 0, n);
          String text = all.toString(StandardCharsets.ISO_8859_1);
          int headerEnd = text.indexOf("\r\n\r\n");
          if (headerEnd > 0) {
            Matcher m = CONTENT_LENGTH.matcher(text);
            if (m.find() && text.length() >= headerEnd + 4 + Integer.parseInt(m.group(1))) {
              break;
            }
          }
        }
      } catch (IOException e) {
        // reset after the answer: keep what arrived
      }
      return all.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * Sends one row and reads only the status line: for servers that keep the connection open after a
   * streamed (chunked) 200, such as Go's net/http. Returns -1 when nothing came back.
   */
  public static int sendForStatus(int port, Row row) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(row.head());
        if (row.tail() != null) {
          out.write(row.tail());
        }
        out.flush();
      } catch (IOException e) {
        // answered and closed before taking everything
      }
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      try {
        int b;
        while ((b = s.getInputStream().read()) >= 0 && b != '\n') {
          line.write(b);
        }
      } catch (IOException e) {
        // reset after the answer: keep what arrived
      }
      return status(line.toString(StandardCharsets.ISO_8859_1));
    }
  }

  /** The status code of an answer, or -1 when nothing came back. */
  public static int status(String answer) {
    Matcher m = STATUS.matcher(answer);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }
}
