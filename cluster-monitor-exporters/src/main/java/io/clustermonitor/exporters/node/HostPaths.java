package io.clustermonitor.exporters.node;

import java.io.IOException;
import java.io.InputStream;
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

  static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  /**
   * The trimmed content of a file, read through a stream whose first read asks for 16 KiB at offset
   * 0. Not {@code Files.readString}: procfs and sysfs files report size 0, for which the JDK reads
   * a single byte first, and sysctl files under /proc/sys answer the next read (offset 1) with EOF,
   * so {@code readString} returned "2" for an {@code entropy_avail} of 256 and for an {@code
   * nf_conntrack_max} of 262144 on this kernel.
   */
  static String text(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
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
