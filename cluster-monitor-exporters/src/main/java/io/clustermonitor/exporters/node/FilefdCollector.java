package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import java.io.IOException;
import java.util.List;

/** {@code node_filefd_allocated} and {@code node_filefd_maximum} from /proc/sys/fs/file-nr. */
final class FilefdCollector implements SubCollector {
  private final HostPaths paths;

  FilefdCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "filefd";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    String[] f = HostPaths.text(paths.proc("sys/fs/file-nr")).split("\\s+");
    if (f.length != 3) {
      throw new IOException("unexpected format of " + paths.proc("sys/fs/file-nr"));
    }
    out.add(
        StatCollector.gauge(
            "node_filefd_allocated",
            "File descriptor statistics: allocated.",
            Double.parseDouble(f[0])));
    out.add(
        StatCollector.gauge(
            "node_filefd_maximum",
            "File descriptor statistics: maximum.",
            Double.parseDouble(f[2])));
  }
}
