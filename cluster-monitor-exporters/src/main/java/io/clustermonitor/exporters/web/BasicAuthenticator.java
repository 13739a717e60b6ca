package io.clustermonitor.exporters.web;

/**
 * Checks HTTP basic credentials for an {@code io.clustermonitor.exporters.ExporterServer}.
 * Implementations must take the same time for an unknown user as for a wrong password, and must be
 * thread-safe.
 */
@FunctionalInterface
public interface BasicAuthenticator {

  /** Whether {@code user} with {@code password} may scrape. */
  boolean check(String user, String password);
}
