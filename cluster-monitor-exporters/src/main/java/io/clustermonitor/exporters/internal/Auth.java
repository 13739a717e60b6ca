package io.clustermonitor.exporters.internal;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Authenticators for the exporter server; credentials compared in constant time. */
public final class Auth {
  private Auth() {}

  /** HTTP basic authentication with one user. */
  public static Authenticator basic(String user, String password) {
    byte[] u = user.getBytes(StandardCharsets.UTF_8);
    byte[] p = password.getBytes(StandardCharsets.UTF_8);
    return new BasicAuthenticator("cluster-monitor", StandardCharsets.UTF_8) {
      @Override
      public boolean checkCredentials(String username, String pw) {
        boolean userOk = MessageDigest.isEqual(u, username.getBytes(StandardCharsets.UTF_8));
        boolean passOk = MessageDigest.isEqual(p, pw.getBytes(StandardCharsets.UTF_8));
        return userOk & passOk;
      }
    };
  }

  /** HTTP basic authentication checked by {@code checker} (realm {@code cluster-monitor}). */
  public static Authenticator basic(io.clustermonitor.exporters.BasicAuthenticator checker) {
    return new BasicAuthenticator("cluster-monitor", StandardCharsets.UTF_8) {
      @Override
      public boolean checkCredentials(String username, String pw) {
        try {
          return checker.check(username, pw);
        } catch (RuntimeException e) {
          return false;
        }
      }
    };
  }

  /** {@code Authorization: Bearer <token>}. */
  public static Authenticator bearer(String token) {
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    return new Authenticator() {
      @Override
      public Result authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
          byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
          if (MessageDigest.isEqual(expected, given)) {
            return new Success(new HttpPrincipal("bearer", "cluster-monitor"));
          }
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"cluster-monitor\"");
        return new Failure(401);
      }
    };
  }
}
