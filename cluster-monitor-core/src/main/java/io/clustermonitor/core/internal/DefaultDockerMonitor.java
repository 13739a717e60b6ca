package io.clustermonitor.core.internal;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;

/** The {@link DockerMonitor} implementation over docker-java. */
public final class DefaultDockerMonitor {
  private DefaultDockerMonitor() {}

  /** Creates the monitor. */
  public static DockerMonitor create(DockerEndpoint endpoint) {
    throw new UnsupportedOperationException("implemented by the foundation issue " + endpoint);
  }
}
