package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.nio.file.Path;
import java.util.List;

/** Memory controller error counts from /sys/devices/system/edac/mc. */
final class EdacCollector implements SubCollector {
  private final HostPaths paths;

  EdacCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "edac";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    MetricFamily.Builder ce =
        MetricFamily.builder("node_edac_correctable_errors_total", MetricType.COUNTER)
            .help("Total correctable memory errors.");
    MetricFamily.Builder ue =
        MetricFamily.builder("node_edac_uncorrectable_errors_total", MetricType.COUNTER)
            .help("Total uncorrectable memory errors.");
    MetricFamily.Builder csCe =
        MetricFamily.builder("node_edac_csrow_correctable_errors_total", MetricType.COUNTER)
            .help("Total correctable memory errors for this csrow.");
    MetricFamily.Builder csUe =
        MetricFamily.builder("node_edac_csrow_uncorrectable_errors_total", MetricType.COUNTER)
            .help("Total uncorrectable memory errors for this csrow.");
    for (Path mc : HostPaths.list(paths.sys("devices/system/edac/mc"), "mc")) {
      String controller = mc.getFileName().toString().substring(2);
      if (controller.isEmpty() || !controller.chars().allMatch(Character::isDigit)) {
        continue;
      }
      ce.sample(number(mc.resolve("ce_count")), "controller", controller);
      ue.sample(number(mc.resolve("ue_count")), "controller", controller);
      csCe.sample(
          number(mc.resolve("ce_noinfo_count")), "controller", controller, "csrow", "unknown");
      csUe.sample(
          number(mc.resolve("ue_noinfo_count")), "controller", controller, "csrow", "unknown");
      for (Path row : HostPaths.list(mc, "csrow")) {
        String csrow = row.getFileName().toString().substring(5);
        csCe.sample(number(row.resolve("ce_count")), "controller", controller, "csrow", csrow);
        csUe.sample(number(row.resolve("ue_count")), "controller", controller, "csrow", csrow);
      }
    }
    for (MetricFamily.Builder b : List.of(ce, ue, csCe, csUe)) {
      if (!b.isEmpty()) {
        out.add(b.build());
      }
    }
  }

  private static double number(Path file) throws java.io.IOException {
    return Double.parseDouble(HostPaths.text(file));
  }
}
