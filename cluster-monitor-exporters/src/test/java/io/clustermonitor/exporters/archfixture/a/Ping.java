package io.clustermonitor.exporters.archfixture.a;

import io.clustermonitor.exporters.archfixture.b.Pong;

/** Half of a deliberate package cycle, for proving the cycle rule can fail. */
public final class Ping {
  /** Refers to the other package. */
  public Pong pong() {
    return new Pong();
  }
}
