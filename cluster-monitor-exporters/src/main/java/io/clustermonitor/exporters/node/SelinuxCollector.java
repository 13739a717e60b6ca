package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;

/**
 * {@code node_selinux_*}: enabled when selinuxfs is mounted at {@code <sysfs>/fs/selinux}; the
 * modes from its {@code enforce} file and from {@code /etc/selinux/config} under the rootfs (1
 * enforcing, 0 permissive, -1 disabled).
 */
final class SelinuxCollector implements SubCollector {
  private final HostPaths paths;

  SelinuxCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "selinux";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    String enforce = HostPaths.textOrNull(paths.sys("fs/selinux/enforce"));
    if (enforce == null) {
      out.add(
          StatCollector.gauge(
              "node_selinux_enabled", "SELinux is enabled, 1 is true, 0 is false", 0));
      return;
    }
    out.add(
        StatCollector.gauge(
            "node_selinux_enabled", "SELinux is enabled, 1 is true, 0 is false", 1));
    double config = -1;
    var configFile = paths.rootfsFile("/etc/selinux/config");
    if (Files.isReadable(configFile)) {
      for (String line : HostPaths.lines(configFile)) {
        String l = line.strip();
        if (l.startsWith("SELINUX=")) {
          config =
              switch (l.substring(8).strip().toLowerCase(Locale.ROOT)) {
                case "enforcing" -> 1;
                case "permissive" -> 0;
                default -> -1;
              };
        }
      }
    }
    out.add(
        StatCollector.gauge(
            "node_selinux_config_mode",
            "Configured SELinux enforcement mode, 1 is enforcing, 0 is permissive, -1 is disabled",
            config));
    out.add(
        StatCollector.gauge(
            "node_selinux_current_mode",
            "Current SELinux enforcement mode, 1 is enforcing, 0 is permissive",
            enforce.equals("1") ? 1 : 0));
  }
}
