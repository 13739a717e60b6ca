package com.example.sneaky;

import io.clustermonitor.exporters.internal.BuildInfo;

/** Uses an internal class directly, as issue #16's users had to. */
public final class Sneaky {
  private Sneaky() {}

  /** Our version, read through an internal class. */
  public static String version() {
    return BuildInfo.version();
  }
}
