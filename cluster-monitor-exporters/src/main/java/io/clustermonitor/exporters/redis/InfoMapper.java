package io.clustermonitor.exporters.redis;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Maps {@code INFO ALL}, {@code CLUSTER INFO} and {@code CONFIG GET *} as redis_exporter 1.55. */
final class InfoMapper {
  private static final Map<String, String> GAUGES = new HashMap<>();
  private static final Map<String, String> COUNTERS = new HashMap<>();

  private static void g(String field, String metric) {
    GAUGES.put(field, metric);
  }

  private static void c(String field, String metric) {
    COUNTERS.put(field, metric);
  }

  static {
    // Server
    g("uptime_in_seconds", "uptime_in_seconds");
    g("process_id", "process_id");
    g("io_threads_active", "io_threads_active");
    // Clients
    g("connected_clients", "connected_clients");
    g("blocked_clients", "blocked_clients");
    g("tracking_clients", "tracking_clients");
    g("clients_in_timeout_table", "clients_in_timeout_table");
    g("client_longest_output_list", "client_longest_output_list");
    g("client_biggest_input_buf", "client_biggest_input_buf");
    g("client_recent_max_output_buffer", "client_recent_max_output_buffer_bytes");
    g("client_recent_max_input_buffer", "client_recent_max_input_buffer_bytes");
    // Memory
    g("allocator_active", "allocator_active_bytes");
    g("allocator_allocated", "allocator_allocated_bytes");
    g("allocator_resident", "allocator_resident_bytes");
    g("allocator_frag_ratio", "allocator_frag_ratio");
    g("allocator_frag_bytes", "allocator_frag_bytes");
    g("allocator_rss_ratio", "allocator_rss_ratio");
    g("allocator_rss_bytes", "allocator_rss_bytes");
    g("used_memory", "memory_used_bytes");
    g("used_memory_rss", "memory_used_rss_bytes");
    g("used_memory_peak", "memory_used_peak_bytes");
    g("used_memory_lua", "memory_used_lua_bytes");
    g("used_memory_overhead", "memory_used_overhead_bytes");
    g("used_memory_startup", "memory_used_startup_bytes");
    g("used_memory_dataset", "memory_used_dataset_bytes");
    g("used_memory_scripts", "memory_used_scripts_bytes");
    g("number_of_cached_scripts", "number_of_cached_scripts");
    g("maxmemory", "memory_max_bytes");
    g("mem_fragmentation_ratio", "mem_fragmentation_ratio");
    g("mem_fragmentation_bytes", "mem_fragmentation_bytes");
    g("mem_clients_slaves", "mem_clients_slaves");
    g("mem_clients_normal", "mem_clients_normal");
    g("expired_stale_perc", "expired_stale_percentage");
    g("mem_not_counted_for_evict", "mem_not_counted_for_eviction_bytes");
    g("lazyfree_pending_objects", "lazyfree_pending_objects");
    g("active_defrag_running", "active_defrag_running");
    g("migrate_cached_sockets", "migrate_cached_sockets_total");
    g("active_defrag_hits", "defrag_hits");
    g("active_defrag_misses", "defrag_misses");
    g("active_defrag_key_hits", "defrag_key_hits");
    g("active_defrag_key_misses", "defrag_key_misses");
    g("expired_time_cap_reached_count", "expired_time_cap_reached_total");
    // Persistence
    g("loading", "loading_dump_file");
    g("rdb_changes_since_last_save", "rdb_changes_since_last_save");
    g("rdb_bgsave_in_progress", "rdb_bgsave_in_progress");
    g("rdb_last_save_time", "rdb_last_save_timestamp_seconds");
    g("rdb_last_bgsave_status", "rdb_last_bgsave_status");
    g("rdb_last_bgsave_time_sec", "rdb_last_bgsave_duration_sec");
    g("rdb_current_bgsave_time_sec", "rdb_current_bgsave_duration_sec");
    g("rdb_last_cow_size", "rdb_last_cow_size_bytes");
    g("aof_enabled", "aof_enabled");
    g("aof_rewrite_in_progress", "aof_rewrite_in_progress");
    g("aof_rewrite_scheduled", "aof_rewrite_scheduled");
    g("aof_last_rewrite_time_sec", "aof_last_rewrite_duration_sec");
    g("aof_current_rewrite_time_sec", "aof_current_rewrite_duration_sec");
    g("aof_last_cow_size", "aof_last_cow_size_bytes");
    g("aof_current_size", "aof_current_size_bytes");
    g("aof_base_size", "aof_base_size_bytes");
    g("aof_pending_rewrite", "aof_pending_rewrite");
    g("aof_buffer_length", "aof_buffer_length");
    g("aof_rewrite_buffer_length", "aof_rewrite_buffer_length");
    g("aof_pending_bio_fsync", "aof_pending_bio_fsync");
    g("aof_delayed_fsync", "aof_delayed_fsync");
    g("aof_last_bgrewrite_status", "aof_last_bgrewrite_status");
    g("aof_last_write_status", "aof_last_write_status");
    g("module_fork_in_progress", "module_fork_in_progress");
    g("module_fork_last_cow_size", "module_fork_last_cow_size");
    // Stats
    g("pubsub_channels", "pubsub_channels");
    g("pubsub_patterns", "pubsub_patterns");
    g("latest_fork_usec", "latest_fork_usec");
    g("tracking_total_keys", "tracking_total_keys");
    g("tracking_total_items", "tracking_total_items");
    g("tracking_total_prefixes", "tracking_total_prefixes");
    // Replication
    g("connected_slaves", "connected_slaves");
    g("repl_backlog_size", "replication_backlog_bytes");
    g("repl_backlog_active", "repl_backlog_is_active");
    g("repl_backlog_first_byte_offset", "repl_backlog_first_byte_offset");
    g("repl_backlog_histlen", "repl_backlog_history_bytes");
    g("master_repl_offset", "master_repl_offset");
    g("second_repl_offset", "second_repl_offset");
    g("slave_expires_tracked_keys", "slave_expires_tracked_keys");
    g("slave_priority", "slave_priority");
    g("sync_full", "replica_resyncs_full");
    g("sync_partial_ok", "replica_partial_resync_accepted");
    g("sync_partial_err", "replica_partial_resync_denied");
    // Cluster
    g("cluster_stats_messages_sent", "cluster_messages_sent_total");
    g("cluster_stats_messages_received", "cluster_messages_received_total");

    // redis_exporter 1.55 additions: Redis 7 reservations, sharded pub/sub, KeyDB, Tile38
    g("maxmemory_reservation", "memory_max_reservation_bytes");
    g("maxmemory_desired_reservation", "memory_max_reservation_desired_bytes");
    g("maxfragmentationmemory_reservation", "memory_max_fragmentation_reservation_bytes");
    g(
        "maxfragmentationmemory_desired_reservation",
        "memory_max_fragmentation_reservation_desired_bytes");
    g("pubsubshard_channels", "pubsubshard_channels");
    g("tile38_aof_size", "tile38_aof_size_bytes");
    g("tile38_avg_point_size", "tile38_avg_item_size_bytes");
    g("tile38_sys_cpus", "tile38_cpus_total");
    g("tile38_heap_released_bytes", "tile38_heap_released_bytes");
    g("tile38_heap_alloc_bytes", "tile38_heap_size_bytes");
    g("tile38_http_transport", "tile38_http_transport");
    g("tile38_in_memory_size", "tile38_in_memory_size_bytes");
    g("tile38_max_heap_size", "tile38_max_heap_size_bytes");
    g("tile38_alloc_bytes", "tile38_mem_alloc_bytes");
    g("tile38_num_collections", "tile38_num_collections_total");
    g("tile38_num_hooks", "tile38_num_hooks_total");
    g("tile38_num_objects", "tile38_num_objects_total");
    g("tile38_num_points", "tile38_num_points_total");
    g("tile38_pointer_size", "tile38_pointer_size_bytes");
    g("tile38_read_only", "tile38_read_only");
    g("tile38_go_threads", "tile38_threads_total");
    g("tile38_go_goroutines", "tile38_go_goroutines_total");
    g("tile38_last_gc_time_seconds", "tile38_last_gc_time_seconds");
    g("tile38_next_gc_bytes", "tile38_next_gc_bytes");
    g("server_threads", "server_threads_total");
    g("long_lock_waits", "long_lock_waits_total");
    g("current_client_thread", "current_client_thread");
    c("cached_keys", "cached_keys_total");
    c("storage_provider_read_hits", "storage_provider_read_hits");
    c("storage_provider_read_misses", "storage_provider_read_misses");

    c("total_connections_received", "connections_received_total");
    c("total_commands_processed", "commands_processed_total");
    c("rejected_connections", "rejected_connections_total");
    c("total_net_input_bytes", "net_input_bytes_total");
    c("total_net_output_bytes", "net_output_bytes_total");
    c("expired_keys", "expired_keys_total");
    c("evicted_keys", "evicted_keys_total");
    c("keyspace_hits", "keyspace_hits_total");
    c("keyspace_misses", "keyspace_misses_total");
    c("used_cpu_sys", "cpu_sys_seconds_total");
    c("used_cpu_user", "cpu_user_seconds_total");
    c("used_cpu_sys_children", "cpu_sys_children_seconds_total");
    c("used_cpu_user_children", "cpu_user_children_seconds_total");
    c("used_cpu_sys_main_thread", "cpu_sys_main_thread_seconds_total");
    c("used_cpu_user_main_thread", "cpu_user_main_thread_seconds_total");
    c("unexpected_error_replies", "unexpected_error_replies");
    c("total_error_replies", "total_error_replies");
    c("dump_payload_sanitizations", "dump_payload_sanitizations");
    c("total_reads_processed", "total_reads_processed");
    c("total_writes_processed", "total_writes_processed");
    c("io_threaded_reads_processed", "io_threaded_reads_processed");
    c("io_threaded_writes_processed", "io_threaded_writes_processed");
  }

  /** Families in first-seen order; a name keeps the type and help of its first sample. */
  private final Map<String, MetricFamily.Builder> families = new LinkedHashMap<>();

  private final String ns;
  private final boolean systemMetrics;

  /** Per command of {@code # Commandstats}: calls and usec, for the latency summary. */
  private final Map<String, double[]> commandTotals = new HashMap<>();

  InfoMapper(String namespace) {
    this(namespace, false);
  }

  /**
   * @param systemMetrics also map {@code total_system_memory} ({@code --include-system-metrics})
   */
  InfoMapper(String namespace, boolean systemMetrics) {
    this.ns = namespace;
    this.systemMetrics = systemMetrics;
  }

  /** calls and usec of a command from the last {@link #info} ({@code null} when absent). */
  double[] commandTotals(String cmd) {
    return commandTotals.get(cmd);
  }

  /** Adds one summary child (type SUMMARY). */
  void summary(
      String metric,
      String help,
      Map<String, String> labels,
      Map<Double, Double> quantiles,
      double sum,
      double count) {
    families
        .computeIfAbsent(
            metric, m -> MetricFamily.builder(ns + "_" + m, MetricType.SUMMARY).help(help))
        .summary(labels, quantiles, sum, count);
  }

  /** Adds one histogram child (type HISTOGRAM) with cumulative buckets. */
  void histogram(
      String metric,
      String help,
      Map<String, String> labels,
      Map<Double, Double> buckets,
      double sum,
      double count) {
    families
        .computeIfAbsent(
            metric, m -> MetricFamily.builder(ns + "_" + m, MetricType.HISTOGRAM).help(help))
        .histogram(labels, buckets, sum, count);
  }

  void add(String metric, MetricType type, String help, double value, String... labels) {
    families
        .computeIfAbsent(
            metric,
            m -> MetricFamily.builder(ns + "_" + m, type).help(help == null ? m + " metric" : help))
        .sample(value, labels);
  }

  List<MetricFamily> build() {
    List<MetricFamily> out = new ArrayList<>();
    for (MetricFamily.Builder b : families.values()) {
      out.add(b.build());
    }
    return out;
  }

  /**
   * Adds the families of one {@code INFO ALL} reply.
   *
   * @param dbCount {@code databases} from CONFIG; databases without keys get {@code 0}
   * @param nowEpochSeconds the scrape time, for {@code start_time_seconds}
   */
  void info(String info, int dbCount, long nowEpochSeconds) {
    Map<String, String> kv = new HashMap<>();
    Set<String> handledDbs = new HashSet<>();
    String section = "";
    String masterHost = "";
    String masterPort = "";
    for (String raw : info.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("# ")) {
        section = line.substring(2);
        continue;
      }
      int colon = line.indexOf(':');
      if (line.length() < 2 || colon < 0) {
        continue;
      }
      String key = line.substring(0, colon);
      String value = line.substring(colon + 1);
      kv.put(key, value);
      if (key.equals("master_host")) {
        masterHost = value;
      }
      if (key.equals("master_port")) {
        masterPort = value;
      }
      switch (section) {
        case "Replication":
          if (replication(masterHost, masterPort, key, value)) {
            continue;
          }
          break;
        case "Server":
          if (key.equals("uptime_in_seconds")) {
            Double up = number(value);
            if (up != null) {
              add(
                  "start_time_seconds",
                  MetricType.GAUGE,
                  "Start time of the Redis instance since unix epoch in seconds.",
                  nowEpochSeconds - up);
            }
          }
          break;
        case "Commandstats":
          commandStats(key, value);
          continue;
        case "Latencystats":
          latencyStats(key, value);
          continue;
        case "Errorstats":
          if (key.startsWith("errorstat_")) {
            Map<String, String> f = fields(value);
            Double count = number(f.get("count"));
            if (count != null) {
              add(
                  "errors_total",
                  MetricType.COUNTER,
                  "Total number of errors per error type",
                  count,
                  "err",
                  key.substring("errorstat_".length()));
            }
          }
          continue;
        case "Keyspace":
          if (key.startsWith("db")) {
            Map<String, String> f = fields(value);
            Double keys = number(f.get("keys"));
            Double expires = number(f.get("expires"));
            if (keys != null && expires != null) {
              add("db_keys", MetricType.GAUGE, "Total number of keys by DB", keys, "db", key);
              add(
                  "db_keys_expiring",
                  MetricType.GAUGE,
                  "Total number of expiring keys by DB",
                  expires,
                  "db",
                  key);
              Double cached = number(f.get("cached_keys"));
              if (cached != null) {
                add(
                    "db_keys_cached",
                    MetricType.GAUGE,
                    "Total number of cached keys by DB",
                    cached,
                    "db",
                    key);
              }
              Double ttl = number(f.get("avg_ttl"));
              if (ttl != null) {
                add(
                    "db_avg_ttl_seconds",
                    MetricType.GAUGE,
                    "Avg TTL in seconds",
                    ttl / 1000,
                    "db",
                    key);
              }
              handledDbs.add(key);
              continue;
            }
          }
          break;
        default:
          break;
      }
      plain(key, value);
    }
    for (int i = 0; i < dbCount; i++) {
      String db = "db" + i;
      if (!handledDbs.contains(db)) {
        add("db_keys", MetricType.GAUGE, "Total number of keys by DB", 0, "db", db);
        add(
            "db_keys_expiring",
            MetricType.GAUGE,
            "Total number of expiring keys by DB",
            0,
            "db",
            db);
      }
    }
    add(
        "instance_info",
        MetricType.GAUGE,
        "Information about the Redis instance",
        1,
        "role",
        kv.getOrDefault("role", ""),
        "redis_version",
        kv.getOrDefault("redis_version", ""),
        "redis_build_id",
        kv.getOrDefault("redis_build_id", ""),
        "redis_mode",
        kv.getOrDefault("redis_mode", ""),
        "os",
        kv.getOrDefault("os", ""),
        "maxmemory_policy",
        kv.getOrDefault("maxmemory_policy", ""),
        "tcp_port",
        kv.getOrDefault("tcp_port", ""),
        "run_id",
        kv.getOrDefault("run_id", ""),
        "process_id",
        kv.getOrDefault("process_id", ""));
    if ("slave".equals(kv.get("role"))) {
      add(
          "slave_info",
          MetricType.GAUGE,
          "Information about the Redis slave",
          1,
          "master_host",
          kv.getOrDefault("master_host", ""),
          "master_port",
          kv.getOrDefault("master_port", ""),
          "read_only",
          kv.getOrDefault("slave_read_only", ""));
    }
  }

  /**
   * The lines of {@code CLUSTER INFO}: every {@code cluster_*} field, {@code ok}/{@code fail} 1/0.
   */
  void clusterInfo(String text) {
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      int colon = line.indexOf(':');
      if (colon > 0) {
        plain(line.substring(0, colon), line.substring(colon + 1));
      }
    }
  }

  /** {@code config_maxclients}, {@code config_maxmemory}, {@code config_io_threads}. */
  void config(Map<String, String> config) {
    for (String[] m :
        new String[][] {
          {"io-threads", "config_io_threads"},
          {"maxclients", "config_maxclients"},
          {"maxmemory", "config_maxmemory"}
        }) {
      Double v = number(config.get(m[0]));
      if (v != null) {
        add(m[1], MetricType.GAUGE, null, v);
      }
    }
  }

  /** Config settings whose value is a secret, left out by {@code --redact-config-metrics}. */
  static final Set<String> REDACTED =
      Set.of("masterauth", "requirepass", "tls-key-file-pass", "tls-client-key-file-pass");

  /**
   * {@code --include-config-metrics}: {@code config_key_value{key,value} 1} for every setting and
   * {@code config_value{key}} for numeric ones.
   *
   * @param redact leave out {@link #REDACTED} settings
   */
  void configAll(Map<String, String> config, boolean redact) {
    for (Map.Entry<String, String> e : config.entrySet()) {
      if (redact && REDACTED.contains(e.getKey())) {
        continue;
      }
      add(
          "config_key_value",
          MetricType.GAUGE,
          "Config key and value",
          1,
          "key",
          e.getKey(),
          "value",
          e.getValue());
      Double v = number(e.getValue());
      if (v != null) {
        add(
            "config_value",
            MetricType.GAUGE,
            "Config key and value as metric",
            v,
            "key",
            e.getKey());
      }
    }
  }

  private boolean replication(String masterHost, String masterPort, String key, String value) {
    if (key.equals("master_link_status")) {
      add(
          "master_link_up",
          MetricType.GAUGE,
          "Master link status on Redis slave",
          value.equals("up") ? 1 : 0,
          "master_host",
          masterHost,
          "master_port",
          masterPort);
      return true;
    }
    switch (key) {
      case "master_last_io_seconds_ago":
      case "slave_repl_offset":
      case "master_sync_in_progress":
        {
          String help =
              switch (key) {
                case "master_last_io_seconds_ago" -> "Master last io seconds ago";
                case "slave_repl_offset" -> "Slave replication offset";
                default -> "Master sync in progress";
              };
          Double v = number(value);
          add(
              key,
              MetricType.GAUGE,
              help,
              v == null ? 0 : Math.rint(v),
              "master_host",
              masterHost,
              "master_port",
              masterPort);
          return true;
        }
      default:
        break;
    }
    if (key.startsWith("slave") && value.contains("ip=")) {
      Map<String, String> f = fields(value);
      Double offset = number(f.get("offset"));
      if (offset == null) {
        return false;
      }
      String ip = f.getOrDefault("ip", "");
      String port = f.getOrDefault("port", "");
      String state = f.getOrDefault("state", "");
      add(
          "connected_slave_offset_bytes",
          MetricType.GAUGE,
          "Offset of connected slave",
          offset,
          "slave_ip",
          ip,
          "slave_port",
          port,
          "slave_state",
          state);
      Double lag = number(f.get("lag"));
      if (lag != null) {
        add(
            "connected_slave_lag_seconds",
            MetricType.GAUGE,
            "Lag of connected slave",
            lag,
            "slave_ip",
            ip,
            "slave_port",
            port,
            "slave_state",
            state);
      }
      return true;
    }
    return false;
  }

  /** {@code latency_percentiles_usec_<cmd>:p50=..,p99=..,p99.9=..} (Redis 7). */
  private void latencyStats(String key, String value) {
    String prefix = "latency_percentiles_usec_";
    if (!key.startsWith(prefix)) {
      return;
    }
    String cmd = key.substring(prefix.length());
    Map<Double, Double> quantiles = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 2 || part.charAt(0) != 'p') {
        continue;
      }
      Double v = number(part.substring(eq + 1));
      try {
        double q = new java.math.BigDecimal(part.substring(1, eq)).movePointLeft(2).doubleValue();
        if (v != null) {
          quantiles.put(q, v);
        }
      } catch (NumberFormatException e) {
        // not a percentile field
      }
    }
    double[] totals = commandTotals.getOrDefault(cmd, new double[2]);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("cmd", cmd);
    summary(
        "latency_percentiles_usec",
        "A summary of latency percentile distribution per command",
        labels,
        quantiles,
        totals[1],
        totals[0]);
  }

  private void commandStats(String key, String value) {
    if (!key.startsWith("cmdstat_")) {
      return;
    }
    String cmd = key.substring("cmdstat_".length());
    Map<String, String> f = fields(value);
    Double calls = number(f.get("calls"));
    Double usec = number(f.get("usec"));
    if (calls == null || usec == null) {
      return;
    }
    commandTotals.put(cmd, new double[] {calls, usec});
    add(
        "commands_total",
        MetricType.COUNTER,
        "Total number of calls per command",
        calls,
        "cmd",
        cmd);
    add(
        "commands_duration_seconds_total",
        MetricType.COUNTER,
        "Total amount of time in seconds spent per command",
        usec / 1e6,
        "cmd",
        cmd);
    Double rejected = number(f.get("rejected_calls"));
    Double failed = number(f.get("failed_calls"));
    if (rejected != null && failed != null) {
      // redis_exporter 1.45 swaps these two help texts; kept for identical output.
      add(
          "commands_rejected_calls_total",
          MetricType.COUNTER,
          "Total number of errors within command execution per command",
          rejected,
          "cmd",
          cmd);
      add(
          "commands_failed_calls_total",
          MetricType.COUNTER,
          "Total number of errors prior command execution per command",
          failed,
          "cmd",
          cmd);
    }
  }

  private void plain(String key, String value) {
    if (systemMetrics && key.equals("total_system_memory")) {
      Double v = number(value);
      if (v != null) {
        add("total_system_memory_bytes", MetricType.GAUGE, null, v);
      }
      return;
    }
    boolean include =
        key.startsWith("cluster_") || GAUGES.containsKey(key) || COUNTERS.containsKey(key);
    if (!include) {
      return;
    }
    MetricType type = MetricType.GAUGE;
    String metric = key;
    if (GAUGES.containsKey(key)) {
      metric = GAUGES.get(key);
    } else if (COUNTERS.containsKey(key)) {
      metric = COUNTERS.get(key);
      type = MetricType.COUNTER;
    }
    Double v =
        switch (value) {
          case "ok", "true" -> 1.0;
          case "err", "fail", "false" -> 0.0;
          default -> number(value);
        };
    if (v == null) {
      return;
    }
    if (key.equals("latest_fork_usec")) {
      metric = "latest_fork_seconds";
      v = v / 1e6;
    }
    add(metric, type, null, v);
  }

  static Map<String, String> fields(String value) {
    Map<String, String> f = new HashMap<>();
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        f.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return f;
  }

  static Double number(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
