package io.clustermonitor.core.stats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads small cgroup and procfs files through file channels kept open between samples: each read is
 * a positional read from offset 0 into one reused buffer. kernfs (cgroup files) and procfs ({@code
 * seq_file}) regenerate a file's text on a read at offset 0, so a kept channel gives the same bytes
 * as a fresh open, at two system calls instead of five or more.
 *
 * <p>Channels are grouped by owner (a container id, or {@code ""} for host files) and closed with
 * {@link #release(String)}; at most {@code maxOpen} channels are open at once (past that, files are
 * opened, read and closed as before). A read that fails on a kept channel (a cgroup removed and
 * re-created under the same path) is retried once on a fresh channel. A file found missing is not
 * looked for again during {@code missingRetryNanos} (cgroup files do not appear in a running
 * cgroup), so optional files cost no system call. Thread-safe: one lock, taken per read.
 */
final class CachedFileReader implements AutoCloseable {
  /**
   * Bound on kept channels when the process's descriptor limit is unknown: about 250 containers.
   */
  static final int DEFAULT_MAX_OPEN = 4096;

  /** Upper bound on kept channels, whatever the descriptor limit: about 2,000 containers. */
  static final int MAX_MAX_OPEN = 32_768;

  private static final long DEFAULT_MISSING_RETRY_NANOS = 30_000_000_000L;

  /**
   * A read that returns fewer bytes than this has reached the end, and no second read is made to
   * see 0. A {@code seq_file} read fills the caller's buffer (16 KiB here) up to the end or up to a
   * record that no longer fits its page-sized buffer; the records of the files read here (lines, or
   * one record for single-value and {@code single_open} files) are far smaller than half a page, so
   * a read that stops short of this stopped at the end. Regular files end where a read comes back
   * short. Longer files are read until a read returns 0, as before.
   */
  static final int SHORT_READ = 2048;

  /** A missing file, thrown without a stack trace (it is expected and frequent). */
  static final class MissingFileException extends NoSuchFileException {
    private static final long serialVersionUID = 1L;

    MissingFileException(String file) {
      super(file);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /** The kept channels of one owner and the files it lacks. */
  private static final class Group {
    final Map<Path, FileChannel> channels = new HashMap<>();
    final Map<Path, Long> missingSince = new HashMap<>();
  }

  private final int maxOpen;
  private final long missingRetryNanos;
  private final Map<String, Group> groups = new HashMap<>(); // guarded by this
  private int open; // guarded by this
  private ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024); // guarded by this
  private byte[] bytes = new byte[16 * 1024]; // guarded by this
  private boolean closed; // guarded by this

  /** Keeps up to half of the process's file descriptor limit open (see {@link #maxOpenFor}). */
  CachedFileReader() {
    this(maxOpenFor(descriptorLimit()), DEFAULT_MISSING_RETRY_NANOS);
  }

  /**
   * How many channels to keep for a process allowed {@code fdLimit} descriptors: half of them (the
   * rest stay for sockets, jars and the user's own files), at least 256 and at most {@link
   * #MAX_MAX_OPEN}; {@link #DEFAULT_MAX_OPEN} when the limit is unknown ({@code fdLimit <= 0}).
   * With this machine's 20,000 that is 10,000 channels: about 650 containers of 15 files.
   */
  static int maxOpenFor(long fdLimit) {
    if (fdLimit <= 0) {
      return DEFAULT_MAX_OPEN;
    }
    return (int) Math.max(256, Math.min(MAX_MAX_OPEN, fdLimit / 2));
  }

  /** The process's file descriptor limit, or -1 when the platform does not say. */
  private static long descriptorLimit() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  CachedFileReader(int maxOpen, long missingRetryNanos) {
    this.maxOpen = maxOpen;
    this.missingRetryNanos = missingRetryNanos;
  }

  /**
   * The file's text (US-ASCII), read now.
   *
   * @throws NoSuchFileException when the file does not exist (or did not at the last look)
   * @throws IOException when it cannot be read
   */
  synchronized String read(String owner, Path file) throws IOException {
    Group g = groups.get(owner);
    if (g != null) {
      Long since = g.missingSince.get(file);
      if (since != null) {
        if (System.nanoTime() - since < missingRetryNanos) {
          throw new MissingFileException(file.toString());
        }
        g.missingSince.remove(file);
      }
      FileChannel kept = g.channels.get(file);
      if (kept != null) {
        try {
          return readAll(kept);
        } catch (IOException e) {
          // e.g. ENODEV: the cgroup behind this channel is gone; look at the path again
          g.channels.remove(file);
          closeQuietly(kept);
          open--;
        }
      }
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      if (!closed) {
        groups.computeIfAbsent(owner, k -> new Group()).missingSince.put(file, System.nanoTime());
      }
      throw new MissingFileException(file.toString());
    }
    if (closed || open >= maxOpen) {
      try (FileChannel once = ch) {
        return readAll(once);
      }
    }
    String text;
    try {
      text = readAll(ch);
    } catch (IOException e) {
      closeQuietly(ch);
      throw e;
    }
    groups.computeIfAbsent(owner, k -> new Group()).channels.put(file, ch);
    open++;
    return text;
  }

  /**
   * Whether the file exists (it is then kept open like a read one). A file that is there but cannot
   * be read (permission, a directory) exists: only {@link NoSuchFileException} means it does not.
   */
  synchronized boolean exists(String owner, Path file) {
    try {
      read(owner, file);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Closes the owner's channels and forgets what it lacked. */
  synchronized void release(String owner) {
    Group g = groups.remove(owner);
    if (g != null) {
      for (FileChannel ch : g.channels.values()) {
        closeQuietly(ch);
        open--;
      }
    }
  }

  /** Closes the owner's channels whose path starts with {@code prefix} (e.g. an old pid's). */
  synchronized void release(String owner, Path prefix) {
    Group g = groups.get(owner);
    if (g == null) {
      return;
    }
    for (Iterator<Map.Entry<Path, FileChannel>> it = g.channels.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Path, FileChannel> e = it.next();
      if (e.getKey().startsWith(prefix)) {
        closeQuietly(e.getValue());
        open--;
        it.remove();
      }
    }
    g.missingSince.keySet().removeIf(p -> p.startsWith(prefix));
  }

  /** Channels open now. */
  synchronized int openChannels() {
    return open;
  }

  /** Channels open now for one owner. */
  synchronized int openChannels(String owner) {
    Group g = groups.get(owner);
    return g == null ? 0 : g.channels.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (String owner : groups.keySet().toArray(new String[0])) {
      release(owner);
    }
  }

  private String readAll(FileChannel ch) throws IOException {
    long pos = 0;
    int total = 0;
    while (true) {
      buffer.clear();
      int n = ch.read(buffer, pos);
      if (n <= 0) {
        break;
      }
      if (total + n > bytes.length) {
        byte[] bigger = new byte[Math.max(bytes.length * 2, total + n)];
        System.arraycopy(bytes, 0, bigger, 0, total);
        bytes = bigger;
      }
      buffer.flip();
      buffer.get(bytes, total, n);
      total += n;
      pos += n;
      if (n < SHORT_READ) {
        break;
      }
    }
    return new String(bytes, 0, total, StandardCharsets.US_ASCII);
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to do: the descriptor is released either way
    }
  }
}
