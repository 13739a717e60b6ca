package io.clustermonitor.exporters.container;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * cAdvisor 0.47's metric kinds and its {@code --disable_metrics} / {@code --enable_metrics}
 * semantics.
 *
 * <ul>
 *   <li>Without either flag the kinds in {@link #DEFAULT_DISABLED} are off and all others on.
 *   <li>{@code --disable_metrics=a,b} <em>replaces</em> the default list: only {@code a} and {@code
 *       b} are off, so {@code --disable_metrics=percpu} turns the default-disabled kinds (tcp, udp,
 *       process, ...) on.
 *   <li>{@code --enable_metrics=a,b}, when non-empty, wins: exactly {@code a} and {@code b} are on.
 *   <li>An unknown kind is an error, as in cAdvisor.
 * </ul>
 *
 * <p>Kinds this exporter has no data for ({@link #UNSUPPORTED}) are accepted and emit nothing.
 */
public final class MetricKinds {
  /** Every kind cAdvisor 0.47 knows. */
  public static final Set<String> ALL =
      Set.copyOf(
          List.of(
              "cpu",
              "percpu",
              "memory",
              "memory_numa",
              "cpuLoad",
              "diskIO",
              "disk",
              "network",
              "tcp",
              "advtcp",
              "udp",
              "sched",
              "process",
              "hugetlb",
              "referenced_memory",
              "cpu_topology",
              "resctrl",
              "cpuset",
              "app",
              "perf_event",
              "oom_event"));

  /** Off unless asked for (cAdvisor 0.47 {@code cmd/cadvisor.go}). */
  public static final Set<String> DEFAULT_DISABLED =
      Set.of(
          "memory_numa",
          "tcp",
          "udp",
          "advtcp",
          "sched",
          "process",
          "hugetlb",
          "referenced_memory",
          "cpu_topology",
          "resctrl",
          "cpuset");

  /** Kinds accepted for compatibility that yield no series here (no data source for them). */
  public static final Set<String> UNSUPPORTED =
      Set.of(
          "memory_numa",
          "tcp",
          "udp",
          "advtcp",
          "sched",
          "hugetlb",
          "referenced_memory",
          "cpu_topology",
          "resctrl",
          "cpuset",
          "app",
          "perf_event");

  private MetricKinds() {}

  /** The kinds on by default. */
  public static Set<String> defaults() {
    return resolve(null, null);
  }

  /**
   * The enabled kinds for the two flags' values (null or empty = flag not given).
   *
   * @throws IllegalArgumentException on an unknown kind
   */
  public static Set<String> resolve(Collection<String> disable, Collection<String> enable) {
    Set<String> on = new TreeSet<>();
    List<String> en = clean(enable);
    if (!en.isEmpty()) {
      on.addAll(en);
      return Set.copyOf(on);
    }
    List<String> dis = disable == null ? null : clean(disable);
    Set<String> off = dis == null ? DEFAULT_DISABLED : Set.copyOf(dis);
    for (String k : ALL) {
      if (!off.contains(k)) {
        on.add(k);
      }
    }
    return Set.copyOf(on);
  }

  private static List<String> clean(Collection<String> kinds) {
    if (kinds == null) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String k : kinds) {
      String t = k == null ? "" : k.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (!ALL.contains(t)) {
        throw new IllegalArgumentException(
            "unsupported metric \"" + t + "\" specified; known kinds: " + new TreeSet<>(ALL));
      }
      out.add(t);
    }
    return List.copyOf(out);
  }
}
