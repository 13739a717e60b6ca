package io.clustermonitor.exporters.web;

/**
 * Answers one HTTP request with a complete response. The SDK's endpoints ({@code /metrics}, {@code
 * /health}, targets, the REST API) are {@code WebHandler}s: {@link WebServer} serves them, and an
 * application can serve them from its own HTTP server by adapting its request type to {@link
 * WebRequest} and writing the {@link WebResponse} back. Implementations are thread-safe and may
 * block (the server bounds how many run at once and how long an answer may take).
 */
@FunctionalInterface
public interface WebHandler {

  /**
   * Answers a request. Must not throw for bad client input (answer 4xx instead); anything thrown
   * becomes a generic 500 without detail.
   *
   * @param request the request, read completely
   * @return the complete response
   */
  WebResponse handle(WebRequest request);
}
