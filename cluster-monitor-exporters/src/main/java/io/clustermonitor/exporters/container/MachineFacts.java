package io.clustermonitor.exporters.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Facts of the machine the exporter runs on, for cAdvisor's {@code machine_*} labels and CPU
 * topology: {@code machine_id} ({@code /etc/machine-id}), {@code system_uuid} (DMI {@code
 * product_uuid}, readable by root only), {@code boot_id}, physical cores and sockets (from {@code
 * /proc/cpuinfo}'s {@code physical id} and {@code core id}).
 *
 * @param machineId machine id, "" when unknown
 * @param systemUuid DMI system UUID, "" when unknown
 * @param bootId kernel boot id, "" when unknown
 * @param physicalCores distinct (socket, core) pairs; 0 when unknown
 * @param sockets distinct sockets; 0 when unknown
 */
public record MachineFacts(
    String machineId, String systemUuid, String bootId, int physicalCores, int sockets) {

  /** Nothing known. */
  public static final MachineFacts UNKNOWN = new MachineFacts("", "", "", 0, 0);

  /** Reads the host's files ({@code /etc}, {@code /proc}, {@code /sys}). */
  public static MachineFacts ofHost() {
    return read(Path.of("/etc"), Path.of("/proc"), Path.of("/sys"));
  }

  /** Reads the files under the given roots (e.g. {@code /rootfs/etc}, {@code /host/proc}). */
  public static MachineFacts read(Path etc, Path proc, Path sys) {
    String cpuinfo = readOrEmpty(proc.resolve("cpuinfo"));
    Set<String> sockets = new HashSet<>();
    Set<String> cores = new HashSet<>();
    String socket = "0";
    int logical = 0;
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String k = line.substring(0, colon).trim();
      String v = line.substring(colon + 1).trim();
      switch (k) {
        case "processor" -> logical++;
        case "physical id" -> {
          socket = v;
          sockets.add(v);
        }
        case "core id" -> cores.add(socket + "/" + v);
        default -> {}
      }
    }
    // no topology lines (some VMs and ARM kernels): one socket, one core per logical CPU
    int nSockets = sockets.isEmpty() ? (logical > 0 ? 1 : 0) : sockets.size();
    int nCores = cores.isEmpty() ? logical : cores.size();
    return new MachineFacts(
        readOrEmpty(etc.resolve("machine-id")).trim(),
        readOrEmpty(sys.resolve("class/dmi/id/product_uuid")).trim(),
        readOrEmpty(proc.resolve("sys/kernel/random/boot_id")).trim(),
        nCores,
        nSockets);
  }

  private static String readOrEmpty(Path p) {
    try {
      return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (IOException | SecurityException e) {
      return "";
    }
  }
}
