package io.clustermonitor.exporters.web;

/**
 * Checks HTTP basic credentials for an {@code io.clustermonitor.exporters.ExporterServer}.
 * Implementations must take the same time for an unknown user as for a wrong password, and must be
 * thread-safe.
 */
@FunctionalInterface
public interface BasicAuthenticator {

  /**
   * Whether {@code user} with {@code password} may scrape.
   *
   * @param user the user name from the request
   * @param password the password from the request
   * @return whether the credentials are accepted
   */
  boolean check(String user, String password);
}
