package io.clustermonitor.exporters.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal RESP2 client over one socket: enough for AUTH, INFO, CONFIG GET, SLOWLOG and PING with
 * connect and read timeouts. Not thread-safe; the collector serialises its use.
 */
final class RespConnection implements Closeable {
  /** An error reply ({@code -ERR ...}). Its message is the server's, never our arguments. */
  static final class RedisErrorReply extends IOException {
    private static final long serialVersionUID = 1L;

    RedisErrorReply(String message) {
      super(message);
    }
  }

  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "redis-unix-timeout");
            t.setDaemon(true);
            return t;
          });

  private final Closeable transport;
  private final InputStream in;
  private final OutputStream out;
  private final Duration timeout;
  private final boolean unix;

  private RespConnection(
      Closeable transport, InputStream in, OutputStream out, Duration timeout, boolean unix) {
    this.transport = transport;
    this.in = new BufferedInputStream(in, 16 * 1024);
    this.out = new BufferedOutputStream(out, 1024);
    this.timeout = timeout;
    this.unix = unix;
  }

  static RespConnection open(RedisTarget target, Duration timeout) throws IOException {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    if (target.unixSocket() != null) {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.connect(UnixDomainSocketAddress.of(target.unixSocket()));
      } catch (IOException e) {
        ch.close();
        throw e;
      }
      return new RespConnection(
          ch, Channels.newInputStream(ch), Channels.newOutputStream(ch), timeout, true);
    }
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(target.host(), target.port()), millis);
      socket.setSoTimeout(millis);
      if (target.tls()) {
        SSLSocket ssl =
            (SSLSocket)
                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(socket, target.host(), target.port(), true);
        ssl.setSoTimeout(millis);
        ssl.startHandshake();
        socket = ssl;
      }
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return new RespConnection(
        socket, socket.getInputStream(), socket.getOutputStream(), timeout, false);
  }

  /** Sends one command and reads its reply: String, Long, List, or null for a nil reply. */
  Object command(String... args) throws IOException {
    ScheduledFuture<?> guard =
        unix
            ? WATCHDOG.schedule(this::closeQuietly, timeout.toMillis(), TimeUnit.MILLISECONDS)
            : null;
    try {
      write(args);
      return read();
    } finally {
      if (guard != null) {
        guard.cancel(false);
      }
    }
  }

  private void write(String... args) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append('*').append(args.length).append("\r\n");
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.UTF_8);
      sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
    }
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by server");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new RedisErrorReply(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int len = Integer.parseInt(line);
          if (len < 0) {
            return null;
          }
          byte[] data = in.readNBytes(len);
          if (data.length != len) {
            throw new EOFException("truncated bulk reply");
          }
          readLine();
          return new String(data, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            try {
              items.add(read());
            } catch (RedisErrorReply e) {
              items.add(e);
            }
          }
          return items;
        }
      default:
        throw new IOException("unexpected RESP type byte " + type);
    }
  }

  private String readLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed by server");
      }
      if (c == '\r') {
        int n = in.read();
        if (n == '\n') {
          return sb.toString();
        }
        sb.append('\r');
        if (n < 0) {
          throw new EOFException("connection closed by server");
        }
        c = n;
      }
      sb.append((char) c);
    }
  }

  private void closeQuietly() {
    try {
      transport.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
