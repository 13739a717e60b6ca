package io.clustermonitor.core.internal;

import java.util.regex.Pattern;

/** Validates container ids and names before they reach an engine URL. Thread-safe. */
public final class ContainerIds {
  /** Longest accepted id or name (a full id has 64 characters). */
  public static final int MAX_LENGTH = 255;

  private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  private ContainerIds() {}

  /**
   * Checks a full or short id, or a name with or without the leading {@code /}.
   *
   * @return the value without a leading {@code /}
   * @throws IllegalArgumentException when it is null, blank, too long, or has characters that no id
   *     or name has
   */
  public static String check(String idOrName) {
    if (idOrName == null || idOrName.isBlank()) {
      throw new IllegalArgumentException("container id or name must not be blank");
    }
    String v = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
    if (v.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "container id or name is too long (" + v.length() + " > " + MAX_LENGTH + " characters)");
    }
    if (!VALID.matcher(v).matches()) {
      throw new IllegalArgumentException(
          "not a container id or name (allowed: letters, digits, '_', '.', '-'): '"
              + printable(idOrName)
              + "'");
    }
    return v;
  }

  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    StringBuilder b = new StringBuilder(cut.length());
    for (char c : cut.toCharArray()) {
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }
}
