package io.clustermonitor.exporters.archfixture.b;

import io.clustermonitor.exporters.archfixture.a.Ping;

/** The other half of the deliberate package cycle. */
public final class Pong {
  /** Refers back. */
  public Ping ping() {
    return new Ping();
  }
}
