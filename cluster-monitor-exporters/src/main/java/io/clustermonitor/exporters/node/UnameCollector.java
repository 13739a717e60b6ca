package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * {@code node_uname_info} from /proc/sys/kernel (the uname(2) fields); {@code machine} comes from
 * the JVM's architecture, mapped to the kernel's names.
 */
final class UnameCollector implements SubCollector {
  private final HostPaths paths;

  UnameCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "uname";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    out.add(
        MetricFamily.builder("node_uname_info", MetricType.GAUGE)
            .help("Labeled system information as provided by the uname system call.")
            .sample(
                1,
                "sysname",
                kernel("ostype"),
                "release",
                kernel("osrelease"),
                "version",
                kernel("version"),
                "machine",
                machine(System.getProperty("os.arch", "")),
                "nodename",
                kernel("hostname"),
                "domainname",
                kernel("domainname"))
            .build());
  }

  private String kernel(String file) throws IOException {
    return HostPaths.text(paths.proc("sys/kernel/" + file));
  }

  static String machine(String javaArch) {
    return switch (javaArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "x86_64";
      case "x86", "i386" -> "i686";
      case "arm64", "aarch64" -> "aarch64";
      default -> javaArch;
    };
  }
}
