package io.clustermonitor.core;

/**
 * Thrown when a closed object of this library is used: a {@link DockerMonitor}, a cluster monitor,
 * a container registry, a stats engine or an engine client. It extends {@link
 * IllegalStateException}, which these objects threw before, so existing catch blocks keep working;
 * catch this type to tell "closed" from other failures without reading the message.
 */
public final class ClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code what} names the closed object, e.g. "stats engine". */
  public ClosedException(String what) {
    super(what + " is closed");
  }
}
