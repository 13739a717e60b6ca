package io.clustermonitor.core.health;

/** Outcome of one check, from best to worst. */
public enum CheckStatus {
  /** Everything the check looks at is fine. */
  UP,
  /** Not failed, not ready either: a container still starting, a target not scraped yet. */
  DEGRADED,
  /** The check failed. */
  DOWN;

  /** The worse of this status and {@code other}. */
  public CheckStatus worst(CheckStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
