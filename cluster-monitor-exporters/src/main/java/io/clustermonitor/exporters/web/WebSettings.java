package io.clustermonitor.exporters.web;

import java.util.Map;

/**
 * The settings a web config file sets on a server builder ({@link WebConfig#applyTo}): TLS, basic
 * auth and response headers. {@code io.clustermonitor.exporters.ExporterServer.Builder} implements
 * it, so this package needs nothing of the SDK package above it.
 *
 * @param <B> the builder's own type, returned by every setter
 */
public interface WebSettings<B extends WebSettings<B>> {

  /**
   * Serves HTTPS with the context and parameters of {@code tls}.
   *
   * @param tls the TLS material and handshake parameters
   * @return this builder
   */
  B tls(ServerTls tls);

  /**
   * Requires HTTP basic auth checked by {@code authenticator}.
   *
   * @param authenticator the credentials check
   * @return this builder
   */
  B basicAuth(BasicAuthenticator authenticator);

  /**
   * Headers added to every response.
   *
   * @param headers header names and values
   * @return this builder
   */
  B responseHeaders(Map<String, String> headers);
}
