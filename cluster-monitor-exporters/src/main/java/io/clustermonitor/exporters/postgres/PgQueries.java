package io.clustermonitor.exporters.postgres;

import io.clustermonitor.exporters.MetricType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Help texts, settings conversion and version parsing of postgres_exporter 0.15. */
final class PgQueries {
  private PgQueries() {}

  record Column(MetricType type, String help) {}

  static final Map<String, Column> STAT_DATABASE = new LinkedHashMap<>();
  static final Map<String, Column> STAT_DATABASE_CONFLICTS = new LinkedHashMap<>();
  static final Map<String, Column> STAT_USER_TABLES = new LinkedHashMap<>();
  static final Map<String, String> BGWRITER = new LinkedHashMap<>();

  private static final MetricType C = MetricType.COUNTER;
  private static final MetricType G = MetricType.GAUGE;

  static {
    Map<String, Column> d = STAT_DATABASE;
    d.put(
        "numbackends",
        new Column(
            G,
            "Number of backends currently connected to this database. This is the only column in"
                + " this view that returns a value reflecting current state; all other columns"
                + " return the accumulated values since the last reset."));
    d.put(
        "xact_commit",
        new Column(C, "Number of transactions in this database that have been committed"));
    d.put(
        "xact_rollback",
        new Column(C, "Number of transactions in this database that have been rolled back"));
    d.put("blks_read", new Column(C, "Number of disk blocks read in this database"));
    d.put(
        "blks_hit",
        new Column(
            C,
            "Number of times disk blocks were found already in the buffer cache, so that a read"
                + " was not necessary (this only includes hits in the PostgreSQL buffer cache, not"
                + " the operating system's file system cache)"));
    d.put("tup_returned", new Column(C, "Number of rows returned by queries in this database"));
    d.put("tup_fetched", new Column(C, "Number of rows fetched by queries in this database"));
    d.put("tup_inserted", new Column(C, "Number of rows inserted by queries in this database"));
    d.put("tup_updated", new Column(C, "Number of rows updated by queries in this database"));
    d.put("tup_deleted", new Column(C, "Number of rows deleted by queries in this database"));
    d.put(
        "conflicts",
        new Column(
            C,
            "Number of queries canceled due to conflicts with recovery in this database."
                + " (Conflicts occur only on standby servers; see pg_stat_database_conflicts for"
                + " details.)"));
    d.put(
        "temp_files",
        new Column(
            C,
            "Number of temporary files created by queries in this database. All temporary files"
                + " are counted, regardless of why the temporary file was created (e.g., sorting"
                + " or hashing), and regardless of the log_temp_files setting."));
    d.put(
        "temp_bytes",
        new Column(
            C,
            "Total amount of data written to temporary files by queries in this database. All"
                + " temporary files are counted, regardless of why the temporary file was created,"
                + " and regardless of the log_temp_files setting."));
    d.put("deadlocks", new Column(C, "Number of deadlocks detected in this database"));
    d.put(
        "blk_read_time",
        new Column(
            C,
            "Time spent reading data file blocks by backends in this database, in milliseconds"));
    d.put(
        "blk_write_time",
        new Column(
            C,
            "Time spent writing data file blocks by backends in this database, in milliseconds"));
    d.put("stats_reset", new Column(C, "Time at which these statistics were last reset"));

    Map<String, Column> cf = STAT_DATABASE_CONFLICTS;
    cf.put(
        "confl_tablespace",
        new Column(
            C,
            "Number of queries in this database that have been canceled due to dropped"
                + " tablespaces"));
    cf.put(
        "confl_lock",
        new Column(
            C, "Number of queries in this database that have been canceled due to lock timeouts"));
    cf.put(
        "confl_snapshot",
        new Column(
            C, "Number of queries in this database that have been canceled due to old snapshots"));
    cf.put(
        "confl_bufferpin",
        new Column(
            C, "Number of queries in this database that have been canceled due to pinned buffers"));
    cf.put(
        "confl_deadlock",
        new Column(
            C, "Number of queries in this database that have been canceled due to deadlocks"));

    Map<String, Column> t = STAT_USER_TABLES;
    t.put("seq_scan", new Column(C, "Number of sequential scans initiated on this table"));
    t.put("seq_tup_read", new Column(C, "Number of live rows fetched by sequential scans"));
    t.put("idx_scan", new Column(C, "Number of index scans initiated on this table"));
    t.put("idx_tup_fetch", new Column(C, "Number of live rows fetched by index scans"));
    t.put("n_tup_ins", new Column(C, "Number of rows inserted"));
    t.put("n_tup_upd", new Column(C, "Number of rows updated"));
    t.put("n_tup_del", new Column(C, "Number of rows deleted"));
    t.put(
        "n_tup_hot_upd",
        new Column(C, "Number of rows HOT updated (i.e., with no separate index update required)"));
    t.put("n_live_tup", new Column(G, "Estimated number of live rows"));
    t.put("n_dead_tup", new Column(G, "Estimated number of dead rows"));
    t.put(
        "n_mod_since_analyze",
        new Column(G, "Estimated number of rows changed since last analyze"));
    t.put(
        "last_vacuum",
        new Column(
            G, "Last time at which this table was manually vacuumed (not counting VACUUM FULL)"));
    t.put(
        "last_autovacuum",
        new Column(G, "Last time at which this table was vacuumed by the autovacuum daemon"));
    t.put("last_analyze", new Column(G, "Last time at which this table was manually analyzed"));
    t.put(
        "last_autoanalyze",
        new Column(G, "Last time at which this table was analyzed by the autovacuum daemon"));
    t.put(
        "vacuum_count",
        new Column(
            C, "Number of times this table has been manually vacuumed (not counting VACUUM FULL)"));
    t.put(
        "autovacuum_count",
        new Column(C, "Number of times this table has been vacuumed by the autovacuum daemon"));
    t.put("analyze_count", new Column(C, "Number of times this table has been manually analyzed"));
    t.put(
        "autoanalyze_count",
        new Column(C, "Number of times this table has been analyzed by the autovacuum daemon"));

    Map<String, String> b = BGWRITER;
    b.put("checkpoints_timed", "Number of scheduled checkpoints that have been performed");
    b.put("checkpoints_req", "Number of requested checkpoints that have been performed");
    b.put(
        "checkpoint_write_time",
        "Total amount of time that has been spent in the portion of checkpoint processing where"
            + " files are written to disk, in milliseconds");
    b.put(
        "checkpoint_sync_time",
        "Total amount of time that has been spent in the portion of checkpoint processing where"
            + " files are synchronized to disk, in milliseconds");
    b.put("buffers_checkpoint", "Number of buffers written during checkpoints");
    b.put("buffers_clean", "Number of buffers written by the background writer");
    b.put(
        "maxwritten_clean",
        "Number of times the background writer stopped a cleaning scan because it had written"
            + " too many buffers");
    b.put("buffers_backend", "Number of buffers written directly by a backend");
    b.put(
        "buffers_backend_fsync",
        "Number of times a backend had to execute its own fsync call (normally the background"
            + " writer handles those even when the backend does its own write)");
    b.put("buffers_alloc", "Number of buffers allocated");
    b.put("stats_reset", "Time at which these statistics were last reset");
  }

  private static final Pattern VERSION = Pattern.compile("^\\w+ ((\\d+)(\\.\\d+)?(\\.\\d+)?)");

  /** {@code 15.18.0} from {@code PostgreSQL 15.18 (Debian ...) on ...}, as postgres_exporter. */
  static String shortVersion(String version) {
    Matcher m = VERSION.matcher(version);
    if (!m.find()) {
      return "";
    }
    String major = m.group(2);
    String minor = m.group(3) == null ? ".0" : m.group(3);
    String patch = m.group(4) == null ? ".0" : m.group(4);
    return major + minor + patch;
  }

  /** A pg_settings row converted like postgres_exporter's {@code pgSetting.metric()}. */
  record Setting(String name, String help, double value) {}

  static Setting setting(String name, String setting, String unit, String shortDesc, String type) {
    String metric = "pg_settings_" + name.replace('.', '_');
    String help =
        shortDesc == null || shortDesc.isEmpty() ? "Server Parameter: " + name : shortDesc;
    if (type.equals("bool")) {
      return new Setting(metric, help, "on".equals(setting) ? 1 : 0);
    }
    double val = Double.parseDouble(setting);
    String target;
    double factor;
    switch (unit) {
      case "" -> {
        return new Setting(metric, help, val);
      }
      case "ms" -> {
        target = "seconds";
        factor = 1 / 1000.0;
      }
      case "s" -> {
        target = "seconds";
        factor = 1;
      }
      case "min" -> {
        target = "seconds";
        factor = 60;
      }
      case "h" -> {
        target = "seconds";
        factor = 3600;
      }
      case "d" -> {
        target = "seconds";
        factor = 86400;
      }
      case "B" -> {
        target = "bytes";
        factor = 1;
      }
      case "kB", "1kB" -> {
        target = "bytes";
        factor = 1L << 10;
      }
      case "2kB" -> {
        target = "bytes";
        factor = 1L << 11;
      }
      case "4kB" -> {
        target = "bytes";
        factor = 1L << 12;
      }
      case "8kB" -> {
        target = "bytes";
        factor = 1L << 13;
      }
      case "16kB" -> {
        target = "bytes";
        factor = 1L << 14;
      }
      case "32kB" -> {
        target = "bytes";
        factor = 1L << 15;
      }
      case "64kB" -> {
        target = "bytes";
        factor = 1L << 16;
      }
      case "MB" -> {
        target = "bytes";
        factor = 1L << 20;
      }
      case "16MB" -> {
        target = "bytes";
        factor = 1L << 24;
      }
      case "32MB" -> {
        target = "bytes";
        factor = 1L << 25;
      }
      case "64MB" -> {
        target = "bytes";
        factor = 1L << 26;
      }
      case "GB" -> {
        target = "bytes";
        factor = 1L << 30;
      }
      case "TB" -> {
        target = "bytes";
        factor = 1L << 40;
      }
      default ->
          throw new IllegalArgumentException(
              "Unknown unit for runtime variable " + name + ": " + unit);
    }
    if (val != -1) {
      val *= factor;
    }
    return new Setting(metric + "_" + target, help + " [Units converted to " + target + ".]", val);
  }
}
