package io.clustermonitor.exporters;

import io.clustermonitor.exporters.web.BasicAuthenticator;
import io.clustermonitor.exporters.web.BasicCredentials;
import io.clustermonitor.exporters.web.WebHandler;
import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Predicate;

/** Authentication in front of a {@link WebHandler}; credentials compared in constant time. */
final class Auth {
  /** The realm of every challenge. */
  public static final String REALM = "cluster-monitor";

  private Auth() {}

  /** HTTP basic authentication with one user. */
  public static BasicAuthenticator basic(String user, String password) {
    byte[] u = sha256(user);
    byte[] p = sha256(password);
    return (username, pw) -> {
      boolean userOk = MessageDigest.isEqual(u, sha256(username));
      boolean passOk = MessageDigest.isEqual(p, sha256(pw));
      return userOk & passOk;
    };
  }

  /** Requires basic credentials accepted by {@code checker}; 401 with a Basic challenge if not. */
  public static Predicate<WebRequest> basic(BasicAuthenticator checker) {
    return request -> BasicCredentials.verify(request.header("Authorization"), checker);
  }

  /** Requires {@code Authorization: Bearer <token>}. */
  public static Predicate<WebRequest> bearer(String token) {
    byte[] expected = sha256(token);
    return request -> {
      String header = request.header("Authorization");
      return header != null
          && header.regionMatches(true, 0, "Bearer ", 0, 7)
          && MessageDigest.isEqual(expected, sha256(header.substring(7).trim()));
    };
  }

  /** Wraps {@code inner}: requests failing {@code check} get 401 with {@code challenge}. */
  public static WebHandler guard(WebHandler inner, Predicate<WebRequest> check, String challenge) {
    return request -> {
      if (check.test(request)) {
        return inner.handle(request);
      }
      return WebResponse.text(401, "Unauthorized\n").withHeader("WWW-Authenticate", challenge);
    };
  }

  /** The {@code WWW-Authenticate} value for basic auth. */
  public static String basicChallenge() {
    return "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";
  }

  /** The {@code WWW-Authenticate} value for bearer tokens. */
  public static String bearerChallenge() {
    return "Bearer realm=\"" + REALM + "\"";
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
