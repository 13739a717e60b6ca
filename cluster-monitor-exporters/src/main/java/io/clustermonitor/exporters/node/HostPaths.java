package io.clustermonitor.exporters.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The procfs, sysfs, rootfs and udev roots, and file reading helpers. */
record HostPaths(Path procfs, Path sysfs, Path rootfs, Path udevData) {

  HostPaths(Path procfs, Path sysfs, Path rootfs) {
    this(procfs, sysfs, rootfs, Path.of("/run/udev/data"));
  }

  Path proc(String relative) {
    return procfs.resolve(relative);
  }

  Path sys(String relative) {
    return sysfs.resolve(relative);
  }

  /** The path of a host mount point under the rootfs ({@code rootfsFilePath}). */
  Path rootfsFile(String mountPoint) {
    String rel = mountPoint.startsWith("/") ? mountPoint.substring(1) : mountPoint;
    return rel.isEmpty() ? rootfs : rootfs.resolve(rel);
  }

  /** Strips the rootfs prefix from a mount point, as node_exporter's {@code rootfsStripPrefix}. */
  String stripRootfs(String mountPoint) {
    String root = rootfs.toString();
    if (root.equals("/")) {
      return mountPoint;
    }
    if (root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    if (mountPoint.equals(root)) {
      return "/";
    }
    if (mountPoint.startsWith(root + "/")) {
      return mountPoint.substring(root.length());
    }
    return mountPoint;
  }

  /**
   * The lines of a file, as {@code Files.readAllLines(file, UTF_8)} returns them (split at {@code
   * \n}, {@code \r} and {@code \r\n}; malformed UTF-8 is an error), read with {@link #bytes}.
   */
  static List<String> lines(Path file) throws IOException {
    Content c = bytes(file);
    byte[] b = c.data;
    int n = c.length;
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      if (b[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      String all = STRICT_UTF_8.get().decode(ByteBuffer.wrap(b, 0, n)).toString();
      List<String> out = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < all.length(); i++) {
        char ch = all.charAt(i);
        if (ch == '\n' || ch == '\r') {
          out.add(all.substring(start, i));
          if (ch == '\r' && i + 1 < all.length() && all.charAt(i + 1) == '\n') {
            i++;
          }
          start = i + 1;
        }
      }
      if (start < all.length()) {
        out.add(all.substring(start));
      }
      return out;
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      byte ch = b[i];
      if (ch == '\n' || ch == '\r') {
        out.add(new String(b, start, i - start, StandardCharsets.ISO_8859_1));
        if (ch == '\r' && i + 1 < n && b[i + 1] == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < n) {
      out.add(new String(b, start, n - start, StandardCharsets.ISO_8859_1));
    }
    return out;
  }

  /** A strict UTF-8 decoder per thread (decoders are not thread-safe). */
  private static final ThreadLocal<CharsetDecoder> STRICT_UTF_8 =
      ThreadLocal.withInitial(
          () ->
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT));

  /** The largest read buffer kept per thread between reads. */
  private static final int KEEP = 64 * 1024;

  /** Per-thread read buffer (procfs and sysfs files are small; reused across reads). */
  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(16 * 1024));

  /** A file's bytes in {@code data[0, length)}; {@code data} may be a reused per-thread buffer. */
  private record Content(byte[] data, int length) {}

  /**
   * Reads a whole file through one channel into a per-thread buffer, without the 8 KiB buffers and
   * copies of {@code InputStream.readAllBytes} or {@code BufferedReader}: the first read asks for
   * 16 KiB at offset 0 (see {@link #text}), then reads until EOF, growing the buffer as needed.
   * Errors are the NIO ones ({@code NoSuchFileException}, {@code AccessDeniedException}, ...). The
   * returned array is only valid until the thread's next read.
   */
  private static Content bytes(Path file) throws IOException {
    ByteBuffer buf = BUFFER.get();
    buf.clear();
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      while (true) {
        if (!buf.hasRemaining()) {
          ByteBuffer bigger = ByteBuffer.allocate(buf.capacity() * 2);
          buf.flip();
          bigger.put(buf);
          buf = bigger;
        }
        if (ch.read(buf) < 0) {
          break;
        }
      }
    }
    if (buf.capacity() <= KEEP) {
      BUFFER.set(buf);
    }
    return new Content(buf.array(), buf.position());
  }

  /**
   * The trimmed content of a file, read with {@link #bytes}, whose first read asks for 16 KiB at
   * offset 0. Not {@code Files.readString}: procfs and sysfs files report size 0, for which the JDK
   * reads a single byte first, and sysctl files under /proc/sys answer the next read (offset 1)
   * with EOF, so {@code readString} returned "2" for an {@code entropy_avail} of 256 and for an
   * {@code nf_conntrack_max} of 262144 on this kernel.
   */
  static String text(Path file) throws IOException {
    Content c = bytes(file);
    int start = 0;
    int end = c.length;
    byte[] b = c.data;
    while (start < end && (b[start] & 0xff) <= ' ') {
      start++;
    }
    while (end > start && (b[end - 1] & 0xff) <= ' ') {
      end--;
    }
    return new String(b, start, end - start, StandardCharsets.UTF_8);
  }

  /** The trimmed content of a file, or {@code null} if it is missing or unreadable. */
  static String textOrNull(Path file) {
    try {
      return text(file);
    } catch (IOException e) {
      return null;
    }
  }

  /** A file's value as a number, or {@code null} when missing, unreadable or not a number. */
  static Double numberOrNull(Path file) {
    String s = textOrNull(file);
    if (s == null) {
      return null;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The entries of {@code dir} whose names start with {@code prefix}, sorted by name; empty when
   * the directory does not exist.
   */
  static List<Path> list(Path dir, String prefix) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (p.getFileName().toString().startsWith(prefix)) {
          out.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    out.sort(null);
    return out;
  }
}
