package io.clustermonitor.core;

/** The engine has no container with the given id or name. */
public class ContainerNotFoundException extends ClusterMonitorException {
  private static final long serialVersionUID = 1L;
  private final String container;

  /** Creates the exception for the id or name that was asked for. */
  public ContainerNotFoundException(String container, Throwable cause) {
    super("No such container: " + container, cause);
    this.container = container;
  }

  /** The id or name that was asked for. */
  public String container() {
    return container;
  }
}
