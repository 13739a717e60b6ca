package io.clustermonitor.exporters.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A parsed {@code REDIS_ADDR}: {@code redis://[user:password@]host[:port][/db]}, {@code
 * rediss://...} (TLS), {@code unix:///path/to/redis.sock}, or a bare {@code host:port}.
 *
 * @param address the address as configured, without any password (used in error messages)
 * @param host host name (null for unix sockets)
 * @param port TCP port
 * @param unixSocket the socket path, or null for TCP
 * @param tls whether to use TLS
 * @param user user from the URI, or null
 * @param password password from the URI, or null
 */
record RedisTarget(
    String address,
    String host,
    int port,
    Path unixSocket,
    boolean tls,
    String user,
    String password) {

  @Override
  public String toString() {
    return address;
  }

  /** The same server whatever the spelling: scheme, lower-case host, explicit port. */
  String canonical() {
    return unixSocket != null
        ? "unix://" + unixSocket
        : (tls ? "rediss://" : "redis://") + host.toLowerCase(java.util.Locale.ROOT) + ":" + port;
  }

  /** Whether the address carries a user name or password. */
  boolean hasCredentials() {
    return user != null || password != null;
  }

  static RedisTarget parse(String addr) {
    if (addr == null || addr.isBlank()) {
      throw new IllegalArgumentException("Redis address is empty");
    }
    String a = addr.trim();
    if (!a.contains("://")) {
      a = "redis://" + a;
    }
    URI uri;
    try {
      uri = new URI(a);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid Redis address (expected redis://host:port, rediss://host:port or"
              + " unix:///path)");
    }
    if (uri.getScheme() == null) {
      throw new IllegalArgumentException("Invalid Redis address (expected redis://host:port)");
    }
    String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
      if (user.isEmpty()) {
        user = null;
      }
    }
    String safe = scheme + "://" + (uri.getHost() == null ? "" : uri.getHost());
    switch (scheme) {
      case "unix":
        {
          if (uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("unix Redis address needs a socket path");
          }
          return new RedisTarget(
              "unix://" + uri.getPath(), null, 0, Path.of(uri.getPath()), false, user, password);
        }
      case "redis":
      case "rediss":
        {
          if (uri.getHost() == null) {
            throw new IllegalArgumentException(
                "Invalid Redis address, no host (expected redis://host:port)");
          }
          int port = uri.getPort() < 0 ? 6379 : uri.getPort();
          return new RedisTarget(
              safe + ":" + port,
              uri.getHost(),
              port,
              null,
              scheme.equals("rediss"),
              user,
              password);
        }
      default:
        throw new IllegalArgumentException(
            "Unsupported Redis address scheme '" + scheme + "' (redis, rediss or unix)");
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
