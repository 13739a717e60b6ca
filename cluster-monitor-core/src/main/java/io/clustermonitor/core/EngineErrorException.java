package io.clustermonitor.core;

/**
 * The engine answered, but with an HTTP error status (other than a 404 for a container asked by id
 * or name, which is {@link ContainerNotFoundException}): for example 500 when the daemon fails a
 * request, or 400 for a request it rejects. Distinct from {@link EngineUnavailableException} (no
 * answer at all) and {@link EngineTimeoutException} (no answer in time).
 */
public class EngineErrorException extends ClusterMonitorException {
  private static final long serialVersionUID = 1L;
  private final String endpoint;
  private final int status;

  /**
   * Creates the exception.
   *
   * @param endpoint the endpoint that answered, e.g. {@code unix:///var/run/docker.sock}
   * @param status the HTTP status of the answer
   * @param message the engine's message (or what was asked), one line
   * @param cause the underlying failure, or {@code null}
   */
  public EngineErrorException(String endpoint, int status, String message, Throwable cause) {
    super("Docker engine at " + endpoint + " answered HTTP " + status + ": " + message, cause);
    this.endpoint = endpoint;
    this.status = status;
  }

  /** The endpoint that answered. */
  public String endpoint() {
    return endpoint;
  }

  /** The HTTP status of the answer, e.g. 500. */
  public int status() {
    return status;
  }
}
