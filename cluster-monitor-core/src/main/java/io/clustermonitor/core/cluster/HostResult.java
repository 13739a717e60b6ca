package io.clustermonitor.core.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of one host to a {@link ClusterMonitor} query: a value or an error, never both.
 *
 * @param host the host's name (see {@code DockerEndpoint#name})
 * @param value the answer, or {@code null} when the host failed
 * @param error why the host failed ("" on success)
 * @param took how long the host took (the timeout when it timed out)
 */
public record HostResult<T>(String host, T value, String error, Duration took) {

  /** Validates. */
  public HostResult {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(took, "took");
    error = error == null ? "" : error;
    if (value == null && error.isEmpty()) {
      throw new IllegalArgumentException("a host result needs a value or an error");
    }
  }

  /** A successful answer. */
  public static <T> HostResult<T> ok(String host, T value, Duration took) {
    return new HostResult<>(host, Objects.requireNonNull(value, "value"), "", took);
  }

  /** A failed answer. */
  public static <T> HostResult<T> failed(String host, String error, Duration took) {
    if (error == null || error.isBlank()) {
      throw new IllegalArgumentException("error must not be blank");
    }
    return new HostResult<>(host, null, error, took);
  }

  /** Whether the host answered. */
  public boolean ok() {
    return value != null;
  }

  /** The value, or empty when the host failed. */
  public Optional<T> valueIfOk() {
    return Optional.ofNullable(value);
  }
}
