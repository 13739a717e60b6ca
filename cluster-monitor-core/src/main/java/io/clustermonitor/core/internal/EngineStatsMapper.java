package io.clustermonitor.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.github.dockerjava.api.model.BlkioStatEntry;
import com.github.dockerjava.api.model.BlkioStatsConfig;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.CpuUsageConfig;
import com.github.dockerjava.api.model.DockerObject;
import com.github.dockerjava.api.model.DockerObjectAccessor;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.StatisticNetworksConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import com.github.dockerjava.api.model.ThrottlingDataConfig;
import io.clustermonitor.core.model.BlockDeviceStats;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.CpuCounters;
import io.clustermonitor.core.model.MemoryCounters;
import io.clustermonitor.core.model.NetworkInterfaceStats;
import io.clustermonitor.core.model.StatsSample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts one Engine API stats frame (docker-java {@link Statistics}) into our {@link StatsSample}
 * the way {@code docker stats} reads it (docker/cli {@code stats_helpers.go}):
 *
 * <ul>
 *   <li>Linux, cgroup v1: working set = {@code usage - total_inactive_file}; block I/O from {@code
 *       io_service_bytes_recursive} ops {@code Read}/{@code Write}.
 *   <li>Linux, cgroup v2: working set = {@code usage - inactive_file}; ops {@code read}/{@code
 *       write}; rss/cache from {@code anon}/{@code file}.
 *   <li>Windows (no {@code system_cpu_usage}, {@code num_procs} processors): CPU counters are in
 *       100 ns units and are converted to ns; memory is {@code privateworkingset} (usage {@code
 *       commitbytes}, no limit); block I/O from {@code storage_stats}. Rates then use wall-clock
 *       time, so CPU % stays "percent of one CPU" ({@code docker stats} on Windows divides by
 *       {@code num_procs} instead).
 * </ul>
 *
 * <p>Memory limits follow the "no limit" rule of {@link MemoryCounters}; pass the host's memory so
 * that an unlimited container (whose {@code limit} the daemon reports as the host's memory) is told
 * apart from a limited one.
 *
 * <p>{@link #previous(Statistics, long)} turns the frame's {@code precpu_stats} into the sample
 * before it, or {@code null} when the frame has none (the first frame of a stream, {@code
 * one-shot}), so {@link ContainerStats#of} yields CPU % 0 rather than NaN or a negative value.
 * Stateless and thread-safe; also used by the live stats engine's Engine API source.
 */
public final class EngineStatsMapper {
  /**
   * Like docker-java's own mapper: properties its model lacks ({@code id}, {@code name}, v2 memory
   * keys, Windows fields) are kept in {@link DockerObject#getRawValues()}.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .addHandler(
              new DeserializationProblemHandler() {
                @Override
                public boolean handleUnknownProperty(
                    DeserializationContext ctxt,
                    JsonParser p,
                    JsonDeserializer<?> deserializer,
                    Object beanOrClass,
                    String propertyName)
                    throws IOException {
                  if (beanOrClass instanceof DockerObject o) {
                    DockerObjectAccessor.overrideRawValue(
                        o, propertyName, p.readValueAs(Object.class));
                    return true;
                  }
                  return false;
                }
              });

  private static final long WINDOWS_TICK_NANOS = 100;

  private EngineStatsMapper() {}

  /** Parses one stats frame as the engine sends it (for recorded payloads and raw streams). */
  public static Statistics parse(String json) {
    try {
      return JSON.readValue(json, Statistics.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Not a Docker stats frame: " + e.getMessage(), e);
    }
  }

  /** Whether the frame comes from a Windows engine. */
  public static boolean isWindows(Statistics s) {
    CpuStatsConfig cpu = s.getCpuStats();
    boolean hasSystemCpu = cpu != null && cpu.getSystemCpuUsage() != null;
    MemoryStatsConfig mem = s.getMemoryStats();
    boolean hasPrivateWorkingSet = mem != null && raw(mem.getRawValues(), "privateworkingset") > 0;
    return !hasSystemCpu && (hasPrivateWorkingSet || nz(s.getNumProcs()) > 0);
  }

  /**
   * The frame's counters at its {@code read} time.
   *
   * @param s the frame
   * @param hostMemoryBytes the engine host's memory ({@code MemTotal} of {@code /info}), or 0 when
   *     unknown; needed to tell an unlimited container from a limited one on cgroup v2
   * @return the sample
   */
  public static StatsSample sample(Statistics s, long hostMemoryBytes) {
    Instant read = instant(s.getRead());
    return sample(s, s.getCpuStats(), read == null ? Instant.now() : read, hostMemoryBytes);
  }

  /**
   * The sample before this frame, taken from {@code precpu_stats} and {@code preread}; only the CPU
   * counters differ from {@link #sample}. {@code null} when the frame carries no previous CPU
   * reading.
   */
  public static StatsSample previous(Statistics s, long hostMemoryBytes) {
    CpuStatsConfig pre = s.getPreCpuStats();
    if (pre == null) {
      return null;
    }
    Instant preread = instant(s.getPreread());
    if (isWindows(s)) {
      if (preread == null
          || pre.getCpuUsage() == null
          || nz(pre.getCpuUsage().getTotalUsage()) == 0) {
        return null;
      }
      return sample(s, pre, preread, hostMemoryBytes);
    }
    if (nz(pre.getSystemCpuUsage()) == 0) {
      return null;
    }
    Instant read = instant(s.getRead());
    Instant at = preread != null ? preread : read != null ? read : Instant.now();
    return sample(s, pre, at, hostMemoryBytes);
  }

  /**
   * Stats computed from this frame alone (its {@code precpu_stats} as the previous sample), as
   * {@code docker stats --no-stream} shows them.
   *
   * @param id full id, or {@code null} to take it from the frame
   * @param name name, or {@code null} to take it from the frame
   * @param host the engine's name
   * @param hostMemoryBytes the engine host's memory, or 0 when unknown (see {@link #sample})
   */
  public static ContainerStats containerStats(
      Statistics s, String id, String name, String host, long hostMemoryBytes) {
    String frameId = rawString(s.getRawValues(), "id");
    String frameName = rawString(s.getRawValues(), "name");
    String resolvedId = frameId != null && !frameId.isEmpty() ? frameId : id;
    String resolvedName = name != null ? name : frameName == null ? "" : stripSlash(frameName);
    return ContainerStats.of(
        resolvedId == null ? "" : resolvedId,
        resolvedName,
        host,
        previous(s, hostMemoryBytes),
        sample(s, hostMemoryBytes));
  }

  private static StatsSample sample(
      Statistics s, CpuStatsConfig cpu, Instant at, long hostMemoryBytes) {
    boolean windows = isWindows(s);
    long tick = windows ? WINDOWS_TICK_NANOS : 1;
    CpuUsageConfig usage = cpu == null ? null : cpu.getCpuUsage();
    long total = usage == null ? 0 : nz(usage.getTotalUsage()) * tick;
    long user = usage == null ? 0 : nz(usage.getUsageInUsermode()) * tick;
    long kernel = usage == null ? 0 : nz(usage.getUsageInKernelmode()) * tick;
    long system = windows || cpu == null ? 0 : nz(cpu.getSystemCpuUsage());
    int cpus = onlineCpus(s, cpu, windows);
    ThrottlingDataConfig thr = cpu == null ? null : cpu.getThrottlingData();

    MemoryStatsConfig mem = s.getMemoryStats();
    MemoryCounters m = windows ? windowsMemory(mem) : linuxMemory(mem, hostMemoryBytes);

    List<BlockDeviceStats> devices =
        windows ? windowsStorage(s.getRawValues()) : blockDevices(s.getBlkioStats());
    long pids = s.getPidsStats() == null ? 0 : nz(s.getPidsStats().getCurrent());

    return StatsSample.builder(at)
        .cpu(
            new CpuCounters(
                total,
                user,
                kernel,
                system,
                cpus,
                thr == null ? 0 : nz(thr.getPeriods()),
                thr == null ? 0 : nz(thr.getThrottledPeriods()),
                thr == null ? 0 : nz(thr.getThrottledTime())))
        .memory(m)
        .networks(networks(s.getNetworks()))
        .blockDevices(devices)
        .pids(pids)
        .build();
  }

  private static int onlineCpus(Statistics s, CpuStatsConfig cpu, boolean windows) {
    if (windows) {
      return (int) nz(s.getNumProcs());
    }
    if (cpu == null) {
      return 0;
    }
    long online = nz(cpu.getOnlineCpus());
    if (online > 0) {
      return (int) online;
    }
    CpuUsageConfig usage = cpu.getCpuUsage();
    List<Long> per = usage == null ? null : usage.getPercpuUsage();
    return per == null ? 0 : per.size();
  }

  /** cgroup values above 2^62 mean "unlimited" (v1 writes a page-rounded Long.MAX_VALUE). */
  private static final long UNLIMITED_ABOVE = 1L << 62;

  /**
   * The "no limit" rule of {@link MemoryCounters} on an engine frame. The daemon reports {@code
   * limit} clamped to the host's memory, so an unlimited container shows the host's memory there.
   * On cgroup v1 the frame's {@code hierarchical_memory_limit} keeps the cgroup's own value (huge
   * when unlimited); on v2 the container is limited when {@code limit} is below the host's memory.
   */
  static boolean limited(long limit, Long hierarchicalLimit, long hostMemoryBytes) {
    long own = hierarchicalLimit != null && hierarchicalLimit > 0 ? hierarchicalLimit : limit;
    if (own <= 0 || own > UNLIMITED_ABOVE) {
      return false;
    }
    return hostMemoryBytes <= 0 || own < hostMemoryBytes;
  }

  private static MemoryCounters linuxMemory(MemoryStatsConfig mem, long hostMemoryBytes) {
    if (mem == null) {
      return MemoryCounters.NONE;
    }
    long usage = nz(mem.getUsage());
    StatsConfig st = mem.getStats();
    long workingSet = usage;
    long rss = 0;
    long cache = 0;
    long swap = 0;
    if (st != null) {
      Long v1Inactive = st.getTotalInactiveFile();
      Long v2Inactive = st.getInactiveFile();
      if (v1Inactive != null && v1Inactive < usage) {
        workingSet = usage - v1Inactive;
      } else if (v2Inactive != null && v2Inactive < usage) {
        workingSet = usage - v2Inactive;
      }
      if (st.getTotalRss() != null || st.getRss() != null || st.getTotalCache() != null) {
        rss = nz(st.getTotalRss() != null ? st.getTotalRss() : st.getRss());
        cache = nz(st.getTotalCache() != null ? st.getTotalCache() : st.getCache());
        swap = nz(st.getTotalSwap() != null ? st.getTotalSwap() : st.getSwap());
      } else {
        Map<String, Object> raw = st.getRawValues();
        rss = raw(raw, "anon");
        cache = raw(raw, "file");
      }
    }
    long limit = nz(mem.getLimit());
    boolean limited =
        limited(limit, st == null ? null : st.getHierarchicalMemoryLimit(), hostMemoryBytes);
    if (!limited && hostMemoryBytes > 0) {
      limit = hostMemoryBytes;
    } else if (limit > UNLIMITED_ABOVE) {
      limit = 0;
    }
    return new MemoryCounters(
        usage,
        Math.max(0, workingSet),
        limit,
        limited,
        rss,
        cache,
        swap,
        nz(mem.getMaxUsage()),
        nz(mem.getFailcnt()));
  }

  private static MemoryCounters windowsMemory(MemoryStatsConfig mem) {
    if (mem == null) {
      return MemoryCounters.NONE;
    }
    Map<String, Object> raw = mem.getRawValues();
    long privateWorkingSet = raw(raw, "privateworkingset");
    long commit = raw(raw, "commitbytes");
    return new MemoryCounters(
        commit > 0 ? commit : privateWorkingSet,
        privateWorkingSet,
        0,
        false,
        0,
        0,
        0,
        raw(raw, "commitpeakbytes"),
        0);
  }

  private static List<NetworkInterfaceStats> networks(Map<String, StatisticNetworksConfig> nets) {
    if (nets == null || nets.isEmpty()) {
      return List.of();
    }
    List<NetworkInterfaceStats> out = new ArrayList<>(nets.size());
    for (Map.Entry<String, StatisticNetworksConfig> e : new TreeMap<>(nets).entrySet()) {
      StatisticNetworksConfig n = e.getValue();
      if (n == null) {
        continue;
      }
      out.add(
          new NetworkInterfaceStats(
              e.getKey(),
              nz(n.getRxBytes()),
              nz(n.getRxPackets()),
              nz(n.getRxErrors()),
              nz(n.getRxDropped()),
              nz(n.getTxBytes()),
              nz(n.getTxPackets()),
              nz(n.getTxErrors()),
              nz(n.getTxDropped())));
    }
    return out;
  }

  /** Groups {@code io_service_bytes_recursive} and {@code io_serviced_recursive} by device. */
  private static List<BlockDeviceStats> blockDevices(BlkioStatsConfig blkio) {
    if (blkio == null) {
      return List.of();
    }
    Map<String, long[]> byDevice = new LinkedHashMap<>(); // major, minor, rB, wB, r, w
    accumulate(byDevice, blkio.getIoServiceBytesRecursive(), 2);
    accumulate(byDevice, blkio.getIoServicedRecursive(), 4);
    List<BlockDeviceStats> out = new ArrayList<>(byDevice.size());
    for (long[] d : byDevice.values()) {
      out.add(new BlockDeviceStats(d[0], d[1], d[2], d[3], d[4], d[5]));
    }
    return out;
  }

  private static void accumulate(
      Map<String, long[]> byDevice, List<BlkioStatEntry> entries, int at) {
    if (entries == null) {
      return;
    }
    for (BlkioStatEntry e : entries) {
      String op = e.getOp() == null ? "" : e.getOp().toLowerCase(Locale.ROOT);
      int slot;
      if (op.startsWith("r")) {
        slot = at;
      } else if (op.startsWith("w")) {
        slot = at + 1;
      } else {
        continue; // Sync, Async, Total, Discard: not reads or writes
      }
      long major = nz(e.getMajor());
      long minor = nz(e.getMinor());
      long[] d =
          byDevice.computeIfAbsent(major + ":" + minor, k -> new long[] {major, minor, 0, 0, 0, 0});
      d[slot] += nz(e.getValue());
    }
  }

  private static List<BlockDeviceStats> windowsStorage(Map<String, Object> raw) {
    Object storage = raw == null ? null : raw.get("storage_stats");
    if (!(storage instanceof Map<?, ?> m) || m.isEmpty()) {
      return List.of();
    }
    long readBytes = number(m.get("read_size_bytes"));
    long writeBytes = number(m.get("write_size_bytes"));
    long reads = number(m.get("read_count_normalized"));
    long writes = number(m.get("write_count_normalized"));
    if (readBytes == 0 && writeBytes == 0 && reads == 0 && writes == 0) {
      return List.of();
    }
    return List.of(new BlockDeviceStats(0, 0, readBytes, writeBytes, reads, writes));
  }

  /** Parses an RFC 3339 engine timestamp; {@code null} for absent or Go's zero time. */
  static Instant instant(String value) {
    if (value == null || value.isBlank() || value.startsWith("0001-01-01")) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.trim()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code name} without its leading {@code /} (the engine lists names as {@code /name}). */
  public static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  private static long raw(Map<String, Object> raw, String key) {
    return raw == null ? 0 : number(raw.get(key));
  }

  private static String rawString(Map<String, Object> raw, String key) {
    Object v = raw == null ? null : raw.get(key);
    return v instanceof String str ? str : null;
  }

  private static long number(Object v) {
    if (v instanceof Number n) {
      return Math.max(0, n.longValue());
    }
    if (v instanceof String str) {
      try {
        return Math.max(0, Long.parseLong(str.trim()));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private static long nz(Long v) {
    return v == null ? 0 : Math.max(0, v);
  }
}
