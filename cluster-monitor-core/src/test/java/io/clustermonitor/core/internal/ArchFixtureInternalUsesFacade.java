package io.clustermonitor.core.internal;

import io.clustermonitor.core.DockerMonitor;

/** Test fixture: an internal class that depends on the facade above it. */
final class ArchFixtureInternalUsesFacade {
  private ArchFixtureInternalUsesFacade() {}

  static String endpoint(DockerMonitor monitor) {
    return monitor.endpoint().toString();
  }
}
