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
 */
public record CheckResult(CheckStatus status, String reason, Map<String, String> details) {

  /** Validates and copies. */
  public CheckResult {
    Objects.requireNonNull(status, "status");
    reason = oneLine(reason);
    details = copy(details);
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
    return new CheckResult(status, reason, m);
  }

  /** A copy with these details added. */
  public CheckResult withDetails(Map<String, String> more) {
    Map<String, String> m = new LinkedHashMap<>(details);
    m.putAll(copy(more));
    return new CheckResult(status, reason, m);
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
