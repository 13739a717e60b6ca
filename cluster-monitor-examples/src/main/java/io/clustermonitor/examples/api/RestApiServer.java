package io.clustermonitor.examples.api;

import io.clustermonitor.exporters.web.WebServer;
import java.net.InetSocketAddress;

/**
 * A running dedicated server for a {@link RestApi}: a {@link WebServer} (Jetty) with the API's
 * limits and JSON error bodies. Close it to stop.
 */
public final class RestApiServer implements AutoCloseable {
  private final WebServer server;
  private final String host;

  RestApiServer(WebServer server, String host) {
    this.server = server;
    this.host = host;
  }

  /** The bound address (with the real port when started on port 0). */
  public InetSocketAddress address() {
    return new InetSocketAddress(host, server.ports().get(0));
  }

  /** Whether it serves HTTPS (a web config file with TLS). */
  public boolean tls() {
    return server.tls();
  }

  /** Stops accepting and closes connections, giving running requests a second to end. */
  @Override
  public void close() {
    server.close();
  }
}
