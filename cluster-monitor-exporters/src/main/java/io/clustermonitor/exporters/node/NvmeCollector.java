package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code node_nvme_info} from /sys/class/nvme. */
final class NvmeCollector implements SubCollector {
  private final HostPaths paths;

  NvmeCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "nvme";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Path dir = paths.sys("class/nvme");
    if (!Files.isDirectory(dir)) {
      throw new NoDataException("nvme class does not exist: " + dir);
    }
    MetricFamily.Builder info =
        MetricFamily.builder("node_nvme_info", MetricType.GAUGE)
            .help("Non-numeric data from /sys/class/nvme/<device>, value is always 1.");
    for (Path dev : HostPaths.list(dir, "nvme")) {
      info.sample(
          1,
          "device",
          dev.getFileName().toString(),
          "firmware_revision",
          HostPaths.text(dev.resolve("firmware_rev")),
          "model",
          HostPaths.text(dev.resolve("model")),
          "serial",
          HostPaths.text(dev.resolve("serial")),
          "state",
          HostPaths.text(dev.resolve("state")));
    }
    if (!info.isEmpty()) {
      out.add(info.build());
    }
  }
}
