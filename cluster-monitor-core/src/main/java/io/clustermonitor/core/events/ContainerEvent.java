package io.clustermonitor.core.events;

import io.clustermonitor.core.model.HealthStatus;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One container event from the engine's {@code /events} stream.
 *
 * <pre>{@code
 * registry.addListener(
 *     e -> {
 *       if (e.action() == ContainerEvent.Action.OOM) {
 *         System.out.println(e.name() + " ran out of memory");
 *       }
 *     });
 * }</pre>
 *
 * @param containerId full container id
 * @param action what happened
 * @param rawAction the engine's spelling, e.g. {@code health_status: healthy}
 * @param name the container's name at the time of the event (the new name for a rename)
 * @param attributes the actor attributes (labels, {@code exitCode}, {@code oldName}, ...)
 * @param time when the engine emitted the event
 */
public record ContainerEvent(
    String containerId,
    Action action,
    String rawAction,
    String name,
    Map<String, String> attributes,
    Instant time) {

  /** Validates and copies the attributes. */
  public ContainerEvent {
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(time, "time");
    rawAction = rawAction == null ? action.engineName() : rawAction;
    name = name == null ? "" : name;
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** The health status of a {@link Action#HEALTH_STATUS} event, {@link HealthStatus#NONE} else. */
  public HealthStatus healthStatus() {
    if (action != Action.HEALTH_STATUS) {
      return HealthStatus.NONE;
    }
    int colon = rawAction.indexOf(':');
    return colon < 0 ? HealthStatus.NONE : HealthStatus.parse(rawAction.substring(colon + 1));
  }

  /** Container event kinds this library reacts to; everything else is {@link #OTHER}. */
  public enum Action {
    CREATE,
    START,
    RESTART,
    DIE,
    KILL,
    STOP,
    DESTROY,
    RENAME,
    PAUSE,
    UNPAUSE,
    UPDATE,
    HEALTH_STATUS,
    OOM,
    OTHER;

    /**
     * Parses the engine's action ({@code start}, {@code health_status: healthy}, {@code exec_start:
     * sh}); unknown or null give {@link #OTHER}.
     */
    public static Action parse(String raw) {
      if (raw == null || raw.isBlank()) {
        return OTHER;
      }
      String head = raw.trim();
      int colon = head.indexOf(':');
      if (colon >= 0) {
        head = head.substring(0, colon);
      }
      try {
        return valueOf(head.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return OTHER;
      }
    }

    /** The engine's spelling, e.g. {@code health_status}. */
    public String engineName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
