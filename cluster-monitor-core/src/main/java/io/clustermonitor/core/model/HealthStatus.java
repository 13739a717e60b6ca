package io.clustermonitor.core.model;

import java.util.Locale;

/** Result of a container's {@code HEALTHCHECK}. */
public enum HealthStatus {
  STARTING,
  HEALTHY,
  UNHEALTHY,
  /** The container has no health check. */
  NONE;

  /** Parses the engine's health string ({@code healthy}, ...); null, empty or unknown give NONE. */
  public static HealthStatus parse(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return NONE;
    }
  }

  /** The engine's spelling, e.g. {@code healthy}; {@code none} for NONE. */
  public String engineName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
