package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code node_dmi_info} from /sys/class/dmi/id; a label only for each file that is readable. */
final class DmiCollector implements SubCollector {
  /** label name, file name. */
  private static final String[][] FIELDS = {
    {"bios_date", "bios_date"},
    {"bios_release", "bios_release"},
    {"bios_vendor", "bios_vendor"},
    {"bios_version", "bios_version"},
    {"board_asset_tag", "board_asset_tag"},
    {"board_name", "board_name"},
    {"board_serial", "board_serial"},
    {"board_vendor", "board_vendor"},
    {"board_version", "board_version"},
    {"chassis_asset_tag", "chassis_asset_tag"},
    {"chassis_serial", "chassis_serial"},
    {"chassis_vendor", "chassis_vendor"},
    {"chassis_version", "chassis_version"},
    {"product_family", "product_family"},
    {"product_name", "product_name"},
    {"product_serial", "product_serial"},
    {"product_sku", "product_sku"},
    {"product_uuid", "product_uuid"},
    {"product_version", "product_version"},
    {"system_vendor", "sys_vendor"},
  };

  private final HostPaths paths;

  DmiCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "dmi";
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Path dir = paths.sys("class/dmi/id");
    if (!Files.isDirectory(dir)) {
      throw new NoDataException("dmi directory does not exist: " + dir);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String[] f : FIELDS) {
      String v = HostPaths.textOrNull(dir.resolve(f[1]));
      if (v != null) {
        labels.put(f[0], v);
      }
    }
    if (labels.isEmpty()) {
      throw new NoDataException("no readable file in " + dir);
    }
    out.add(
        MetricFamily.builder("node_dmi_info", MetricType.GAUGE)
            .help(
                "A metric with a constant '1' value labeled by bios_date, bios_release,"
                    + " bios_vendor, bios_version, board_asset_tag, board_name, board_serial,"
                    + " board_vendor, board_version, chassis_asset_tag, chassis_serial,"
                    + " chassis_vendor, chassis_version, product_family, product_name,"
                    + " product_serial, product_sku, product_uuid, product_version, system_vendor"
                    + " if provided by DMI.")
            .sample(1, labels)
            .build());
  }
}
