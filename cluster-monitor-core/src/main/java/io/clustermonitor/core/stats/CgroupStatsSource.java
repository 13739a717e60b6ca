package io.clustermonitor.core.stats;

import io.clustermonitor.core.model.BlockDeviceStats;
import io.clustermonitor.core.model.BlockIoStats;
import io.clustermonitor.core.model.CpuCounters;
import io.clustermonitor.core.model.FilesystemUsage;
import io.clustermonitor.core.model.MemoryCounters;
import io.clustermonitor.core.model.NetworkInterfaceStats;
import io.clustermonitor.core.model.StatsDetails;
import io.clustermonitor.core.model.StatsSample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Reads container counters from the host's cgroup files, as cAdvisor does, without calling the
 * engine. Supports cgroup v1 and v2 with the {@code cgroupfs} ({@code docker/<id>}) and {@code
 * systemd} ({@code system.slice/docker-<id>.scope}) drivers, and any other parent by following
 * {@code <procfs>/<pid>/cgroup}. Network counters come from {@code <procfs>/<pid>/net/dev} of the
 * container's init process ({@code lo} excluded, as {@code docker stats} does); host CPU time from
 * {@code <procfs>/stat}, so the {@code docker stats} CPU % formula applies unchanged. The
 * {@linkplain StatsSample#details() details} hold cAdvisor's extra counters: per-CPU time (v1),
 * page faults, mapped files, the memory soft limit, per-device blkio files and the writable layer's
 * disk use, measured by a background walk of the overlay2 upper directory (see {@link #of(Path,
 * Path, Duration)}).
 *
 * <pre>{@code
 * // inside a container with the host's trees mounted read-only
 * StatsSource source =
 *     CgroupStatsSource.of(Path.of("/host/sys/fs/cgroup"), Path.of("/host/proc"));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class CgroupStatsSource implements StatsSource {
  /**
   * cgroup v1 reports "no limit" as a page-rounded {@code Long.MAX_VALUE}; any value above 2^62 is
   * read as unlimited (as cAdvisor does).
   */
  private static final long UNLIMITED_ABOVE = 1L << 62;

  private static final Pattern WS = Pattern.compile("\\s+");

  /** Owner of the host-wide files in {@link #files}. */
  private static final String HOST = "";

  private static final long USER_HZ = 100;
  private static final long NANOS_PER_TICK = 1_000_000_000L / USER_HZ;
  private static final String[] V1_CONTROLLERS = {"cpuacct", "cpu", "memory", "blkio", "pids"};

  /** Default interval of the writable-layer walk (cAdvisor's {@code du} period). */
  public static final Duration DEFAULT_DISK_USAGE_INTERVAL = Duration.ofMinutes(1);

  private final Path cgroupRoot;
  private final Path procRoot;
  private final Path sysRoot;
  private final int version;
  private final DiskUsageSampler diskUsage;
  private final Map<String, String> deviceNames = new ConcurrentHashMap<>();
  private final Map<String, Dirs> dirs = new ConcurrentHashMap<>();
  private final Map<String, NetDev> netPids = new ConcurrentHashMap<>();
  private final CachedFileReader files;
  private volatile HostCpu hostCpu;

  private record HostCpu(long readNanos, long systemNanos, int onlineCpus) {}

  /** A container's init process and its {@code net/dev}, resolved once per pid. */
  private record NetDev(long pid, Path file) {}

  /**
   * Resolved directories of one container (v2 uses {@code unified}, v1 one per controller) and the
   * files read in them, each resolved once: every sample then reads through the same {@link Path},
   * which the file reader's maps find at once. File names are unique within one container (v1's
   * carry their controller's prefix).
   */
  private record Dirs(Path unified, Map<String, Path> v1, Map<String, Path> files) {
    Dirs(Path unified, Map<String, Path> v1) {
      this(unified, v1, new ConcurrentHashMap<>());
    }

    Path file(Path dir, String name) {
      Path p = files.get(name);
      if (p == null) {
        p = dir.resolve(name);
        files.put(name, p);
      }
      return p;
    }
  }

  private CgroupStatsSource(Path cgroupRoot, Path procRoot, Duration diskUsageInterval) {
    this(cgroupRoot, procRoot, diskUsageInterval, new CachedFileReader());
  }

  CgroupStatsSource(
      Path cgroupRoot, Path procRoot, Duration diskUsageInterval, CachedFileReader files) {
    this.files = files;
    this.cgroupRoot = cgroupRoot;
    this.procRoot = procRoot;
    Path fs = cgroupRoot.getParent();
    this.sysRoot = fs != null && fs.getParent() != null ? fs.getParent() : cgroupRoot;
    this.version = detectVersion(cgroupRoot);
    this.diskUsage =
        diskUsageInterval.isZero()
            ? null
            : new DiskUsageSampler(procRoot, diskUsageInterval, 1_000_000, Duration.ofSeconds(30));
  }

  /** Reads {@code /sys/fs/cgroup} and {@code /proc}. */
  public static CgroupStatsSource ofHost() {
    return of(Path.of("/sys/fs/cgroup"), Path.of("/proc"));
  }

  /**
   * Reads the given trees (e.g. {@code /host/sys/fs/cgroup} and {@code /host/proc}).
   *
   * @throws NullPointerException when a path is null
   */
  public static CgroupStatsSource of(Path cgroupRoot, Path procRoot) {
    return of(cgroupRoot, procRoot, DEFAULT_DISK_USAGE_INTERVAL);
  }

  /**
   * Same, measuring each container's writable layer at most once per {@code diskUsageInterval}
   * ({@link Duration#ZERO} turns the walk off). The walk runs on its own daemon thread, never in
   * {@link #sample}, which returns the latest figure with its time ({@link
   * FilesystemUsage#measuredAt()}).
   *
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when the interval is negative
   */
  public static CgroupStatsSource of(Path cgroupRoot, Path procRoot, Duration diskUsageInterval) {
    Objects.requireNonNull(diskUsageInterval, "diskUsageInterval");
    if (diskUsageInterval.isNegative()) {
      throw new IllegalArgumentException("diskUsageInterval must not be negative");
    }
    return new CgroupStatsSource(
        Objects.requireNonNull(cgroupRoot, "cgroupRoot"),
        Objects.requireNonNull(procRoot, "procRoot"),
        diskUsageInterval);
  }

  private static int detectVersion(Path root) {
    if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
      return 2;
    }
    if (Files.isDirectory(root.resolve("cpuacct")) || Files.isDirectory(root.resolve("memory"))) {
      return 1;
    }
    return 0;
  }

  @Override
  public String name() {
    return "cgroup";
  }

  /** The cgroup version found under the root: 1, 2, or 0 when the root holds no cgroup tree. */
  public int cgroupVersion() {
    return version;
  }

  /** The cgroup root read. */
  public Path cgroupRoot() {
    return cgroupRoot;
  }

  /** Whether the root holds a cgroup tree with Docker containers in a known layout. */
  public boolean looksUsable() {
    if (version == 2) {
      return Files.isDirectory(cgroupRoot.resolve("system.slice"))
          || Files.isDirectory(cgroupRoot.resolve("docker"));
    }
    if (version == 1) {
      return Files.isDirectory(cgroupRoot.resolve("cpuacct/docker"))
          || Files.isDirectory(cgroupRoot.resolve("cpuacct/system.slice"));
    }
    return false;
  }

  @Override
  public boolean canRead(StatsTarget target) {
    Dirs d = resolve(target);
    if (d == null) {
      return false;
    }
    Path probe =
        d.unified() != null
            ? d.unified().resolve("cpu.stat")
            : d.v1().get("cpuacct").resolve("cpuacct.usage");
    return Files.isReadable(probe);
  }

  @Override
  public void untrack(String containerId) {
    dirs.remove(containerId);
    netPids.remove(containerId);
    files.release(containerId);
    if (diskUsage != null) {
      diskUsage.forget(containerId);
    }
  }

  @Override
  public Optional<StatsSample> sample(StatsTarget target) {
    Dirs d = resolve(target);
    if (d == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(d.unified() != null ? readV2(d, target) : readV1(d, target));
    } catch (IOException e) {
      // The container stopped between the listing and the read: its cgroup is gone.
      dirs.remove(target.id());
      netPids.remove(target.id());
      files.release(target.id());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    dirs.clear();
    netPids.clear();
    files.close();
    if (diskUsage != null) {
      diskUsage.close();
    }
  }

  private FilesystemUsage filesystem(StatsTarget t) {
    return diskUsage == null ? null : diskUsage.usage(t);
  }

  // ---- locating the cgroup ----

  private Dirs resolve(StatsTarget t) {
    Dirs known = dirs.get(t.id());
    if (known != null) {
      return known;
    }
    Dirs found = version == 2 ? resolveV2(t) : version == 1 ? resolveV1(t) : null;
    if (found != null) {
      dirs.put(t.id(), found);
    }
    return found;
  }

  private Dirs resolveV2(StatsTarget t) {
    for (String rel :
        new String[] {"system.slice/docker-" + t.id() + ".scope", "docker/" + t.id()}) {
      Path p = cgroupRoot.resolve(rel);
      if (Files.isDirectory(p)) {
        return new Dirs(p, Map.of());
      }
    }
    String path = procCgroupPaths(t).get("");
    if (path != null) {
      Path p = cgroupRoot.resolve(path.substring(1));
      if (Files.isDirectory(p)) {
        return new Dirs(p, Map.of());
      }
    }
    return null;
  }

  private Dirs resolveV1(StatsTarget t) {
    Map<String, Path> out = new HashMap<>();
    Map<String, String> fromProc = null;
    for (String controller : V1_CONTROLLERS) {
      Path base = cgroupRoot.resolve(controller);
      Path found = null;
      for (String rel :
          new String[] {"docker/" + t.id(), "system.slice/docker-" + t.id() + ".scope"}) {
        if (Files.isDirectory(base.resolve(rel))) {
          found = base.resolve(rel);
          break;
        }
      }
      if (found == null) {
        if (fromProc == null) {
          fromProc = procCgroupPaths(t);
        }
        String path = fromProc.get(controller);
        if (path != null && Files.isDirectory(base.resolve(path.substring(1)))) {
          found = base.resolve(path.substring(1));
        }
      }
      if (found != null) {
        out.put(controller, found);
      }
    }
    return out.containsKey("cpuacct") ? new Dirs(null, Map.copyOf(out)) : null;
  }

  /** Controller name to absolute cgroup path from {@code <procfs>/<pid>/cgroup} ("" for v2). */
  private Map<String, String> procCgroupPaths(StatsTarget t) {
    Map<String, String> out = new HashMap<>();
    if (t.pid() <= 0) {
      return out;
    }
    String text;
    try {
      text = read(procRoot.resolve(Long.toString(t.pid())).resolve("cgroup"));
    } catch (IOException e) {
      return out;
    }
    for (String line : text.split("\n")) {
      String[] parts = line.split(":", 3);
      if (parts.length == 3 && parts[2].startsWith("/")) {
        for (String c : parts[1].split(",")) {
          out.put(c, parts[2]);
        }
      }
    }
    return out;
  }

  // ---- cgroup v1 ----

  private StatsSample readV1(Dirs dirs, StatsTarget t) throws IOException {
    Map<String, Path> d = dirs.v1();
    String o = t.id();
    Instant now = Instant.now();
    Path cpuacct = d.get("cpuacct");
    long total = readLong(o, dirs.file(cpuacct, "cpuacct.usage"));
    // user/system from cpuacct.stat in USER_HZ ticks, as runc (and so docker stats) reads them;
    // one file instead of cpuacct.usage_user + cpuacct.usage_sys.
    Map<String, Long> stat = keyValues(o, dirs.file(cpuacct, "cpuacct.stat"));
    long user = stat.getOrDefault("user", 0L) * NANOS_PER_TICK;
    long system = stat.getOrDefault("system", 0L) * NANOS_PER_TICK;
    Map<String, Long> cpuStat =
        d.containsKey("cpu") ? keyValuesOrEmpty(o, dirs.file(d.get("cpu"), "cpu.stat")) : Map.of();
    HostCpu host = hostCpu();

    long usage = 0, limit = 0, max = 0, failcnt = 0, rss = 0, cache = 0, swap = 0, inactive = 0;
    long mapped = 0, pgfault = 0, pgmajfault = 0, hPgfault = 0, hPgmajfault = 0, soft = 0;
    Path mem = d.get("memory");
    if (mem != null) {
      usage = readLong(o, dirs.file(mem, "memory.usage_in_bytes"));
      limit = readLong(o, dirs.file(mem, "memory.limit_in_bytes"));
      max = readLongOrZero(o, dirs.file(mem, "memory.max_usage_in_bytes"));
      failcnt = readLongOrZero(o, dirs.file(mem, "memory.failcnt"));
      Map<String, Long> ms = keyValues(o, dirs.file(mem, "memory.stat"));
      inactive = ms.getOrDefault("total_inactive_file", ms.getOrDefault("inactive_file", 0L));
      rss = ms.getOrDefault("total_rss", ms.getOrDefault("rss", 0L));
      cache = ms.getOrDefault("total_cache", ms.getOrDefault("cache", 0L));
      swap = ms.getOrDefault("total_swap", ms.getOrDefault("swap", 0L));
      mapped = ms.getOrDefault("total_mapped_file", ms.getOrDefault("mapped_file", 0L));
      pgfault = ms.getOrDefault("pgfault", 0L);
      pgmajfault = ms.getOrDefault("pgmajfault", 0L);
      hPgfault = ms.getOrDefault("total_pgfault", pgfault);
      hPgmajfault = ms.getOrDefault("total_pgmajfault", pgmajfault);
      soft = specLimit(readLongOrZero(o, dirs.file(mem, "memory.soft_limit_in_bytes")));
    }
    List<BlockDeviceStats> blk = List.of();
    List<BlockIoStats> blkDetail = List.of();
    Path blkio = d.get("blkio");
    if (blkio != null) {
      Path bytes = dirs.file(blkio, "blkio.throttle.io_service_bytes_recursive");
      Path ops = dirs.file(blkio, "blkio.throttle.io_serviced_recursive");
      if (!files.exists(o, bytes)) {
        bytes = dirs.file(blkio, "blkio.io_service_bytes_recursive");
        ops = dirs.file(blkio, "blkio.io_serviced_recursive");
      }
      String bytesText = readOrEmpty(o, bytes);
      String opsText = readOrEmpty(o, ops);
      blk = parseBlkioV1(bytesText, opsText);
      blkDetail = blkioDetailsV1(dirs, o, blkio, bytesText, opsText);
    }
    List<Long> perCpu = List.of();
    String percpuText = readOrEmpty(o, dirs.file(cpuacct, "cpuacct.usage_percpu")).trim();
    if (!percpuText.isEmpty()) {
      List<Long> l = new ArrayList<>();
      for (String v : WS.split(percpuText)) {
        l.add(parseLong(v));
      }
      perCpu = l;
    }
    StatsDetails details =
        new StatsDetails(
            perCpu,
            mapped,
            pgfault,
            pgmajfault,
            hPgfault,
            hPgmajfault,
            soft,
            blkDetail,
            filesystem(t));
    long pids =
        d.containsKey("pids") ? readLongOrZero(o, dirs.file(d.get("pids"), "pids.current")) : 0;
    return StatsSample.builder(now)
        .cpu(
            new CpuCounters(
                total,
                user,
                system,
                host.systemNanos(),
                host.onlineCpus(),
                cpuStat.getOrDefault("nr_periods", 0L),
                cpuStat.getOrDefault("nr_throttled", 0L),
                cpuStat.getOrDefault("throttled_time", 0L)))
        .memory(memory(usage, Math.max(0, usage - inactive), limit, rss, cache, swap, max, failcnt))
        .networks(networks(t))
        .blockDevices(blk)
        .pids(pids)
        .details(details)
        .build();
  }

  /** A limit as cAdvisor's spec reports it: values above 2^62 (unlimited) become 0. */
  private static long specLimit(long v) {
    return v < 0 || v > (1L << 62) ? 0 : v;
  }

  /**
   * The blkio files libcontainer reads: CFQ's {@code blkio.io_*_recursive} when they have data,
   * else BFQ's {@code blkio.bfq.*}, else the throttle files already read.
   */
  private List<BlockIoStats> blkioDetailsV1(
      Dirs dirs, String o, Path dir, String throttleBytes, String throttleOps) {
    String prefix = null;
    for (String p : new String[] {"blkio.", "blkio.bfq."}) {
      if (!blkioLines(readOrEmpty(o, dirs.file(dir, p + "io_serviced_recursive"))).isEmpty()) {
        prefix = p;
        break;
      }
    }
    Map<String, Map<String, Map<String, Long>>> files = new TreeMap<>();
    Map<String, Long> ioTime = new HashMap<>();
    if (prefix == null) {
      put(files, "bytes", throttleBytes);
      put(files, "ops", throttleOps);
    } else {
      put(files, "bytes", readOrEmpty(o, dirs.file(dir, prefix + "io_service_bytes_recursive")));
      put(files, "ops", readOrEmpty(o, dirs.file(dir, prefix + "io_serviced_recursive")));
      put(files, "merged", readOrEmpty(o, dirs.file(dir, prefix + "io_merged_recursive")));
      put(files, "time", readOrEmpty(o, dirs.file(dir, prefix + "io_service_time_recursive")));
      put(files, "wait", readOrEmpty(o, dirs.file(dir, prefix + "io_wait_time_recursive")));
      put(files, "queued", readOrEmpty(o, dirs.file(dir, prefix + "io_queued_recursive")));
      for (String[] f : blkioLines(readOrEmpty(o, dirs.file(dir, prefix + "time_recursive")))) {
        if (f.length == 2) {
          ioTime.merge(f[0], parseLong(f[1]), Long::sum);
        }
      }
    }
    TreeMap<String, Boolean> devices = new TreeMap<>();
    files.values().forEach(m -> m.keySet().forEach(k -> devices.put(k, true)));
    ioTime.keySet().forEach(k -> devices.put(k, true));
    List<BlockIoStats> out = new ArrayList<>();
    for (String dev : devices.keySet()) {
      String[] mm = dev.split(":");
      long major = parseLong(mm[0]);
      long minor = parseLong(mm[1]);
      out.add(
          new BlockIoStats(
              major,
              minor,
              deviceName(major, minor),
              get(files, "bytes", dev),
              get(files, "ops", dev),
              get(files, "merged", dev),
              get(files, "time", dev),
              get(files, "wait", dev),
              get(files, "queued", dev),
              ioTime.getOrDefault(dev, 0L)));
    }
    return out;
  }

  private static Map<String, Long> get(
      Map<String, Map<String, Map<String, Long>>> files, String file, String dev) {
    Map<String, Map<String, Long>> byDev = files.get(file);
    return byDev == null ? Map.of() : byDev.getOrDefault(dev, Map.of());
  }

  private static void put(
      Map<String, Map<String, Map<String, Long>>> files, String file, String text) {
    Map<String, Map<String, Long>> byDev = new TreeMap<>();
    for (String[] f : blkioLines(text)) {
      if (f.length == 3) {
        byDev.computeIfAbsent(f[0], k -> new TreeMap<>()).merge(f[1], parseLong(f[2]), Long::sum);
      }
    }
    files.put(file, byDev);
  }

  /** {@code major:minor op value} (or {@code major:minor value}) lines; "Total N" lines dropped. */
  private static List<String[]> blkioLines(String text) {
    List<String[]> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = WS.split(line.trim());
      if (f.length >= 2 && f[0].indexOf(':') > 0) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * The whole disk's name as cAdvisor's machine info names it ({@code /dev/<name>} for an entry of
   * {@code <sysfs>/block}), or "" for a partition or an unknown device.
   */
  String deviceName(long major, long minor) {
    return deviceNames.computeIfAbsent(
        major + ":" + minor,
        key -> {
          try {
            Path link = sysRoot.resolve("dev/block").resolve(key);
            Path target = Files.readSymbolicLink(link);
            String name = target.getFileName().toString();
            return Files.exists(sysRoot.resolve("block").resolve(name)) ? "/dev/" + name : "";
          } catch (IOException | UnsupportedOperationException e) {
            return "";
          }
        });
  }

  /** Parses {@code 8:0 Read 4096} lines of two blkio files into per-device counters. */
  static List<BlockDeviceStats> parseBlkioV1(String bytes, String ops) {
    Map<String, long[]> byDevice = new TreeMap<>();
    addBlkio(byDevice, bytes, 0);
    addBlkio(byDevice, ops, 2);
    List<BlockDeviceStats> out = new ArrayList<>(byDevice.size());
    for (long[] v : byDevice.values()) {
      out.add(new BlockDeviceStats(v[4], v[5], v[0], v[1], v[2], v[3]));
    }
    return out;
  }

  private static void addBlkio(Map<String, long[]> byDevice, String text, int base) {
    for (String line : text.split("\n")) {
      String[] f = WS.split(line.trim());
      if (f.length != 3 || !f[0].contains(":")) {
        continue;
      }
      String[] mm = f[0].split(":");
      long[] v = byDevice.computeIfAbsent(f[0], k -> new long[6]);
      v[4] = parseLong(mm[0]);
      v[5] = parseLong(mm[1]);
      if (f[1].equalsIgnoreCase("read")) {
        v[base] += parseLong(f[2]);
      } else if (f[1].equalsIgnoreCase("write")) {
        v[base + 1] += parseLong(f[2]);
      }
    }
  }

  // ---- cgroup v2 ----

  private StatsSample readV2(Dirs dirs, StatsTarget t) throws IOException {
    Path d = dirs.unified();
    String o = t.id();
    Instant now = Instant.now();
    Map<String, Long> cpu = keyValues(o, dirs.file(d, "cpu.stat"));
    HostCpu host = hostCpu();
    long usage = readLong(o, dirs.file(d, "memory.current"));
    long limit = readLimitV2(o, dirs.file(d, "memory.max"));
    Map<String, Long> ms = keyValuesOrEmpty(o, dirs.file(d, "memory.stat"));
    Map<String, Long> events = keyValuesOrEmpty(o, dirs.file(d, "memory.events"));
    long swap = readLongOrZero(o, dirs.file(d, "memory.swap.current"));
    long peak = readLongOrZero(o, dirs.file(d, "memory.peak"));
    String ioStat = readOrEmpty(o, dirs.file(d, "io.stat"));
    List<BlockDeviceStats> blk = parseIoStatV2(ioStat);
    long pids = readLongOrZero(o, dirs.file(d, "pids.current"));
    List<BlockIoStats> blkDetail = new ArrayList<>();
    for (BlockDeviceStats b : blk) {
      blkDetail.add(
          new BlockIoStats(
              b.major(),
              b.minor(),
              deviceName(b.major(), b.minor()),
              Map.of("Read", b.readBytes(), "Write", b.writeBytes()),
              Map.of("Read", b.reads(), "Write", b.writes()),
              Map.of(),
              Map.of(),
              Map.of(),
              Map.of(),
              0));
    }
    // v2 has no separate hierarchy numbers: cAdvisor reports memory.stat's for both scopes
    long pgfault = ms.getOrDefault("pgfault", 0L);
    long pgmajfault = ms.getOrDefault("pgmajfault", 0L);
    StatsDetails details =
        new StatsDetails(
            List.of(),
            ms.getOrDefault("file_mapped", 0L),
            pgfault,
            pgmajfault,
            pgfault,
            pgmajfault,
            specLimit(readLimitV2(o, dirs.file(d, "memory.high"))),
            blkDetail,
            filesystem(t));
    return StatsSample.builder(now)
        .cpu(
            new CpuCounters(
                cpu.getOrDefault("usage_usec", 0L) * 1000,
                cpu.getOrDefault("user_usec", 0L) * 1000,
                cpu.getOrDefault("system_usec", 0L) * 1000,
                host.systemNanos(),
                host.onlineCpus(),
                cpu.getOrDefault("nr_periods", 0L),
                cpu.getOrDefault("nr_throttled", 0L),
                cpu.getOrDefault("throttled_usec", 0L) * 1000))
        .memory(
            memory(
                usage,
                Math.max(0, usage - ms.getOrDefault("inactive_file", 0L)),
                limit,
                ms.getOrDefault("anon", 0L),
                ms.getOrDefault("file", 0L),
                swap,
                peak,
                events.getOrDefault("max", 0L)))
        .networks(networks(t))
        .blockDevices(blk)
        .pids(pids)
        .details(details)
        .build();
  }

  private long readLimitV2(String o, Path p) throws IOException {
    String s = readOrEmpty(o, p).trim();
    return s.isEmpty() || s.equals("max") ? Long.MAX_VALUE : parseLong(s);
  }

  /** Parses {@code 8:16 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0} lines. */
  static List<BlockDeviceStats> parseIoStatV2(String text) {
    List<BlockDeviceStats> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = WS.split(line.trim());
      if (f.length < 2 || !f[0].contains(":")) {
        continue;
      }
      String[] mm = f[0].split(":");
      Map<String, Long> kv = new HashMap<>();
      for (int i = 1; i < f.length; i++) {
        int eq = f[i].indexOf('=');
        if (eq > 0) {
          kv.put(f[i].substring(0, eq), parseLong(f[i].substring(eq + 1)));
        }
      }
      out.add(
          new BlockDeviceStats(
              parseLong(mm[0]),
              parseLong(mm[1]),
              kv.getOrDefault("rbytes", 0L),
              kv.getOrDefault("wbytes", 0L),
              kv.getOrDefault("rios", 0L),
              kv.getOrDefault("wios", 0L)));
    }
    return out;
  }

  // ---- procfs ----

  private List<NetworkInterfaceStats> networks(StatsTarget t) {
    if (t.pid() <= 0) {
      return List.of();
    }
    NetDev known = netPids.get(t.id());
    if (known == null || known.pid() != t.pid()) {
      if (known != null) {
        // a restarted container: its old init process's files are of no use any more
        files.release(t.id(), procRoot.resolve(Long.toString(known.pid())));
      }
      known = new NetDev(t.pid(), procRoot.resolve(Long.toString(t.pid())).resolve("net/dev"));
      netPids.put(t.id(), known);
    }
    String text;
    try {
      text = files.read(t.id(), known.file());
    } catch (IOException e) {
      return List.of();
    }
    return parseNetDev(text);
  }

  /** Parses {@code /proc/<pid>/net/dev}, skipping {@code lo}. */
  static List<NetworkInterfaceStats> parseNetDev(String text) {
    List<NetworkInterfaceStats> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0 || line.contains("|")) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      if (name.equals("lo")) {
        continue;
      }
      String[] f = WS.split(line.substring(colon + 1).trim());
      if (f.length < 16) {
        continue;
      }
      out.add(
          new NetworkInterfaceStats(
              name,
              parseLong(f[0]),
              parseLong(f[1]),
              parseLong(f[2]),
              parseLong(f[3]),
              parseLong(f[8]),
              parseLong(f[9]),
              parseLong(f[10]),
              parseLong(f[11])));
    }
    return out;
  }

  /** Host CPU time and online CPUs from {@code <procfs>/stat}, cached for 50 ms. */
  private HostCpu hostCpu() throws IOException {
    HostCpu h = hostCpu;
    long now = System.nanoTime();
    if (h != null && now - h.readNanos() < 50_000_000L) {
      return h;
    }
    h = parseProcStat(files.read(HOST, procRoot.resolve("stat")), now);
    hostCpu = h;
    return h;
  }

  private static HostCpu parseProcStat(String text, long readNanos) {
    long systemTicks = 0;
    int cpus = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("cpu ")) {
        String[] f = WS.split(line.trim());
        // user nice system idle iowait irq softirq steal, like docker's getSystemCPUUsage
        for (int i = 1; i <= 8 && i < f.length; i++) {
          systemTicks += parseLong(f[i]);
        }
      } else if (line.startsWith("cpu")) {
        cpus++;
      }
    }
    return new HostCpu(readNanos, systemTicks * NANOS_PER_TICK, cpus);
  }

  /** Host CPU time in nanoseconds and online CPUs, as docker's daemon computes them. */
  static long[] systemCpu(String procStat) {
    HostCpu h = parseProcStat(procStat, 0);
    return new long[] {h.systemNanos(), h.onlineCpus()};
  }

  private volatile long hostMemoryBytes = -1;

  private long hostMemoryBytes() {
    long host = hostMemoryBytes;
    if (host < 0) {
      host = 0;
      try {
        for (String line : read(procRoot.resolve("meminfo")).split("\n")) {
          if (line.startsWith("MemTotal:")) {
            host = parseLong(WS.split(line.substring(9).trim())[0]) * 1024;
            break;
          }
        }
      } catch (IOException e) {
        host = 0;
      }
      hostMemoryBytes = host;
    }
    return host;
  }

  /**
   * Memory counters with the "no limit" rule of {@link MemoryCounters}: {@code rawLimit} is the
   * cgroup's value (v1 {@code memory.limit_in_bytes}, a page-rounded {@code Long.MAX_VALUE} when
   * unlimited; v2 {@code memory.max}, {@code max} read as {@code Long.MAX_VALUE}). The container is
   * limited when that value is below the host's memory; the effective limit is then the value, else
   * the host's memory, as the daemon reports it.
   */
  private MemoryCounters memory(
      long usage,
      long workingSet,
      long rawLimit,
      long rss,
      long cache,
      long swap,
      long max,
      long failcnt) {
    long host = hostMemoryBytes();
    boolean limited = limited(rawLimit, host);
    long effective = limited ? rawLimit : host;
    return new MemoryCounters(
        usage, workingSet, effective, limited, rss, cache, swap, max, failcnt);
  }

  /** Whether a raw cgroup limit is a limit of its own (below the host's memory when known). */
  static boolean limited(long rawLimit, long hostMemoryBytes) {
    if (rawLimit <= 0 || rawLimit > UNLIMITED_ABOVE) {
      return false;
    }
    return hostMemoryBytes <= 0 || rawLimit < hostMemoryBytes;
  }

  // ---- file helpers ----

  private static String read(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.US_ASCII);
  }

  private String readOrEmpty(String owner, Path p) {
    try {
      return files.read(owner, p);
    } catch (IOException e) {
      return "";
    }
  }

  private long readLong(String owner, Path p) throws IOException {
    return parseLong(files.read(owner, p).trim());
  }

  private long readLongOrZero(String owner, Path p) {
    try {
      return readLong(owner, p);
    } catch (IOException e) {
      return 0;
    }
  }

  private Map<String, Long> keyValues(String owner, Path p) throws IOException {
    return parseKeyValues(files.read(owner, p));
  }

  private Map<String, Long> keyValuesOrEmpty(String owner, Path p) {
    return parseKeyValues(readOrEmpty(owner, p));
  }

  static Map<String, Long> parseKeyValues(String text) {
    // a scan, not split and trim: memory.stat has about 36 lines, read for every container each
    // sample; the number is read in place and only the key becomes a String
    Map<String, Long> out = new HashMap<>(64);
    int n = text.length();
    int line = 0;
    while (line < n) {
      int end = text.indexOf('\n', line);
      if (end < 0) {
        end = n;
      }
      int sp = text.indexOf(' ', line);
      if (sp > line && sp < end) {
        out.put(text.substring(line, sp), parseLong(text, sp + 1, end));
      }
      line = end + 1;
    }
    return out;
  }

  /** {@link #parseLong(String)} of {@code text[from, to)} with blanks around it trimmed. */
  static long parseLong(String text, int from, int to) {
    while (from < to && text.charAt(from) <= ' ') {
      from++;
    }
    while (to > from && text.charAt(to - 1) <= ' ') {
      to--;
    }
    if (from == to || to - from > 18) {
      return parseLong(text.substring(from, to)); // empty, or as long as a possible overflow
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return parseLong(text.substring(from, to)); // "max", a sign, anything else
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      // "max" and overflowing values mean "unlimited"
      return s.equals("max") || s.matches("\\d+") ? Long.MAX_VALUE : 0;
    }
  }
}
