package io.clustermonitor.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One container as listed by the engine.
 *
 * @param id full 64-hex id
 * @param name name without the leading {@code /}
 * @param image image reference as given at creation (e.g. {@code redis:7})
 * @param state lifecycle state
 * @param health health-check status ({@link HealthStatus#NONE} without a health check)
 * @param createdAt creation time
 * @param startedAt last start time, or {@code null} when never started
 * @param finishedAt last stop time, or {@code null} when it never stopped
 * @param exitCode exit code of the last stop (0 while running or never stopped)
 * @param oomKilled whether the last stop was an OOM kill
 * @param restartCount restarts done by the engine's restart policy
 * @param labels all labels, unmodifiable
 * @param limits resource limits
 * @param host the engine's name ({@code local} for a unix socket; see {@code DockerEndpoint#name})
 */
public record ContainerSummary(
    String id,
    String name,
    String image,
    ContainerState state,
    HealthStatus health,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    int exitCode,
    boolean oomKilled,
    int restartCount,
    Map<String, String> labels,
    ResourceLimits limits,
    String host) {

  /** Compose label naming the project. */
  public static final String COMPOSE_PROJECT_LABEL = "com.docker.compose.project";

  /** Compose label naming the service. */
  public static final String COMPOSE_SERVICE_LABEL = "com.docker.compose.service";

  /** Validates and copies the labels. */
  public ContainerSummary {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(health, "health");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    limits = limits == null ? ResourceLimits.NONE : limits;
    image = image == null ? "" : image;
    host = host == null ? "local" : host;
  }

  /** The first 12 characters of the id, as {@code docker ps} shows it. */
  public String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  /** The compose project, or {@code null} when not started by compose. */
  public String composeProject() {
    return labels.get(COMPOSE_PROJECT_LABEL);
  }

  /** The compose service, or {@code null} when not started by compose. */
  public String composeService() {
    return labels.get(COMPOSE_SERVICE_LABEL);
  }

  /** Whether the container is running (paused containers are not). */
  public boolean running() {
    return state == ContainerState.RUNNING;
  }
}
