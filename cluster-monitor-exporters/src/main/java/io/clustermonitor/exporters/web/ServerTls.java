package io.clustermonitor.exporters.web;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * TLS for an {@link io.clustermonitor.exporters.ExporterServer} (or a {@link WebServer}): the
 * current key material and the handshake parameters (client authentication, protocol versions,
 * cipher suites). An implementation that reloads its certificate when the files change bumps {@link
 * #generation()}; the server then uses the new context for the next handshakes.
 */
public interface ServerTls {

  /**
   * The context for new handshakes.
   *
   * @return the current context
   */
  SSLContext sslContext();

  /**
   * Handshake parameters: {@code needClientAuth}/{@code wantClientAuth}, protocols and cipher
   * suites; {@code null} fields mean the JDK defaults.
   *
   * @return the parameters of new handshakes
   */
  SSLParameters parameters();

  /**
   * Changes whenever {@link #sslContext()} would return new key material.
   *
   * @return the generation of the key material; 0 for material that never changes
   */
  default long generation() {
    return 0;
  }
}
