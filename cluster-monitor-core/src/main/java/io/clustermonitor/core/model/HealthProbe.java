package io.clustermonitor.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One run of a container's health check as the engine recorded it ({@code State.Health.Log} of
 * {@code docker inspect}; the engine keeps the last five).
 *
 * @param start when the probe started, {@code null} if the engine did not say
 * @param end when it ended, {@code null} if the engine did not say
 * @param exitCode the probe's exit code: 0 healthy, 1 unhealthy, anything else an error
 * @param output what the probe printed, cut to {@link #MAX_OUTPUT} characters. It is the
 *     container's own output (as {@code docker inspect} shows it), so a probe that prints secrets
 *     shows them here.
 */
public record HealthProbe(Instant start, Instant end, long exitCode, String output) {
  /** The most characters of probe output kept. */
  public static final int MAX_OUTPUT = 1024;

  /** Cuts the output to {@link #MAX_OUTPUT} characters. */
  public HealthProbe {
    output = Objects.requireNonNullElse(output, "");
    if (output.length() > MAX_OUTPUT) {
      output = output.substring(0, MAX_OUTPUT);
    }
  }
}
