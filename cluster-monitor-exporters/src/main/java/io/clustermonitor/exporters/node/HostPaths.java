package io.clustermonitor.exporters.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The procfs, sysfs and rootfs roots, and file reading helpers. */
record HostPaths(Path procfs, Path sysfs, Path rootfs) {

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

  static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  /**
   * The trimmed content of a small file. Read with large buffers rather than {@code
   * Files.readString}: procfs and sysfs report size 0, and for a size-0 file the JDK first reads a
   * single byte; sysctl files under /proc/sys answer a read at offset 1 with EOF, so {@code
   * readString} returned "2" for a {@code nf_conntrack_max} of 262144.
   */
  static String text(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      byte[] buf = new byte[16384];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      return out.toString(StandardCharsets.UTF_8).trim();
    }
  }
}
