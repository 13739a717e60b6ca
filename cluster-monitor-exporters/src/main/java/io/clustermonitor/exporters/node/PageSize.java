package io.clustermonitor.exporters.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel page size (Go's os.Getpagesize()), read once from /proc/self/smaps. */
final class PageSize {
  private static volatile long cached;

  private PageSize() {}

  static long get() {
    long v = cached;
    if (v == 0) {
      v = read(Path.of("/proc/self/smaps"));
      cached = v;
    }
    return v;
  }

  /** The first {@code KernelPageSize:} of an smaps file in bytes, 4096 when unreadable. */
  static long read(Path smaps) {
    try (var lines = Files.lines(smaps, StandardCharsets.UTF_8)) {
      return lines
          .filter(l -> l.startsWith("KernelPageSize:"))
          .findFirst()
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
          .orElse(4096L);
    } catch (IOException | RuntimeException e) {
      return 4096;
    }
  }
}
