package io.clustermonitor.examples;

import java.net.InetSocketAddress;

/** Parses {@code HOST:PORT}, {@code :PORT} (loopback) and {@code [IPV6]:PORT} listen addresses. */
record ListenAddress(String host, int port) {

  /**
   * Parses a listen address.
   *
   * @throws IllegalArgumentException naming the value when it is not HOST:PORT with a port 0-65535
   */
  static ListenAddress parse(String value) {
    String v = value == null ? "" : value.trim();
    int colon = v.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("Listen address must be HOST:PORT, got '" + value + "'");
    }
    String host = v.substring(0, colon);
    String port = v.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "IPv6 listen addresses need brackets ([::1]:3001), got '" + value + "'");
    }
    if (host.isEmpty()) {
      host = "127.0.0.1";
    }
    if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException(
          "Listen port must be a number 0-65535, got '" + port + "' in '" + value + "'");
    }
    return new ListenAddress(host, Integer.parseInt(port));
  }

  InetSocketAddress socketAddress() {
    InetSocketAddress a = new InetSocketAddress(host, port);
    if (a.isUnresolved()) {
      throw new IllegalArgumentException("Cannot resolve listen host '" + host + "'");
    }
    return a;
  }

  /** {@code host:port} with brackets around IPv6 hosts. */
  String hostPort(int boundPort) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + boundPort;
  }
}
