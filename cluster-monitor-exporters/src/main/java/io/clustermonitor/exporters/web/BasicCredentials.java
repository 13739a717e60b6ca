package io.clustermonitor.exporters.web;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The user and password of an HTTP {@code Authorization: Basic} header (RFC 7617), parsed in one
 * place for every server of the project (the exporters and the REST API): a guard calls {@link
 * #verify} with the request's {@code Authorization} header and its {@link BasicAuthenticator}.
 *
 * @param user the user name (never empty)
 * @param password the password (may be empty; may hold {@code ':'})
 */
public record BasicCredentials(String user, String password) {

  private static final String SCHEME = "Basic ";

  /**
   * Checks the parts.
   *
   * @throws IllegalArgumentException when the user is empty or holds {@code ':'}
   */
  public BasicCredentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isEmpty() || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("basic auth user must be non-empty and without ':'");
    }
  }

  /**
   * Parses an {@code Authorization} header value: scheme {@code Basic} (any case), then the base64
   * of {@code user:password} in UTF-8, split at the first {@code ':'}.
   *
   * @param header the header value, or {@code null} when the request has none
   * @return the credentials, or empty when there is no header, another scheme, invalid base64, no
   *     {@code ':'} or an empty user
   */
  public static Optional<BasicCredentials> parse(String header) {
    if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              java.util.Base64.getDecoder().decode(header.substring(SCHEME.length()).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }

  /**
   * Whether {@code header} carries basic credentials that {@code users} accepts. A header that does
   * not {@link #parse} and an authenticator that throws both count as a refusal.
   *
   * @param header the {@code Authorization} header value, or {@code null}
   * @param users the authenticator to ask
   * @return whether the request is authenticated
   */
  public static boolean verify(String header, BasicAuthenticator users) {
    Objects.requireNonNull(users, "users");
    Optional<BasicCredentials> c = parse(header);
    if (c.isEmpty()) {
      return false;
    }
    try {
      return users.check(c.get().user(), c.get().password());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Hides the password. */
  @Override
  public String toString() {
    return "BasicCredentials[user=" + user + ", password=***]";
  }
}
