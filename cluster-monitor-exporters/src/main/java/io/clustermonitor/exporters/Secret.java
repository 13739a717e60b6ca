package io.clustermonitor.exporters;

import java.util.Objects;

/**
 * A secret value (a password or token) that never shows itself: {@link #toString()} is {@code
 * "******"}, {@link #equals} is identity (two secrets are equal only when they are the same object,
 * so no comparison ever depends on the value) and {@link #hashCode()} is the identity hash. Only
 * {@link #reveal()} returns the value, for the code that hands it to a driver.
 *
 * <pre>{@code
 * Secret pw = Secret.of(Files.readString(Path.of("/run/secrets/pg")).strip());
 * DataSource db = DataSource.parse("postgresql://monitor@db:5432/app").withPassword(pw);
 * }</pre>
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a value.
   *
   * @param value the secret itself
   * @return the wrapper
   * @throws NullPointerException for a null value
   */
  public static Secret of(String value) {
    return new Secret(Objects.requireNonNull(value, "secret value"));
  }

  /**
   * The value itself; do not log it.
   *
   * @return the secret value
   */
  public String reveal() {
    return value;
  }

  /**
   * Whether the value is the empty string.
   *
   * @return whether the value is empty
   */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  /**
   * Always {@code "******"}, whatever the value.
   *
   * @return {@code "******"}
   */
  @Override
  public String toString() {
    return "******";
  }

  /** Identity: never compares the value. */
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  /** The identity hash: never derived from the value. */
  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
