package io.clustermonitor.examples.api;

import io.clustermonitor.core.model.ContainerSummary;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validation and resolution of the {@code {id}} path segment: a full or short hex id, or a
 * container name (Docker's own name rule, optional leading {@code /}).
 */
final class ContainerRef {
  /** Docker's name rule ({@code validContainerNamePattern}); hex ids match it too. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,64}");

  /** Longer than any id (64) and any name the API answers for. */
  static final int MAX_LENGTH = 128;

  private ContainerRef() {}

  /**
   * Checks a decoded path segment.
   *
   * @return the reference without a leading {@code /}
   * @throws ApiException 400 when it is empty, too long or has characters no id or name has
   */
  static String validate(String ref) {
    String r = ref.startsWith("/") ? ref.substring(1) : ref;
    if (r.isEmpty()) {
      throw invalid("Container id or name must not be empty");
    }
    if (r.length() > MAX_LENGTH) {
      throw invalid("Container id or name is longer than " + MAX_LENGTH + " characters");
    }
    if (!NAME.matcher(r).matches()) {
      throw invalid(
          "Container id or name may only hold letters, digits, '_', '.' and '-' and must start"
              + " with a letter or digit");
    }
    return r;
  }

  /**
   * Finds the container among {@code containers}: exact id, exact name, then a unique id prefix (as
   * the engine resolves them).
   *
   * @throws ApiException 404 when nothing matches, 400 when a prefix matches several containers
   */
  static ContainerSummary resolve(String ref, List<ContainerSummary> containers) {
    for (ContainerSummary c : containers) {
      if (c.id().equals(ref)) {
        return c;
      }
    }
    for (ContainerSummary c : containers) {
      if (c.name().equals(ref)) {
        return c;
      }
    }
    if (HEX.matcher(ref).matches()) {
      ContainerSummary found = null;
      for (ContainerSummary c : containers) {
        if (c.id().startsWith(ref)) {
          if (found != null) {
            throw new ApiException(
                400, "ambiguous_id", "Id prefix '" + ref + "' matches more than one container");
          }
          found = c;
        }
      }
      if (found != null) {
        return found;
      }
    }
    throw new ApiException(404, "not_found", "No such container: " + ref);
  }

  private static ApiException invalid(String message) {
    return new ApiException(400, "invalid_id", message);
  }
}
