package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * btrfs allocation statistics from /sys/fs/btrfs/&lt;uuid&gt; (Documentation/ABI/testing/
 * sysfs-fs-btrfs), and as node_exporter 1.7 the per-device sizes and error counters of every
 * mounted btrfs from the {@code BTRFS_IOC_FS_INFO}, {@code BTRFS_IOC_DEV_INFO} and {@code
 * BTRFS_IOC_GET_DEV_STATS} ioctls (linux/btrfs.h), called through the optional JNA. Where the
 * ioctls cannot be made (no JNA, no permission, not mounted) the device sizes come from sysfs, as
 * node_exporter falls back.
 */
final class BtrfsCollector implements SubCollector {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(BtrfsCollector.class);
  private static final String[] BLOCK_GROUPS = {"data", "metadata", "system"};

  private final HostPaths paths;

  BtrfsCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "btrfs";
  }

  /** The allocation ratio of a RAID profile, as node_exporter's procfs library computes it. */
  static double ratio(String mode) {
    return switch (mode) {
      case "single", "raid0" -> 1;
      case "dup", "raid1", "raid10" -> 2;
      case "raid1c3" -> 3;
      case "raid1c4" -> 4;
      default -> 0;
    };
  }

  /** The error counters of {@code struct btrfs_ioctl_get_dev_stats}, in the kernel's order. */
  private static final String[] ERROR_TYPES = {
    "write", "read", "flush", "corruption", "generation"
  };

  /**
   * One device of a mounted btrfs, from the ioctls.
   *
   * @param path the device path the kernel reports
   * @param uuid the device's uuid
   * @param bytesUsed bytes allocated on it
   * @param totalBytes its size
   * @param errors write, read, flush, corruption and generation errors
   */
  record Device(String path, String uuid, double bytesUsed, double totalBytes, double[] errors) {}

  /**
   * The devices of every mounted btrfs by filesystem uuid (hex, no dashes), read with the ioctls on
   * one mount point per filesystem from {@code <procfs>/1/mounts}. Empty when JNA is missing or no
   * mount can be inspected (logged at DEBUG, as node_exporter).
   */
  private Map<String, List<Device>> ioctlDevices() {
    List<String> lines;
    try {
      try {
        lines = HostPaths.lines(paths.proc("1/mounts"));
      } catch (java.nio.file.NoSuchFileException e) {
        lines = HostPaths.lines(paths.proc("mounts"));
      }
    } catch (java.io.IOException e) {
      LOG.debug("btrfs: cannot read mounts: {}", e.toString());
      return Map.of();
    }
    Map<String, List<Device>> out = new java.util.HashMap<>();
    java.util.Set<String> devicesDone = new java.util.HashSet<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length < 3 || !f[2].equals("btrfs") || devicesDone.contains(f[0])) {
        continue;
      }
      String mountPoint = paths.stripRootfs(f[1].replace("\\040", " ").replace("\\011", "\t"));
      Path dir = paths.rootfsFile(mountPoint);
      try {
        Jna.Fs fs = Jna.inspect(dir.toString());
        if (out.putIfAbsent(fs.uuid(), fs.devices()) == null) {
          devicesDone.add(f[0]);
        }
      } catch (NoClassDefFoundError e) {
        LOG.debug("btrfs device stats need JNA (net.java.dev.jna:jna) on the class path");
        return out;
      } catch (Exception e) {
        LOG.debug("btrfs: cannot inspect mount point {}: {}", dir, e.toString());
      }
    }
    return out;
  }

  /** Every JNA reference lives here, so the collector loads without JNA. */
  private static final class Jna {
    private Jna() {}

    /** {@code _IOR(0x94, 31, struct btrfs_ioctl_fs_info_args)}, 1024 bytes. */
    static final long FS_INFO = 0x8400941FL;

    /** {@code _IOWR(0x94, 30, struct btrfs_ioctl_dev_info_args)}, 4096 bytes. */
    static final long DEV_INFO = 0xD000941EL;

    /** {@code _IOWR(0x94, 52, struct btrfs_ioctl_get_dev_stats)}, 1032 bytes. */
    static final long GET_DEV_STATS = 0xC4089434L;

    private static final int ENODEV = 19;
    private static final int O_CLOEXEC = 0x80000;

    record Fs(String uuid, List<Device> devices) {}

    static Fs inspect(String mountPoint) throws java.io.IOException {
      if (!com.sun.jna.Platform.isLinux() || com.sun.jna.Native.LONG_SIZE != 8) {
        throw new java.io.IOException("btrfs ioctls are read on 64-bit Linux only");
      }
      int fd = call("open", mountPoint, O_CLOEXEC /* O_RDONLY */);
      try {
        com.sun.jna.Memory info = new com.sun.jna.Memory(1024);
        info.clear();
        ioctl(fd, FS_INFO, info);
        long maxId = info.getLong(0);
        long numDevices = info.getLong(8);
        String fsid = hex(info.getByteArray(16, 16), false);
        List<Device> devices = new java.util.ArrayList<>();
        for (long id = 0; id <= maxId; id++) {
          com.sun.jna.Memory dev = new com.sun.jna.Memory(4096);
          dev.clear();
          dev.setLong(0, id);
          try {
            ioctl(fd, DEV_INFO, dev);
          } catch (com.sun.jna.LastErrorException e) {
            if (e.getErrorCode() == ENODEV) {
              continue; // device ids need not be contiguous
            }
            throw e;
          }
          com.sun.jna.Memory stats = new com.sun.jna.Memory(1032);
          stats.clear();
          stats.setLong(0, id);
          stats.setLong(8, ERROR_TYPES.length);
          ioctl(fd, GET_DEV_STATS, stats);
          double[] errors = new double[ERROR_TYPES.length];
          for (int i = 0; i < errors.length; i++) {
            errors[i] = unsigned(stats.getLong(24 + 8L * i));
          }
          devices.add(
              new Device(
                  dev.getString(4096 - 1024),
                  hex(dev.getByteArray(8, 16), true),
                  unsigned(dev.getLong(24)),
                  unsigned(dev.getLong(32)),
                  errors));
          if (devices.size() == numDevices) {
            break;
          }
        }
        return new Fs(fsid, devices);
      } catch (com.sun.jna.LastErrorException e) {
        throw new java.io.IOException("btrfs ioctl failed: errno " + e.getErrorCode(), e);
      } finally {
        call("close", fd);
      }
    }

    private static void ioctl(int fd, long request, com.sun.jna.Pointer arg) {
      call("ioctl", fd, new com.sun.jna.NativeLong(request), arg);
    }

    private static int call(String name, Object... args) {
      try {
        return com.sun.jna.Function.getFunction("c", name, com.sun.jna.Function.THROW_LAST_ERROR)
            .invokeInt(args);
      } catch (com.sun.jna.LastErrorException e) {
        if (name.equals("open")) {
          throw new UncheckedIOException(
              new java.io.IOException("open " + args[0] + ": errno " + e.getErrorCode()));
        }
        throw e;
      }
    }

    private static double unsigned(long v) {
      return v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1);
    }

    /** 16 bytes as Go's uuid spelling: 8-4-4-4-12 with dashes, or plain hex. */
    private static String hex(byte[] b, boolean dashes) {
      StringBuilder s = new StringBuilder(36);
      for (int i = 0; i < b.length; i++) {
        if (dashes && (i == 4 || i == 6 || i == 8 || i == 10)) {
          s.append('-');
        }
        s.append(String.format("%02x", b[i] & 0xff));
      }
      return s.toString();
    }
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Map<String, MetricFamily.Builder> families = new TreeMap<>();
    Map<String, List<Device>> devices =
        Files.isDirectory(paths.sys("fs/btrfs")) ? ioctlDevices() : Map.of();
    for (Path fs : HostPaths.list(paths.sys("fs/btrfs"), "")) {
      if (!Files.isDirectory(fs.resolve("allocation"))) {
        continue; // "features" and other non-filesystem entries
      }
      String uuid = fs.getFileName().toString();
      List<Device> ioctlDevices = devices.get(uuid.replace("-", ""));
      String label = HostPaths.textOrNull(fs.resolve("label"));
      gauge(
          families,
          "node_btrfs_info",
          "Filesystem information",
          1,
          "label",
          label == null ? "" : label,
          "uuid",
          uuid);
      Double rsv = HostPaths.numberOrNull(fs.resolve("allocation/global_rsv_size"));
      if (rsv != null) {
        gauge(
            families,
            "node_btrfs_global_rsv_size_bytes",
            "Size of global reserve.",
            rsv,
            "uuid",
            uuid);
      }
      if (ioctlDevices != null) {
        for (Device d : ioctlDevices) {
          String device = d.path().substring(d.path().lastIndexOf('/') + 1);
          gauge(
              families,
              "node_btrfs_device_size_bytes",
              "Size of a device that is part of the filesystem.",
              d.totalBytes(),
              "btrfs_dev_uuid",
              d.uuid(),
              "device",
              device,
              "uuid",
              uuid);
          gauge(
              families,
              "node_btrfs_device_unused_bytes",
              "Unused bytes unused on a device that is part of the filesystem.",
              d.totalBytes() - d.bytesUsed(),
              "btrfs_dev_uuid",
              d.uuid(),
              "device",
              device,
              "uuid",
              uuid);
          for (int i = 0; i < ERROR_TYPES.length; i++) {
            families
                .computeIfAbsent(
                    "node_btrfs_device_errors_total",
                    n ->
                        MetricFamily.builder(n, MetricType.COUNTER)
                            .help("Errors reported for the device"))
                .sample(
                    d.errors()[i],
                    "btrfs_dev_uuid",
                    d.uuid(),
                    "device",
                    device,
                    "type",
                    ERROR_TYPES[i],
                    "uuid",
                    uuid);
          }
        }
      }
      for (Path dev :
          ioctlDevices != null ? List.<Path>of() : HostPaths.list(fs.resolve("devices"), "")) {
        Double sectors = HostPaths.numberOrNull(dev.resolve("size"));
        if (sectors != null) {
          gauge(
              families,
              "node_btrfs_device_size_bytes",
              "Size of a device that is part of the" + " filesystem.",
              sectors * 512,
              "device",
              dev.getFileName().toString(),
              "uuid",
              uuid);
        }
      }
      for (String type : BLOCK_GROUPS) {
        Path group = fs.resolve("allocation").resolve(type);
        if (!Files.isDirectory(group)) {
          continue;
        }
        Double reserved = HostPaths.numberOrNull(group.resolve("bytes_reserved"));
        if (reserved != null) {
          gauge(
              families,
              "node_btrfs_reserved_bytes",
              "Amount of space reserved for a data type",
              reserved,
              "block_group_type",
              type,
              "uuid",
              uuid);
        }
        for (Path layout : HostPaths.list(group, "")) {
          if (!Files.isDirectory(layout)) {
            continue;
          }
          String mode = layout.getFileName().toString();
          Double total = HostPaths.numberOrNull(layout.resolve("total_bytes"));
          Double used = HostPaths.numberOrNull(layout.resolve("used_bytes"));
          if (total == null || used == null) {
            continue;
          }
          gauge(
              families,
              "node_btrfs_size_bytes",
              "Amount of space allocated for a layout/data" + " type",
              total,
              "block_group_type",
              type,
              "mode",
              mode,
              "uuid",
              uuid);
          gauge(
              families,
              "node_btrfs_used_bytes",
              "Amount of used space by a layout/data type",
              used,
              "block_group_type",
              type,
              "mode",
              mode,
              "uuid",
              uuid);
          gauge(
              families,
              "node_btrfs_allocation_ratio",
              "Data allocation ratio for a layout/data" + " type",
              ratio(mode),
              "block_group_type",
              type,
              "mode",
              mode,
              "uuid",
              uuid);
        }
      }
    }
    for (MetricFamily.Builder b : families.values()) {
      out.add(b.build());
    }
  }

  private static void gauge(
      Map<String, MetricFamily.Builder> families,
      String name,
      String help,
      double value,
      String... labels) {
    families
        .computeIfAbsent(name, n -> MetricFamily.builder(n, MetricType.GAUGE).help(help))
        .sample(value, labels);
  }
}
