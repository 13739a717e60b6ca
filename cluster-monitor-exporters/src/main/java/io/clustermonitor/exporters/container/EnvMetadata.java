package io.clustermonitor.exporters.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * cAdvisor's {@code --env_metadata_whitelist}: environment variables of a container whose name
 * starts with a listed prefix, read from its init process ({@code <procfs>/<pid>/environ}, the pid
 * found in the container's {@code cgroup.procs}) on this host, never from the Engine API, and kept
 * in memory only for the names on the list. Nothing is read when the list is empty. Thread-safe.
 */
final class EnvMetadata {
  private final List<String> prefixes;
  private final Path cgroupRoot;
  private final Path procRoot;
  private final Map<String, Map<String, String>> cache = new ConcurrentHashMap<>();

  EnvMetadata(List<String> prefixes, Path cgroupRoot, Path procRoot) {
    this.prefixes = List.copyOf(prefixes);
    this.cgroupRoot = cgroupRoot;
    this.procRoot = procRoot;
  }

  boolean enabled() {
    return !prefixes.isEmpty();
  }

  /** Lower-cased names to values of the allowed variables (cached per container). */
  Map<String, String> of(String containerId) {
    if (prefixes.isEmpty()) {
      return Map.of();
    }
    Map<String, String> known = cache.get(containerId);
    if (known != null) {
      return known;
    }
    long pid = pid(containerId);
    if (pid <= 0) {
      return Map.of();
    }
    Map<String, String> out = new TreeMap<>();
    try {
      byte[] raw = Files.readAllBytes(procRoot.resolve(Long.toString(pid)).resolve("environ"));
      for (String kv : new String(raw, StandardCharsets.UTF_8).split("\0")) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          continue;
        }
        String name = kv.substring(0, eq);
        for (String p : prefixes) {
          if (name.startsWith(p)) {
            out.put(name.toLowerCase(java.util.Locale.ROOT), kv.substring(eq + 1));
            break;
          }
        }
      }
    } catch (IOException | SecurityException e) {
      return Map.of();
    }
    Map<String, String> result = Map.copyOf(out);
    cache.put(containerId, result);
    return result;
  }

  /** Drops containers no longer running. */
  void retain(java.util.Set<String> running) {
    cache.keySet().retainAll(running);
  }

  private long pid(String id) {
    String[] rels = {
      "cpuacct/docker/" + id,
      "cpuacct/system.slice/docker-" + id + ".scope",
      "system.slice/docker-" + id + ".scope",
      "docker/" + id
    };
    for (String rel : rels) {
      Path procs = cgroupRoot.resolve(rel).resolve("cgroup.procs");
      try {
        for (String line : Files.readAllLines(procs)) {
          if (!line.isBlank()) {
            return Long.parseLong(line.trim());
          }
        }
      } catch (IOException | NumberFormatException e) {
        // next layout
      }
    }
    return 0;
  }
}
