package io.clustermonitor.exporters.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A {@link Socket} over a Unix domain {@link SocketChannel}, so Jedis can speak to {@code
 * unix:///path/redis.sock} (the JDK has no {@code Socket} for Unix sockets). Reads honour {@link
 * #setSoTimeout(int)} through a selector.
 */
final class UnixSocket extends Socket {
  private final SocketChannel channel;
  private final Selector selector;
  private volatile int timeoutMillis;
  private volatile boolean closed;

  private UnixSocket(SocketChannel channel, Selector selector) {
    this.channel = channel;
    this.selector = selector;
  }

  static UnixSocket connect(Path path, int timeoutMillis) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(path));
      ch.configureBlocking(false);
      Selector selector = Selector.open();
      ch.register(selector, SelectionKey.OP_READ);
      UnixSocket s = new UnixSocket(ch, selector);
      s.timeoutMillis = timeoutMillis;
      return s;
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public InputStream getInputStream() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (true) {
          int n = channel.read(buf);
          if (n != 0) {
            return n;
          }
          selector.selectedKeys().clear();
          if (selector.select(timeoutMillis) == 0 && !closed) {
            throw new SocketTimeoutException("Read timed out");
          }
          if (closed) {
            throw new IOException("socket closed");
          }
        }
      }
    };
  }

  @Override
  public OutputStream getOutputStream() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
          if (channel.write(buf) == 0) {
            Thread.onSpinWait();
          }
        }
      }
    };
  }

  @Override
  public void setSoTimeout(int timeout) {
    this.timeoutMillis = timeout;
  }

  @Override
  public int getSoTimeout() {
    return timeoutMillis;
  }

  @Override
  public void setTcpNoDelay(boolean on) {}

  @Override
  public void setKeepAlive(boolean on) {}

  @Override
  public void setSoLinger(boolean on, int linger) {}

  @Override
  public void setReuseAddress(boolean on) {}

  @Override
  public boolean isConnected() {
    return channel.isConnected();
  }

  @Override
  public boolean isBound() {
    return true;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean isInputShutdown() {
    return closed;
  }

  @Override
  public boolean isOutputShutdown() {
    return closed;
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }
}
