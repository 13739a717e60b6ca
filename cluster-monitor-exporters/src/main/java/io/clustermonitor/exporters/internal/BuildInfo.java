package io.clustermonitor.exporters.internal;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The project version (filtered into {@code build.properties} at build time). */
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

  /**
   * The build info family.
   *
   * @param revision source revision, left out when null or blank
   */
  public static MetricFamily family(String version, String revision) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("version", version);
    if (revision != null && !revision.isBlank()) {
      labels.put("revision", revision);
    }
    labels.put("java_version", System.getProperty("java.version", "unknown"));
    return MetricFamily.builder(METRIC, MetricType.GAUGE)
        .help("A metric with a constant '1' value labeled by version, revision and Java version.")
        .sample(1, labels)
        .build();
  }
}
