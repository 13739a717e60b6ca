package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** NFS server statistics ({@code node_nfsd_*}) from /proc/net/rpc/nfsd. */
final class NfsdCollector implements SubCollector {
  /** Column (1-based after the count) of each NFSv4 operation node_exporter reports. */
  private static final Object[][] V4_OPS = {
    {"Access", 4}, {"Close", 5}, {"Commit", 6}, {"Create", 7}, {"DelegPurge", 8},
    {"DelegReturn", 9}, {"GetAttr", 10}, {"GetFH", 11}, {"Link", 12}, {"Lock", 13},
    {"Lockt", 14}, {"Locku", 15}, {"Lookup", 16}, {"LookupRoot", 17}, {"Nverify", 18},
    {"Open", 19}, {"OpenAttr", 20}, {"OpenConfirm", 21}, {"OpenDgrd", 22}, {"PutFH", 23},
    {"Read", 26}, {"ReadDir", 27}, {"ReadLink", 28}, {"Remove", 29}, {"Rename", 30},
    {"Renew", 31}, {"RestoreFH", 32}, {"SaveFH", 33}, {"SecInfo", 34}, {"SetAttr", 35},
    {"Verify", 38}, {"Write", 39}, {"RelLockOwner", 40},
  };

  private final HostPaths paths;

  NfsdCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "nfsd";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException, NoDataException {
    Path file = paths.proc("net/rpc/nfsd");
    Map<String, long[]> l =
        NfsCollector.parse(
            file, "rc", "fh", "io", "th", "ra", "net", "rpc", "proc2", "proc3", "proc4ops");
    long[] rc = NfsCollector.fixed(l.get("rc"), 3, "rc", file);
    long[] fh = NfsCollector.fixed(l.get("fh"), 1, "fh", file);
    long[] io = NfsCollector.fixed(l.get("io"), 2, "io", file);
    long[] th = NfsCollector.fixed(l.get("th"), 2, "th", file);
    long[] ra = NfsCollector.fixed(l.get("ra"), 12, "ra", file);
    long[] net = NfsCollector.fixed(l.get("net"), 4, "net", file);
    long[] rpc = NfsCollector.fixed(l.get("rpc"), 5, "rpc", file);
    out.add(
        c(
            "node_nfsd_reply_cache_hits_total",
            "Total number of NFSd Reply Cache hits (client lost server response).",
            rc[0]));
    out.add(
        c(
            "node_nfsd_reply_cache_misses_total",
            "Total number of NFSd Reply Cache an operation that requires caching (idempotent).",
            rc[1]));
    out.add(
        c(
            "node_nfsd_reply_cache_nocache_total",
            "Total number of NFSd Reply Cache non-idempotent operations (rename/delete/…).",
            rc[2]));
    out.add(
        c("node_nfsd_file_handles_stale_total", "Total number of NFSd stale file handles", fh[0]));
    out.add(c("node_nfsd_disk_bytes_read_total", "Total NFSd bytes read.", io[0]));
    out.add(c("node_nfsd_disk_bytes_written_total", "Total NFSd bytes written.", io[1]));
    out.add(
        g(
            "node_nfsd_server_threads",
            "Total number of NFSd kernel threads that are running.",
            th[0]));
    out.add(
        g(
            "node_nfsd_read_ahead_cache_size_blocks",
            "How large the read ahead cache is in blocks.",
            ra[0]));
    out.add(
        c(
            "node_nfsd_read_ahead_cache_not_found_total",
            "Total number of NFSd read ahead cache not found.",
            ra[11]));
    out.add(
        MetricFamily.builder("node_nfsd_packets_total", MetricType.COUNTER)
            .help("Total NFSd network packets (sent+received) by protocol type.")
            .sample(net[2], "proto", "tcp")
            .sample(net[1], "proto", "udp")
            .build());
    out.add(c("node_nfsd_connections_total", "Total number of NFSd TCP connections.", net[3]));
    out.add(
        MetricFamily.builder("node_nfsd_rpc_errors_total", MetricType.COUNTER)
            .help("Total number of NFSd RPC errors by error type.")
            .sample(rpc[3], "error", "auth")
            .sample(rpc[4], "error", "cInt")
            .sample(rpc[2], "error", "fmt")
            .build());
    out.add(c("node_nfsd_server_rpcs_total", "Total number of NFSd RPCs.", rpc[0]));
    MetricFamily.Builder req =
        MetricFamily.builder("node_nfsd_requests_total", MetricType.COUNTER)
            .help("Total number NFSd Requests by method and protocol.");
    NfsCollector.procedures(req, "2", NfsCollector.V2, l.get("proc2"), false, file);
    NfsCollector.procedures(req, "3", NfsCollector.V3, l.get("proc3"), false, file);
    long[] ops = l.get("proc4ops");
    if (ops != null && (ops.length == 0 || ops[0] != ops.length - 1 || ops[0] < 40)) {
      throw new IOException("invalid proc4ops line in " + file);
    }
    for (Object[] op : V4_OPS) {
      req.sample(ops == null ? 0 : ops[(Integer) op[1]], "method", (String) op[0], "proto", "4");
    }
    out.add(req.build());
  }

  private static MetricFamily c(String name, String help, double v) {
    return NfsCollector.counter(name, help, v);
  }

  private static MetricFamily g(String name, String help, double v) {
    return MetricFamily.builder(name, MetricType.GAUGE).help(help).sample(v).build();
  }
}
