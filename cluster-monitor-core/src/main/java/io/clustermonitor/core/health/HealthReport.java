package io.clustermonitor.core.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The results of one run of a {@link HealthSuite}, in registration order. Renders as an aligned
 * text table ({@link #toTable()}) and as JSON ({@link #toJson()}):
 *
 * <pre>
 * CHECK   STATUS    TIME   REASON
 * engine  UP        4ms    Docker 20.10.24, API 1.41
 * web     DOWN      2.0s   timed out after 2s
 * </pre>
 *
 * @param checkedAt when the run started
 * @param elapsed how long the whole run took
 * @param checks one row per check, unmodifiable
 */
public record HealthReport(Instant checkedAt, Duration elapsed, List<CheckReport> checks) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Validates and copies. */
  public HealthReport {
    Objects.requireNonNull(checkedAt, "checkedAt");
    Objects.requireNonNull(elapsed, "elapsed");
    checks = List.copyOf(checks);
  }

  /** The worst status of all checks ({@link CheckStatus#UP} when there are none). */
  public CheckStatus status() {
    CheckStatus s = CheckStatus.UP;
    for (CheckReport c : checks) {
      s = s.worst(c.status());
    }
    return s;
  }

  /** Whether every check is {@link CheckStatus#UP}. */
  public boolean healthy() {
    return status() == CheckStatus.UP;
  }

  /** The checks that are not UP. */
  public List<CheckReport> failing() {
    return checks.stream().filter(c -> !c.up()).toList();
  }

  /** The row for a check name. */
  public java.util.Optional<CheckReport> check(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** All rows as an aligned table with the columns CHECK, STATUS, TIME and REASON. */
  public String toTable() {
    return table(checks);
  }

  /** The failing rows only, as a table; empty string when all are UP. */
  public String failingTable() {
    List<CheckReport> f = failing();
    return f.isEmpty() ? "" : table(f);
  }

  /**
   * The report as a JSON object: {@code status}, {@code healthy}, {@code checkedAt}, {@code
   * elapsedMillis} and {@code checks} (each with {@code name}, {@code status}, {@code reason},
   * {@code elapsedMillis}, {@code details}).
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("status", status().name());
    root.put("healthy", healthy());
    root.put("checkedAt", checkedAt.toString());
    root.put("elapsedMillis", elapsed.toMillis());
    var array = root.putArray("checks");
    for (CheckReport c : checks) {
      ObjectNode n = array.addObject();
      n.put("name", c.name());
      n.put("status", c.status().name());
      n.put("reason", c.reason());
      n.put("elapsedMillis", c.elapsed().toMillis());
      ObjectNode d = n.putObject("details");
      c.details().forEach(d::put);
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Same as {@link #toTable()}. */
  @Override
  public String toString() {
    return toTable();
  }

  private static String table(List<CheckReport> rows) {
    String[] header = {"CHECK", "STATUS", "TIME", "REASON"};
    int[] width = new int[3];
    for (int i = 0; i < 3; i++) {
      width[i] = header[i].length();
    }
    for (CheckReport r : rows) {
      width[0] = Math.max(width[0], r.name().length());
      width[1] = Math.max(width[1], r.status().name().length());
      width[2] = Math.max(width[2], formatElapsed(r.elapsed()).length());
    }
    StringBuilder sb = new StringBuilder();
    row(sb, width, header);
    for (CheckReport r : rows) {
      row(
          sb,
          width,
          new String[] {r.name(), r.status().name(), formatElapsed(r.elapsed()), r.reason()});
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, int[] width, String[] cells) {
    for (int i = 0; i < 3; i++) {
      sb.append(cells[i]).append(" ".repeat(width[i] - cells[i].length() + 2));
    }
    sb.append(cells[3]).append('\n');
  }

  /** {@code 12ms} below a second, {@code 1.5s} above. */
  static String formatElapsed(Duration d) {
    long ms = d.toMillis();
    return ms < 1000 ? ms + "ms" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
  }

  /** {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 2m}, {@code 1m30s}. */
  static String formatDuration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms % 1000 != 0) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 60) {
      return s + "s";
    }
    return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
  }
}
