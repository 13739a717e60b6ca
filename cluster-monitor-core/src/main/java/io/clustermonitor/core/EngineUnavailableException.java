package io.clustermonitor.core;

/** The Docker engine could not be reached at its endpoint (refused, no socket, TLS failure). */
public class EngineUnavailableException extends ClusterMonitorException {
  private static final long serialVersionUID = 1L;
  private final String endpoint;

  /** Creates the exception naming the endpoint that was tried. */
  public EngineUnavailableException(String endpoint, String reason, Throwable cause) {
    super("Docker engine unavailable at " + endpoint + ": " + reason, cause);
    this.endpoint = endpoint;
  }

  /** The endpoint that was tried, e.g. {@code unix:///var/run/docker.sock}. */
  public String endpoint() {
    return endpoint;
  }
}
