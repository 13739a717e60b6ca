package io.clustermonitor.exporters;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A growable byte buffer the exposition is written into as it is produced (ASCII names and numbers
 * written as bytes, other text as UTF-8), reused across scrapes through a small {@link Pool}. Not
 * thread-safe; a pool is.
 */
final class ExpositionBuffer extends OutputStream {
  private byte[] buf;
  private int size;
  private final byte[] digits = new byte[20];

  ExpositionBuffer(int capacity) {
    buf = new byte[Math.max(64, capacity)];
  }

  /** The bytes written so far. */
  int size() {
    return size;
  }

  /** Forgets what was written, keeps the capacity. */
  void reset() {
    size = 0;
  }

  /** The array holding the bytes written (in its first {@link #size()} bytes); do not modify. */
  byte[] array() {
    return buf;
  }

  /** A copy of the bytes written. */
  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  /** Writes the bytes written so far to {@code out}. */
  void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, size);
  }

  private void ensure(int more) {
    int need = size + more;
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
    }
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  @Override
  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  /** Writes one ASCII character. */
  ExpositionBuffer ascii(char c) {
    ensure(1);
    buf[size++] = (byte) c;
    return this;
  }

  /** Writes text as UTF-8 (ASCII text byte by byte, without encoding). */
  ExpositionBuffer text(String s) {
    int n = s.length();
    ensure(n);
    int p = size;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        write(s.getBytes(StandardCharsets.UTF_8));
        return this;
      }
      buf[p++] = (byte) c;
    }
    size = p;
    return this;
  }

  /** Writes a long in decimal. */
  ExpositionBuffer decimal(long v) {
    if (v == Long.MIN_VALUE) {
      return text(Long.toString(v));
    }
    if (v < 0) {
      ascii('-');
      v = -v;
    }
    int i = digits.length;
    do {
      digits[--i] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    } while (v != 0);
    write(digits, i, digits.length - i);
    return this;
  }

  /**
   * A few buffers kept for reuse, so a scrape's body is written into memory already allocated; a
   * buffer that grew past {@code maxRetained} bytes is dropped instead of kept. Thread-safe.
   */
  static final class Pool {
    private final AtomicReferenceArray<ExpositionBuffer> slots;
    private final int initial;
    private final int maxRetained;

    Pool(int slots, int initial, int maxRetained) {
      this.slots = new AtomicReferenceArray<>(slots);
      this.initial = initial;
      this.maxRetained = maxRetained;
    }

    /** A reset buffer from the pool, or a new one. */
    ExpositionBuffer take() {
      for (int i = 0; i < slots.length(); i++) {
        ExpositionBuffer b = slots.getAndSet(i, null);
        if (b != null) {
          return b;
        }
      }
      return new ExpositionBuffer(initial);
    }

    /** Gives a buffer back (reset here); the caller must not use it afterwards. */
    void release(ExpositionBuffer b) {
      if (b.buf.length > maxRetained) {
        return;
      }
      b.reset();
      for (int i = 0; i < slots.length(); i++) {
        if (slots.compareAndSet(i, null, b)) {
          return;
        }
      }
    }
  }
}
