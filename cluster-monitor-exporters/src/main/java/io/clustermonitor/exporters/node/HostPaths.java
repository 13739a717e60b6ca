package io.clustermonitor.exporters.node;

import java.io.IOException;
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

  static String text(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }
}
