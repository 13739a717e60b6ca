package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** {@code node_vmstat_<field>} (untyped) for the /proc/vmstat fields matching a pattern. */
final class VmstatCollector implements SubCollector {
  private final HostPaths paths;
  private final Pattern fields;

  VmstatCollector(HostPaths paths, Pattern fields) {
    this.paths = paths;
    this.fields = fields;
  }

  @Override
  public String name() {
    return "vmstat";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    for (String line : HostPaths.lines(paths.proc("vmstat"))) {
      // line.trim().split("\\s+") must give exactly two fields
      String t = line.trim();
      int end = 0;
      while (end < t.length() && !space(t.charAt(end))) {
        end++;
      }
      if (end == t.length()) {
        continue; // one field
      }
      int from = end;
      while (space(t.charAt(from))) {
        from++;
      }
      int to = from;
      while (to < t.length() && !space(t.charAt(to))) {
        to++;
      }
      if (to != t.length()) {
        continue; // three or more fields
      }
      String name = t.substring(0, end);
      if (selected.size() > MAX_CACHED) {
        selected.clear();
      }
      Object f = selected.computeIfAbsent(name, this::field);
      if (f == NONE) {
        continue;
      }
      String[] family = (String[]) f;
      out.add(
          MetricFamily.builder(family[0], MetricType.UNTYPED)
              .help(family[1])
              .sample(Double.parseDouble(t.substring(from)))
              .build());
    }
  }

  /**
   * Family name and help of each /proc/vmstat name matching {@code fields}, or {@link #NONE}: the
   * kernel's field set is fixed, so each name is matched once.
   */
  private final Map<String, Object> selected = new ConcurrentHashMap<>();

  private static final Object NONE = new Object();

  /** Bound of {@link #selected}: never reached with real kernel files. */
  private static final int MAX_CACHED = 10_000;

  private Object field(String name) {
    if (!fields.matcher(name).find()) {
      return NONE;
    }
    return new String[] {"node_vmstat_" + name, "/proc/vmstat information field " + name + "."};
  }

  /** {@code \\s} of java.util.regex. */
  private static boolean space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }
}
