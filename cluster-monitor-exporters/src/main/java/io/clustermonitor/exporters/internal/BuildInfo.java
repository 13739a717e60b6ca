package io.clustermonitor.exporters.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The project version (filtered into {@code build.properties} at build time). Depends on nothing of
 * ours, so every package may use it without a cycle.
 */
public final class BuildInfo {
  /** Name of the build info metric, the same for every exporter. */
  public static final String METRIC = "cluster_monitor_build_info";

  private BuildInfo() {}

  /** The project version, or {@code unknown} when run from an unfiltered class path. */
  public static String version() {
    try (InputStream in =
        BuildInfo.class.getResourceAsStream("/io/clustermonitor/exporters/build.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
