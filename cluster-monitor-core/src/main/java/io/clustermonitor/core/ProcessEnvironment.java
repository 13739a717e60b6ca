package io.clustermonitor.core;

import java.util.Map;

/**
 * The one place cluster-monitor-core reads the process environment, called only by the explicit
 * {@link DockerEndpoint#fromEnvironment()} and {@link DockerMonitor.Builder#fromEnvironment()}
 * (checked by {@code ArchitectureTest}).
 */
final class ProcessEnvironment {
  private ProcessEnvironment() {}

  /** {@code System.getenv()}. */
  static Map<String, String> get() {
    return System.getenv();
  }
}
