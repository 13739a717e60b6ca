package io.clustermonitor.exporters.web;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP request as the SDK's handlers see it: method, raw path and query, headers. The server
 * has read it completely (requests with a body never reach a handler).
 *
 * <p>Embedding users who serve our handlers from their own server build one with {@link #of}.
 */
public interface WebRequest {

  /**
   * The method, e.g. {@code GET}.
   *
   * @return the request method
   */
  String method();

  /**
   * The raw (still percent-encoded) path, e.g. {@code /api/containers/abc}; never empty.
   *
   * @return the path
   */
  String path();

  /**
   * The raw query without {@code ?}, or {@code null} when there is none.
   *
   * @return the query or {@code null}
   */
  String rawQuery();

  /**
   * Every value of a header, in order; empty when absent. Names are case-insensitive.
   *
   * @param name the header name, any case
   * @return its values
   */
  List<String> headers(String name);

  /**
   * The first value of a header, or {@code null}.
   *
   * @param name the header name, any case
   * @return its first value or {@code null}
   */
  default String header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /**
   * The client's address, or {@code null} when unknown.
   *
   * @return the remote address or {@code null}
   */
  InetSocketAddress remoteAddress();

  /**
   * Whether the request came over TLS.
   *
   * @return whether the connection is secure
   */
  boolean secure();

  /**
   * Whether the method is {@code HEAD} (the answer then has headers only).
   *
   * @return whether this is a {@code HEAD} request
   */
  default boolean isHead() {
    return "HEAD".equals(method());
  }

  /**
   * A request from its parts, for adapters and tests.
   *
   * @param method e.g. {@code GET}
   * @param target path and optional query, e.g. {@code /metrics?collect[]=cpu}
   * @param headers header names (any case) and their values
   * @return the request
   */
  static WebRequest of(String method, String target, Map<String, List<String>> headers) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? null : target.substring(q + 1);
    Map<String, List<String>> copy = new TreeMap<>();
    headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    String p = path.isEmpty() ? "/" : path;
    return new WebRequest() {
      @Override
      public String method() {
        return method;
      }

      @Override
      public String path() {
        return p;
      }

      @Override
      public String rawQuery() {
        return query;
      }

      @Override
      public List<String> headers(String name) {
        return copy.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
      }

      @Override
      public InetSocketAddress remoteAddress() {
        return null;
      }

      @Override
      public boolean secure() {
        return false;
      }
    };
  }
}
