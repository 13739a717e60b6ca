package io.clustermonitor.core.model;

import java.util.Locale;

/** Lifecycle state of a container, as the engine reports it. */
public enum ContainerState {
  CREATED,
  RUNNING,
  PAUSED,
  RESTARTING,
  REMOVING,
  EXITED,
  DEAD,
  /** A state this library does not know (a newer engine). */
  UNKNOWN;

  /** Parses the engine's lowercase state string; unknown or null values give {@link #UNKNOWN}. */
  public static ContainerState parse(String value) {
    if (value == null) {
      return UNKNOWN;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }

  /** The engine's spelling, e.g. {@code running}. */
  public String engineName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
