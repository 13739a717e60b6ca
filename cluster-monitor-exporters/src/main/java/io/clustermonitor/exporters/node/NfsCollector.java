package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** NFS client statistics ({@code node_nfs_*}) from /proc/net/rpc/nfs. */
final class NfsCollector implements SubCollector {
  /** Procedure names of a "proc2" line, in column order (procfs' V2Stats fields). */
  static final List<String> V2 =
      List.of(
          "Null",
          "GetAttr",
          "SetAttr",
          "Root",
          "Lookup",
          "ReadLink",
          "Read",
          "WrCache",
          "Write",
          "Create",
          "Remove",
          "Rename",
          "Link",
          "SymLink",
          "MkDir",
          "RmDir",
          "ReadDir",
          "FsStat");

  /** Procedure names of a "proc3" line (procfs' V3Stats fields). */
  static final List<String> V3 =
      List.of(
          "Null",
          "GetAttr",
          "SetAttr",
          "Lookup",
          "Access",
          "ReadLink",
          "Read",
          "Write",
          "Create",
          "MkDir",
          "SymLink",
          "MkNod",
          "Remove",
          "RmDir",
          "Rename",
          "Link",
          "ReadDir",
          "ReadDirPlus",
          "FsStat",
          "FsInfo",
          "PathConf",
          "Commit");

  /** Client procedure names of a "proc4" line (procfs' ClientV4Stats fields). */
  static final List<String> V4 =
      List.of(
          "Null",
          "Read",
          "Write",
          "Commit",
          "Open",
          "OpenConfirm",
          "OpenNoattr",
          "OpenDowngrade",
          "Close",
          "Setattr",
          "FsInfo",
          "Renew",
          "SetClientID",
          "SetClientIDConfirm",
          "Lock",
          "Lockt",
          "Locku",
          "Access",
          "Getattr",
          "Lookup",
          "LookupRoot",
          "Remove",
          "Rename",
          "Link",
          "Symlink",
          "Create",
          "Pathconf",
          "StatFs",
          "ReadLink",
          "ReadDir",
          "ServerCaps",
          "DelegReturn",
          "GetACL",
          "SetACL",
          "FsLocations",
          "ReleaseLockowner",
          "Secinfo",
          "FsidPresent",
          "ExchangeID",
          "CreateSession",
          "DestroySession",
          "Sequence",
          "GetLeaseTime",
          "ReclaimComplete",
          "LayoutGet",
          "GetDeviceInfo",
          "LayoutCommit",
          "LayoutReturn",
          "SecinfoNoName",
          "TestStateID",
          "FreeStateID",
          "GetDeviceList",
          "BindConnToSession",
          "DestroyClientID",
          "Seek",
          "Allocate",
          "DeAllocate",
          "LayoutStats",
          "Clone");

  private final HostPaths paths;

  NfsCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "nfs";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException, NoDataException {
    Path file = paths.proc("net/rpc/nfs");
    Map<String, long[]> lines = parse(file, "net", "rpc", "proc2", "proc3", "proc4");
    long[] net = fixed(lines.get("net"), 4, "net", file);
    long[] rpc = fixed(lines.get("rpc"), 3, "rpc", file);
    out.add(
        MetricFamily.builder("node_nfs_packets_total", MetricType.COUNTER)
            .help("Total NFSd network packets (sent+received) by protocol type.")
            .sample(net[2], "protocol", "tcp")
            .sample(net[1], "protocol", "udp")
            .build());
    out.add(counter("node_nfs_connections_total", "Total number of NFSd TCP connections.", net[3]));
    out.add(counter("node_nfs_rpcs_total", "Total number of RPCs performed.", rpc[0]));
    out.add(
        counter(
            "node_nfs_rpc_retransmissions_total",
            "Number of RPC transmissions performed.",
            rpc[1]));
    out.add(
        counter(
            "node_nfs_rpc_authentication_refreshes_total",
            "Number of RPC authentication refreshes performed.",
            rpc[2]));
    MetricFamily.Builder req =
        MetricFamily.builder("node_nfs_requests_total", MetricType.COUNTER)
            .help("Number of NFS procedures invoked.");
    procedures(req, "2", V2, lines.get("proc2"), false, file);
    procedures(req, "3", V3, lines.get("proc3"), false, file);
    procedures(req, "4", V4, lines.get("proc4"), true, file);
    out.add(req.build());
  }

  /**
   * Adds one sample per procedure. A "procN" line starts with its count of values; a missing line
   * counts as zeros (as procfs' zero-valued struct). With {@code pad}, a shorter line (an older
   * kernel) is padded with zeros.
   */
  static void procedures(
      MetricFamily.Builder b, String proto, List<String> names, long[] v, boolean pad, Path file)
      throws IOException {
    long[] values = new long[names.size()];
    if (v != null) {
      if (v.length == 0 || v[0] != v.length - 1 || (!pad && v[0] < names.size())) {
        throw new IOException("invalid proc" + proto + " line in " + file);
      }
      System.arraycopy(v, 1, values, 0, Math.min(names.size(), v.length - 1));
    }
    for (int i = 0; i < names.size(); i++) {
      b.sample(values[i], "method", names.get(i), "proto", proto);
    }
  }

  /** The lines of an rpc stats file by their first word; unknown words are ignored. */
  static Map<String, long[]> parse(Path file, String... known) throws IOException, NoDataException {
    List<String> text;
    try {
      text = HostPaths.lines(file);
    } catch (NoSuchFileException e) {
      throw new NoDataException("not collecting NFS metrics: " + file);
    }
    List<String> wanted = List.of(known);
    Map<String, long[]> out = new HashMap<>();
    for (String line : text) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 2 || !wanted.contains(f[0])) {
        continue;
      }
      int n = f[0].equals("th") ? Math.min(f.length, 3) : f.length;
      long[] v = new long[n - 1];
      for (int i = 1; i < n; i++) {
        v[i - 1] = Long.parseLong(f[i]);
      }
      out.put(f[0], v);
    }
    return out;
  }

  /** A fixed-width line, or zeros when absent; too few values is an error. */
  static long[] fixed(long[] v, int n, String what, Path file) throws IOException {
    if (v == null) {
      return new long[n];
    }
    if (v.length < n) {
      throw new IOException("invalid " + what + " line in " + file);
    }
    return v;
  }

  static MetricFamily counter(String name, String help, double value) {
    return MetricFamily.builder(name, MetricType.COUNTER).help(help).sample(value).build();
  }
}
