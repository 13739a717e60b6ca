package io.clustermonitor.core;

/**
 * Root of the unchecked exceptions thrown by cluster-monitor. Subclasses carry structured fields
 * (the endpoint, the container id) and always keep the original cause.
 */
public class ClusterMonitorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public ClusterMonitorException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public ClusterMonitorException(String message, Throwable cause) {
    super(message, cause);
  }
}
