package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code node_bonding_slaves{master}} and {@code node_bonding_active{master}} from
 * /sys/class/net/bonding_masters and each slave's {@code bonding_slave/mii_status}.
 */
final class BondingCollector implements SubCollector {
  private final HostPaths paths;

  BondingCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "bonding";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException, NoDataException {
    Path net = paths.sys("class/net");
    Path mastersFile = net.resolve("bonding_masters");
    String masters;
    try {
      masters = HostPaths.text(mastersFile);
    } catch (NoSuchFileException e) {
      throw new NoDataException("no bonding masters: " + mastersFile);
    }
    MetricFamily.Builder slaves =
        MetricFamily.builder("node_bonding_slaves", MetricType.GAUGE)
            .help("Number of configured slaves per bonding interface.");
    MetricFamily.Builder active =
        MetricFamily.builder("node_bonding_active", MetricType.GAUGE)
            .help("Number of active slaves per bonding interface.");
    for (String master : masters.split("\\s+")) {
      if (master.isEmpty()) {
        continue;
      }
      String list = HostPaths.text(net.resolve(master).resolve("bonding/slaves"));
      int total = 0;
      int up = 0;
      for (String slave : list.split("\\s+")) {
        if (slave.isEmpty()) {
          continue;
        }
        String state;
        try {
          state =
              HostPaths.text(
                  net.resolve(master).resolve("lower_" + slave + "/bonding_slave/mii_status"));
        } catch (NoSuchFileException e) {
          // older kernels name the link slave_<name>
          state =
              HostPaths.text(
                  net.resolve(master).resolve("slave_" + slave + "/bonding_slave/mii_status"));
        }
        total++;
        if (state.equals("up")) {
          up++;
        }
      }
      slaves.sample(total, "master", master);
      active.sample(up, "master", master);
    }
    if (!slaves.isEmpty()) {
      out.add(active.build());
      out.add(slaves.build());
    }
  }
}
