package io.clustermonitor.examples.archfixture;

import io.clustermonitor.exporters.internal.BuildInfo;

/** Uses an exporters-internal class on purpose, to prove the examples rule can fail. */
public final class UsesExporterInternals {
  private UsesExporterInternals() {}

  /** The version read through the internal class. */
  public static String version() {
    return BuildInfo.version();
  }
}
