package io.clustermonitor.core.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one run of a {@link HealthCheck} found: a status, a one-line reason and optional details
 * (for example one entry per container or per Prometheus target), in insertion order.
 *
 * <pre>{@code
 * CheckResult r = CheckResult.down("connection refused").withDetail("url", "http://127.0.0.1:1/");
 * }</pre>
 *
 * @param status the outcome
 * @param reason a single line saying why; line breaks are replaced by spaces
 * @param details extra facts, unmodifiable, never {@code null}
 * @param terminal DOWN for good: waiting cannot make it UP (a container that exited or was
 *     removed); {@link HealthSuite#waitUntilHealthy} gives up at once on such a result
 */
public record CheckResult(
    CheckStatus status, String reason, Map<String, String> details, boolean terminal) {

  /** Validates and copies; only a DOWN result can be terminal. */
  public CheckResult {
    Objects.requireNonNull(status, "status");
    reason = oneLine(reason);
    details = copy(details);
    terminal = terminal && status == CheckStatus.DOWN;
  }

  /** A result that is not terminal. */
  public CheckResult(CheckStatus status, String reason, Map<String, String> details) {
    this(status, reason, details, false);
  }

  /**
   * A DOWN result that waiting cannot change (the awaited container exited or was removed): {@link
   * HealthSuite#waitUntilHealthy} fails at once instead of waiting out its timeout.
   */
  public static CheckResult failed(String reason) {
    return new CheckResult(CheckStatus.DOWN, reason, Map.of(), true);
  }

  /** An UP result. */
  public static CheckResult up(String reason) {
    return new CheckResult(CheckStatus.UP, reason, Map.of());
  }

  /** A DEGRADED result. */
  public static CheckResult degraded(String reason) {
    return new CheckResult(CheckStatus.DEGRADED, reason, Map.of());
  }

  /** A DOWN result. */
  public static CheckResult down(String reason) {
    return new CheckResult(CheckStatus.DOWN, reason, Map.of());
  }

  /** A copy with one more detail ({@code String.valueOf(value)}). */
  public CheckResult withDetail(String key, Object value) {
    Map<String, String> m = new LinkedHashMap<>(details);
    m.put(Objects.requireNonNull(key, "key"), String.valueOf(value));
    return new CheckResult(status, reason, m, terminal);
  }

  /** A copy with these details added. */
  public CheckResult withDetails(Map<String, String> more) {
    Map<String, String> m = new LinkedHashMap<>(details);
    m.putAll(copy(more));
    return new CheckResult(status, reason, m, terminal);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static Map<String, String> copy(Map<String, String> m) {
    if (m == null || m.isEmpty()) {
      return Map.of();
    }
    Map<String, String> c = new LinkedHashMap<>();
    m.forEach(
        (k, v) -> c.put(Objects.requireNonNull(k, "detail key"), v == null ? "" : oneLine(v)));
    return Collections.unmodifiableMap(c);
  }
}
