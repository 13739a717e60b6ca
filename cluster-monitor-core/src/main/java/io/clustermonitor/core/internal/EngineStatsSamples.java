package io.clustermonitor.core.internal;

import com.github.dockerjava.api.model.BlkioStatEntry;
import com.github.dockerjava.api.model.BlkioStatsConfig;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.StatisticNetworksConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import io.clustermonitor.core.model.BlockDeviceStats;
import io.clustermonitor.core.model.NetworkInterfaceStats;
import io.clustermonitor.core.stats.StatsSample;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Maps one frame of the Engine API stats stream to a {@link StatsSample} (cpu_stats only). */
final class EngineStatsSamples {
  private EngineStatsSamples() {}

  static StatsSample fromStatistics(Statistics s) {
    Instant read = parse(s.getRead());
    CpuStatsConfig cpu = s.getCpuStats();
    long total = 0, user = 0, sys = 0, system = 0, periods = 0, throttled = 0, throttledNs = 0;
    int cpus = 0;
    if (cpu != null) {
      if (cpu.getCpuUsage() != null) {
        total = n(cpu.getCpuUsage().getTotalUsage());
        user = n(cpu.getCpuUsage().getUsageInUsermode());
        sys = n(cpu.getCpuUsage().getUsageInKernelmode());
        if (cpu.getOnlineCpus() == null && cpu.getCpuUsage().getPercpuUsage() != null) {
          cpus = cpu.getCpuUsage().getPercpuUsage().size();
        }
      }
      system = n(cpu.getSystemCpuUsage());
      if (cpu.getOnlineCpus() != null) {
        cpus = cpu.getOnlineCpus().intValue();
      }
      if (cpu.getThrottlingData() != null) {
        periods = n(cpu.getThrottlingData().getPeriods());
        throttled = n(cpu.getThrottlingData().getThrottledPeriods());
        throttledNs = n(cpu.getThrottlingData().getThrottledTime());
      }
    }
    MemoryStatsConfig mem = s.getMemoryStats();
    long usage = 0, limit = 0, max = 0, failcnt = 0, rss = 0, cache = 0, swap = 0, inactive = 0;
    if (mem != null) {
      usage = n(mem.getUsage());
      limit = n(mem.getLimit());
      max = n(mem.getMaxUsage());
      failcnt = n(mem.getFailcnt());
      StatsConfig st = mem.getStats();
      if (st != null) {
        // cgroup v1 reports total_*; v2 has no total_ prefix (anon/file are not mapped by
        // docker-java, so v2 rss/cache fall back to the v1 names when present).
        boolean v1 = st.getTotalInactiveFile() != null;
        inactive = v1 ? n(st.getTotalInactiveFile()) : n(st.getInactiveFile());
        rss = v1 ? n(st.getTotalRss()) : n(st.getRss());
        cache = v1 ? n(st.getTotalCache()) : n(st.getCache());
        swap = v1 ? n(st.getTotalSwap()) : n(st.getSwap());
      }
    }
    List<NetworkInterfaceStats> nets = new ArrayList<>();
    Map<String, StatisticNetworksConfig> networks = s.getNetworks();
    if (networks != null) {
      for (Map.Entry<String, StatisticNetworksConfig> e : new TreeMap<>(networks).entrySet()) {
        StatisticNetworksConfig c = e.getValue();
        nets.add(
            new NetworkInterfaceStats(
                e.getKey(),
                n(c.getRxBytes()),
                n(c.getRxPackets()),
                n(c.getRxErrors()),
                n(c.getRxDropped()),
                n(c.getTxBytes()),
                n(c.getTxPackets()),
                n(c.getTxErrors()),
                n(c.getTxDropped())));
      }
    }
    List<BlockDeviceStats> devices = blkio(s.getBlkioStats());
    long pids = s.getPidsStats() == null ? 0 : n(s.getPidsStats().getCurrent());
    return new StatsSample(
        read,
        total,
        user,
        sys,
        system,
        cpus,
        periods,
        throttled,
        throttledNs,
        usage,
        Math.max(0, usage - inactive),
        limit,
        rss,
        cache,
        swap,
        max,
        failcnt,
        nets,
        devices,
        pids);
  }

  private static List<BlockDeviceStats> blkio(BlkioStatsConfig b) {
    Map<String, long[]> byDevice = new TreeMap<>();
    if (b != null) {
      add(byDevice, b.getIoServiceBytesRecursive(), 0);
      add(byDevice, b.getIoServicedRecursive(), 2);
    }
    List<BlockDeviceStats> out = new ArrayList<>();
    for (Map.Entry<String, long[]> e : byDevice.entrySet()) {
      long[] v = e.getValue();
      out.add(new BlockDeviceStats(v[4], v[5], v[0], v[1], v[2], v[3]));
    }
    return out;
  }

  private static void add(Map<String, long[]> byDevice, List<BlkioStatEntry> entries, int base) {
    if (entries == null) {
      return;
    }
    for (BlkioStatEntry e : entries) {
      String op = e.getOp() == null ? "" : e.getOp().toLowerCase(Locale.ROOT);
      long[] v = byDevice.computeIfAbsent(e.getMajor() + ":" + e.getMinor(), k -> new long[6]);
      v[4] = n(e.getMajor());
      v[5] = n(e.getMinor());
      if (op.equals("read")) {
        v[base] += n(e.getValue());
      } else if (op.equals("write")) {
        v[base + 1] += n(e.getValue());
      }
    }
  }

  private static Instant parse(String s) {
    if (s == null || s.startsWith("0001-01-01")) {
      return Instant.now();
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return Instant.now();
    }
  }

  private static long n(Long v) {
    return v == null ? 0 : v;
  }
}
