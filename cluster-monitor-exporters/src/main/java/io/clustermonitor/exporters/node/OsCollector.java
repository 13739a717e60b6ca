package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code node_os_info} and {@code node_os_version} from os-release(5): {@code /etc/os-release},
 * else {@code /usr/lib/os-release}, under the rootfs.
 */
final class OsCollector implements SubCollector {
  private static final String[] INFO_LABELS = {
    "build_id",
    "id",
    "id_like",
    "image_id",
    "image_version",
    "name",
    "pretty_name",
    "variant",
    "variant_id",
    "version",
    "version_codename",
    "version_id"
  };
  private static final Pattern VERSION = Pattern.compile("^[0-9]+\\.?[0-9]*");

  private final HostPaths paths;

  OsCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "os";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException, NoDataException {
    Path file = paths.rootfsFile("/etc/os-release");
    if (!Files.exists(file)) {
      file = paths.rootfsFile("/usr/lib/os-release");
    }
    if (!Files.exists(file)) {
      throw new NoDataException("no os-release file under " + paths.rootfs());
    }
    Map<String, String> v = parse(HostPaths.lines(file));
    Map<String, String> info = new LinkedHashMap<>();
    for (String l : INFO_LABELS) {
      info.put(l, v.getOrDefault(l.toUpperCase(java.util.Locale.ROOT), ""));
    }
    out.add(
        MetricFamily.builder("node_os_info", MetricType.GAUGE)
            .help(
                "A metric with a constant '1' value labeled by build_id, id, id_like, image_id,"
                    + " image_version, name, pretty_name, variant, variant_id, version,"
                    + " version_codename, version_id.")
            .sample(1, info)
            .build());
    double version = 0;
    Matcher m = VERSION.matcher(v.getOrDefault("VERSION_ID", ""));
    if (m.find()) {
      String s = m.group();
      version = Double.parseDouble(s.endsWith(".") ? s + "0" : s);
    }
    out.add(
        MetricFamily.builder("node_os_version", MetricType.GAUGE)
            .help("Metric containing the major.minor part of the OS version.")
            .sample(
                version,
                "id",
                info.get("id"),
                "id_like",
                info.get("id_like"),
                "name",
                info.get("name"))
            .build());
  }

  /** Parses os-release lines: {@code KEY=value}, values optionally quoted with shell escapes. */
  static Map<String, String> parse(List<String> lines) {
    Map<String, String> out = new HashMap<>();
    for (String raw : lines) {
      String line = raw.strip();
      int eq = line.indexOf('=');
      if (line.isEmpty() || line.startsWith("#") || eq <= 0) {
        continue;
      }
      String value = line.substring(eq + 1);
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      value = value.replaceAll("\\\\([\\\\$\"`])", "$1");
      out.put(line.substring(0, eq), value);
    }
    return out;
  }
}
