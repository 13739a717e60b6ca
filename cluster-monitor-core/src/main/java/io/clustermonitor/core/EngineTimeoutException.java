package io.clustermonitor.core;

import java.time.Duration;

/** A call to the Docker engine did not answer within its timeout. */
public class EngineTimeoutException extends ClusterMonitorException {
  private static final long serialVersionUID = 1L;
  private final String endpoint;
  private final transient Duration timeout;

  /** Creates the exception naming the endpoint and the timeout that expired. */
  public EngineTimeoutException(String endpoint, Duration timeout, Throwable cause) {
    super(
        "Docker engine at " + endpoint + " did not answer within " + timeout.toMillis() + " ms",
        cause);
    this.endpoint = endpoint;
    this.timeout = timeout;
  }

  /** The endpoint that was called. */
  public String endpoint() {
    return endpoint;
  }

  /** The timeout that expired. */
  public Duration timeout() {
    return timeout;
  }
}
