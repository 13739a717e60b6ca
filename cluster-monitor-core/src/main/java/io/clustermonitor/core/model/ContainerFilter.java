package io.clustermonitor.core.model;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which containers a listing returns. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * ContainerFilter web =
 *     ContainerFilter.builder()
 *         .namePattern("web-.*")
 *         .label("tier", "frontend")
 *         .composeProject("shop")
 *         .build();
 * }</pre>
 *
 * <p>Without states only running containers match (like {@code docker ps}); {@link #ALL} matches
 * every state (like {@code docker ps -a}).
 */
public final class ContainerFilter {
  /** Running containers only. */
  public static final ContainerFilter RUNNING = builder().build();

  /** Containers in every state. */
  public static final ContainerFilter ALL = builder().allStates().build();

  private final Set<ContainerState> states;
  private final Pattern namePattern;
  private final Map<String, String> labels;

  private ContainerFilter(Builder b) {
    this.states =
        b.states.isEmpty() ? EnumSet.of(ContainerState.RUNNING) : EnumSet.copyOf(b.states);
    this.namePattern = b.namePattern;
    this.labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** States that match. */
  public Set<ContainerState> states() {
    return EnumSet.copyOf(states);
  }

  /** Name regex (full match), or {@code null}. */
  public Pattern namePattern() {
    return namePattern;
  }

  /** Required labels; a {@code null} value means "key present, any value". */
  public Map<String, String> labels() {
    return labels;
  }

  /** Whether every state matches. */
  public boolean allStates() {
    return states.size() == ContainerState.values().length;
  }

  /** Whether the container matches all criteria. */
  public boolean matches(ContainerSummary c) {
    if (!states.contains(c.state())) {
      return false;
    }
    if (namePattern != null && !namePattern.matcher(c.name()).matches()) {
      return false;
    }
    for (Map.Entry<String, String> l : labels.entrySet()) {
      String v = c.labels().get(l.getKey());
      if (v == null || (l.getValue() != null && !l.getValue().equals(v))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "ContainerFilter{states="
        + states
        + ", name="
        + namePattern
        + ", labels="
        + labels
        + "}";
  }

  /** Builder for {@link ContainerFilter}; not thread-safe. */
  public static final class Builder {
    private final Set<ContainerState> states = EnumSet.noneOf(ContainerState.class);
    private Pattern namePattern;
    private final Map<String, String> labels = new LinkedHashMap<>();

    private Builder() {}

    /** Adds states that match. */
    public Builder states(ContainerState... wanted) {
      for (ContainerState s : wanted) {
        states.add(Objects.requireNonNull(s, "state"));
      }
      return this;
    }

    /** Matches every state. */
    public Builder allStates() {
      states.addAll(EnumSet.allOf(ContainerState.class));
      return this;
    }

    /**
     * Names must fully match this regex.
     *
     * @throws IllegalArgumentException when the regex is invalid
     */
    public Builder namePattern(String regex) {
      try {
        this.namePattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "Invalid name pattern '" + regex + "': " + e.getDescription(), e);
      }
      return this;
    }

    /** Requires label {@code key} with {@code value} ({@code null}: any value). */
    public Builder label(String key, String value) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("label key must not be blank");
      }
      labels.put(key, value);
      return this;
    }

    /** Requires label {@code key} with any value. */
    public Builder label(String key) {
      return label(key, null);
    }

    /** Requires the compose project. */
    public Builder composeProject(String project) {
      return label(
          ContainerSummary.COMPOSE_PROJECT_LABEL, Objects.requireNonNull(project, "project"));
    }

    /** Builds the filter. */
    public ContainerFilter build() {
      return new ContainerFilter(this);
    }
  }
}
