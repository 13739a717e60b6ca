package io.clustermonitor.exporters.postgres;

import io.clustermonitor.exporters.MetricType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The collector package of postgres_exporter 0.15 ({@code collector/*.go}): families without the
 * {@code server} label, each collector switched with {@code --[no-]collector.<name>} and reported
 * in {@code pg_scrape_collector_success{collector}}. Each one runs its own statements, so one that
 * fails (a catalog change, a missing extension, a permission) costs only its own families.
 */
final class Collectors {
  private Collectors() {}

  /** What a collector gets to run its queries. */
  static final class Ctx {
    final PgConn conn;
    final Duration timeout;
    final Set<String> excludedDatabases;
    final int serverVersionNum;

    Ctx(PgConn conn, Duration timeout, Set<String> excludedDatabases, int serverVersionNum) {
      this.conn = conn;
      this.timeout = timeout;
      this.excludedDatabases = excludedDatabases;
      this.serverVersionNum = serverVersionNum;
    }

    ResultSet query(String sql) throws SQLException {
      try {
        return conn.statement(sql, timeout).executeQuery();
      } catch (SQLException e) {
        conn.forget(sql);
        throw e;
      }
    }
  }

  interface Body {
    void collect(Ctx ctx, Families out) throws SQLException;
  }

  /** One collector: its flag name, whether it is on by default, and what it does. */
  record Def(String name, boolean defaultEnabled, Body body) {}

  static final Map<String, Def> ALL;

  static {
    Map<String, Def> m = new LinkedHashMap<>();
    for (Def d :
        List.of(
            new Def("database", true, Collectors::database),
            new Def("database_wraparound", false, Collectors::wraparound),
            new Def("locks", true, Collectors::locks),
            new Def("long_running_transactions", false, Collectors::longRunning),
            new Def("postmaster", false, Collectors::postmaster),
            new Def("process_idle", false, Collectors::processIdle),
            new Def("replication", true, Collectors::replication),
            new Def("replication_slot", true, Collectors::replicationSlot),
            new Def("stat_activity_autovacuum", false, Collectors::autovacuum),
            new Def("stat_bgwriter", true, Collectors::bgwriter),
            new Def("stat_database", true, Collectors::statDatabase),
            new Def("stat_statements", false, Collectors::statStatements),
            new Def("stat_user_tables", true, Collectors::userTables),
            new Def("stat_wal_receiver", false, Collectors::walReceiver),
            new Def("statio_user_indexes", false, Collectors::statioIndexes),
            new Def("statio_user_tables", true, Collectors::statioTables),
            new Def("wal", true, Collectors::wal),
            new Def("xlog_location", false, Collectors::xlogLocation))) {
      m.put(d.name(), d);
    }
    ALL = Collections.unmodifiableMap(m);
  }

  /** The default set, in the order the collectors run. */
  static List<String> defaults() {
    List<String> out = new ArrayList<>();
    ALL.values().stream().filter(Def::defaultEnabled).forEach(d -> out.add(d.name()));
    return out;
  }

  private static final MetricType G = MetricType.GAUGE;
  private static final MetricType C = MetricType.COUNTER;

  private static double num(ResultSet rs, int i) throws SQLException {
    return Legacy.number(rs.getObject(i));
  }

  /** NULL as 0, as the Go collectors do with their {@code sql.Null*} values. */
  private static double numOr0(ResultSet rs, int i) throws SQLException {
    Object o = rs.getObject(i);
    return o == null ? 0 : Legacy.number(o);
  }

  static void database(Ctx ctx, Families out) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = ctx.query("SELECT pg_database.datname FROM pg_database")) {
      while (rs.next()) {
        String n = rs.getString(1);
        if (!ctx.excludedDatabases.contains(n)) {
          names.add(n);
        }
      }
    }
    var ps = ctx.conn.statement("SELECT pg_database_size(?)", ctx.timeout);
    for (String n : names) {
      ps.setString(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        out.add(
            "pg_database_size_bytes",
            G,
            "Disk space used by the database",
            num(rs, 1),
            "datname",
            n);
      }
    }
  }

  static void wraparound(Ctx ctx, Families out) throws SQLException {
    try (ResultSet rs =
        ctx.query(
            "SELECT datname, age(d.datfrozenxid) as age_datfrozenxid, mxid_age(d.datminmxid) as"
                + " age_datminmxid FROM pg_catalog.pg_database d WHERE d.datallowconn")) {
      while (rs.next()) {
        String db = rs.getString(1);
        out.add(
            "pg_database_wraparound_age_datfrozenxid_seconds",
            G,
            "Age of the oldest transaction ID that has not been frozen.",
            num(rs, 2),
            "datname",
            db);
        out.add(
            "pg_database_wraparound_age_datminmxid_seconds",
            G,
            "Age of the oldest multi-transaction ID that has been replaced with a transaction ID.",
            num(rs, 3),
            "datname",
            db);
      }
    }
  }

  static void locks(Ctx ctx, Families out) throws SQLException {
    try (ResultSet rs =
        ctx.query(
            "SELECT pg_database.datname as datname, tmp.mode as mode, COALESCE(count, 0) as count"
                + " FROM (VALUES ('accesssharelock'), ('rowsharelock'), ('rowexclusivelock'),"
                + " ('shareupdateexclusivelock'), ('sharelock'), ('sharerowexclusivelock'),"
                + " ('exclusivelock'), ('accessexclusivelock'), ('sireadlock')) AS tmp(mode)"
                + " CROSS JOIN pg_database LEFT JOIN (SELECT database, lower(mode) AS mode,"
                + " count(*) AS count FROM pg_locks WHERE database IS NOT NULL GROUP BY database,"
                + " lower(mode)) AS tmp2 ON tmp.mode = tmp2.mode and pg_database.oid ="
                + " tmp2.database ORDER BY 1")) {
      while (rs.next()) {
        out.add(
            "pg_locks_count",
            G,
            "Number of locks",
            num(rs, 3),
            "datname",
            rs.getString(1),
            "mode",
            rs.getString(2));
      }
    }
  }

  static void longRunning(Ctx ctx, Families out) throws SQLException {
    try (ResultSet rs =
        ctx.query(
            "SELECT COUNT(*) as transactions, MAX(EXTRACT(EPOCH FROM clock_timestamp() -"
                + " xact_start)) AS oldest_timestamp_seconds FROM pg_catalog.pg_stat_activity"
                + " WHERE state IS DISTINCT FROM 'idle' AND query NOT LIKE 'autovacuum:%' AND"
                + " pg_stat_activity.xact_start IS NOT NULL")) {
      while (rs.next()) {
        out.add(
            "pg_long_running_transactions",
            G,
            "Current number of long running transactions",
            num(rs, 1));
        out.add(
            "pg_long_running_transactions_oldest_timestamp_seconds",
            G,
            "The current maximum transaction age in seconds",
            numOr0(rs, 2));
      }
    }
  }

  static void postmaster(Ctx ctx, Families out) throws SQLException {
    try (ResultSet rs =
        ctx.query(
            "SELECT extract(epoch from pg_postmaster_start_time) from"
                + " pg_postmaster_start_time()")) {
      while (rs.next()) {
        out.add(
            "pg_postmaster_start_time_seconds", G, "Time at which postmaster started", num(rs, 1));
      }
    }
  }

  /**
   * {@code pg_process_idle_seconds}, a histogram as in postgres_exporter 0.15: per {@code state}
   * (idle, idle in transaction, ...) and {@code application_name}, how long the server's processes
   * have been in that state, in buckets of 1, 2, 5, 15, 30, 60, 90, 120 and 300 s, with the sum of
   * the whole seconds and the count. The same query as 0.15; unlike 0.15, which reads only its
   * first row ({@code QueryRow}: one arbitrary series) and fails when no process is idle, every row
   * is a series, and no idle process means no series.
   */
  static void processIdle(Ctx ctx, Families out) throws SQLException {
    try (ResultSet rs =
        ctx.query(
            "WITH metrics AS (SELECT state, application_name, SUM(EXTRACT(EPOCH FROM"
                + " (CURRENT_TIMESTAMP - state_change))::bigint)::float AS process_idle_seconds_sum,"
                + " COUNT(*) AS process_idle_seconds_count FROM pg_stat_activity WHERE state ~"
                + " '^idle' GROUP BY state, application_name), buckets AS (SELECT state,"
                + " application_name, le, SUM(CASE WHEN EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP -"
                + " state_change)) <= le THEN 1 ELSE 0 END)::bigint AS bucket FROM"
                + " pg_stat_activity, UNNEST(ARRAY[1, 2, 5, 15, 30, 60, 90, 120, 300]) AS le GROUP"
                + " BY state, application_name, le ORDER BY state, application_name, le) SELECT"
                + " state, application_name, process_idle_seconds_sum as seconds_sum,"
                + " process_idle_seconds_count as seconds_count, ARRAY_AGG(le) AS seconds,"
                + " ARRAY_AGG(bucket) AS seconds_bucket FROM metrics JOIN buckets USING (state,"
                + " application_name) GROUP BY 1, 2, 3, 4")) {
      while (rs.next()) {
        String state = rs.getString(1);
        String app = rs.getString(2);
        Object[] les = (Object[]) rs.getArray(5).getArray();
        Object[] counts = (Object[]) rs.getArray(6).getArray();
        // As Go's map of bounds: sorted, a bound without a count left out.
        Map<Double, Double> buckets = new java.util.TreeMap<>();
        for (int i = 0; i < les.length && i < counts.length; i++) {
          buckets.put(Legacy.number(les[i]), counts[i] == null ? 0 : Legacy.number(counts[i]));
        }
        out.histogram(
            "pg_process_idle_seconds",
            "Idle time of server processes",
            Map.of(
                "state", state == null ? "unknown" : state,
                "application_name", app == null ? "unknown" : app),
            buckets,
            numOr0(rs, 3),
            numOr0(rs, 4));
      }
    }
  }

  static void replication(Ctx ctx, Families out) throws SQLException {
    try (ResultSet rs =
        ctx.query(
            "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 WHEN pg_last_wal_receive_lsn () ="
                + " pg_last_wal_replay_lsn () THEN 0 ELSE GREATEST (0, EXTRACT(EPOCH FROM (now() -"
                + " pg_last_xact_replay_timestamp()))) END AS lag, CASE WHEN pg_is_in_recovery()"
                + " THEN 1 ELSE 0 END as is_replica")) {
      while (rs.next()) {
        out.add(
            "pg_replication_lag_seconds",
            G,
            "Replication lag behind master in seconds",
            num(rs, 1));
        out.add("pg_replication_is_replica", G, "Indicates if the server is a replica", num(rs, 2));
      }
    }
  }

  static void replicationSlot(Ctx ctx, Families out) throws SQLException {
    try (ResultSet rs =
        ctx.query(
            "SELECT slot_name, CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() -"
                + " '0/0' ELSE pg_current_wal_lsn() - '0/0' END AS current_wal_lsn,"
                + " COALESCE(confirmed_flush_lsn, '0/0') - '0/0', active FROM"
                + " pg_replication_slots")) {
      while (rs.next()) {
        String slot = rs.getString(1);
        boolean active = rs.getBoolean(4);
        out.add(
            "pg_replication_slot_slot_current_wal_lsn",
            G,
            "current wal lsn value",
            numOr0(rs, 2),
            "slot_name",
            slot);
        if (active) {
          out.add(
              "pg_replication_slot_slot_confirmed_flush_lsn",
              G,
              "last lsn confirmed flushed to the replication slot",
              numOr0(rs, 3),
              "slot_name",
              slot);
        }
        out.add(
            "pg_replication_slot_slot_is_active",
            G,
            "whether the replication slot is active or not",
            active ? 1 : 0,
            "slot_name",
            slot);
      }
    }
  }

  static void autovacuum(Ctx ctx, Families out) throws SQLException {
    try (ResultSet rs =
        ctx.query(
            "SELECT SPLIT_PART(query, '.', 2) AS relname, EXTRACT(EPOCH FROM xact_start) AS"
                + " timestamp_seconds FROM pg_catalog.pg_stat_activity WHERE query LIKE"
                + " 'autovacuum:%'")) {
      while (rs.next()) {
        out.add(
            "pg_stat_activity_autovacuum_timestamp_seconds",
            G,
            "Start timestamp of the vacuum process in seconds",
            num(rs, 2),
            "relname",
            rs.getString(1));
      }
    }
  }

  static void bgwriter(Ctx ctx, Families out) throws SQLException {
    // The 0.15 columns: PostgreSQL 17 moved the checkpoint ones to pg_stat_checkpointer, so there
    // this collector fails alone (pg_scrape_collector_success 0) and the rest of the scrape stands.
    try (ResultSet rs =
        ctx.query(
            "SELECT checkpoints_timed, checkpoints_req, checkpoint_write_time,"
                + " checkpoint_sync_time, buffers_checkpoint, buffers_clean, maxwritten_clean,"
                + " buffers_backend, buffers_backend_fsync, buffers_alloc, stats_reset FROM"
                + " pg_stat_bgwriter")) {
      if (rs.next()) {
        int i = 1;
        for (Map.Entry<String, String> e : PgQueries.BGWRITER.entrySet()) {
          out.add("pg_stat_bgwriter_" + e.getKey() + "_total", C, e.getValue(), numOr0(rs, i++));
        }
      }
    }
  }

  static void statDatabase(Ctx ctx, Families out) throws SQLException {
    String[] cols = {
      "numbackends",
      "xact_commit",
      "xact_rollback",
      "blks_read",
      "blks_hit",
      "tup_returned",
      "tup_fetched",
      "tup_inserted",
      "tup_updated",
      "tup_deleted",
      "conflicts",
      "temp_files",
      "temp_bytes",
      "deadlocks",
      "blk_read_time",
      "blk_write_time",
      "stats_reset"
    };
    try (ResultSet rs =
        ctx.query("SELECT datid, datname, " + String.join(", ", cols) + " FROM pg_stat_database")) {
      row:
      while (rs.next()) {
        String datid = rs.getString(1);
        String datname = rs.getString(2);
        if (datid == null || datname == null) {
          continue;
        }
        double[] v = new double[cols.length];
        for (int i = 0; i < cols.length; i++) {
          Object o = rs.getObject(i + 3);
          if (o == null) {
            if (cols[i].equals("stats_reset")) {
              v[i] = 0;
              continue;
            }
            continue row;
          }
          v[i] = Legacy.number(o);
        }
        for (int i = 0; i < cols.length; i++) {
          PgQueries.Column k = PgQueries.STAT_DATABASE.get(cols[i]);
          out.add(
              "pg_stat_database_" + cols[i],
              k.type(),
              k.help(),
              v[i],
              "datid",
              datid,
              "datname",
              datname);
        }
      }
    }
  }

  static void statStatements(Ctx ctx, Families out) throws SQLException {
    boolean pg13 = ctx.serverVersionNum >= 130000;
    String total = pg13 ? "total_exec_time" : "total_time";
    try (ResultSet rs =
        ctx.query(
            "SELECT pg_get_userbyid(userid) as user, pg_database.datname,"
                + " pg_stat_statements.queryid, pg_stat_statements.calls as calls_total,"
                + " pg_stat_statements."
                + total
                + " / 1000.0 as seconds_total, pg_stat_statements.rows as rows_total,"
                + " pg_stat_statements.blk_read_time / 1000.0 as block_read_seconds_total,"
                + " pg_stat_statements.blk_write_time / 1000.0 as block_write_seconds_total FROM"
                + " pg_stat_statements JOIN pg_database ON pg_database.oid ="
                + " pg_stat_statements.dbid WHERE "
                + total
                + " > (SELECT percentile_cont(0.1) WITHIN GROUP (ORDER BY "
                + total
                + ") FROM pg_stat_statements) ORDER BY seconds_total DESC LIMIT 100")) {
      String[][] fams = {
        {"pg_stat_statements_calls_total", "Number of times executed"},
        {"pg_stat_statements_seconds_total", "Total time spent in the statement, in seconds"},
        {"pg_stat_statements_rows_total", "Total number of rows retrieved or affected"},
        {
          "pg_stat_statements_block_read_seconds_total",
          "Total time the statement spent reading blocks, in seconds"
        },
        {
          "pg_stat_statements_block_write_seconds_total",
          "Total time the statement spent writing blocks, in seconds"
        }
      };
      while (rs.next()) {
        String[] labels = {
          "user", Legacy.text(rs.getObject(1)),
          "datname", Legacy.text(rs.getObject(2)),
          "queryid", Legacy.text(rs.getObject(3))
        };
        for (int i = 0; i < fams.length; i++) {
          out.add(fams[i][0], C, fams[i][1], numOr0(rs, 4 + i), labels);
        }
      }
    }
  }

  static void userTables(Ctx ctx, Families out) throws SQLException {
    try (ResultSet rs =
        ctx.query(
            "SELECT current_database() datname, schemaname, relname, seq_scan, seq_tup_read,"
                + " idx_scan, idx_tup_fetch, n_tup_ins, n_tup_upd, n_tup_del, n_tup_hot_upd,"
                + " n_live_tup, n_dead_tup, n_mod_since_analyze, COALESCE(last_vacuum,"
                + " '1970-01-01Z') as last_vacuum, COALESCE(last_autovacuum, '1970-01-01Z') as"
                + " last_autovacuum, COALESCE(last_analyze, '1970-01-01Z') as last_analyze,"
                + " COALESCE(last_autoanalyze, '1970-01-01Z') as last_autoanalyze, vacuum_count,"
                + " autovacuum_count, analyze_count, autoanalyze_count,"
                + " pg_total_relation_size(relid) as total_size FROM pg_stat_user_tables")) {
      var md = rs.getMetaData();
      while (rs.next()) {
        String[] labels = {
          "datname", rs.getString(1), "schemaname", rs.getString(2), "relname", rs.getString(3)
        };
        for (int i = 4; i <= md.getColumnCount(); i++) {
          String col = md.getColumnLabel(i);
          double v = numOr0(rs, i);
          if (col.equals("total_size")) {
            out.add(
                "pg_stat_user_tables_size_bytes",
                G,
                "Total disk space used by this table, in bytes",
                v,
                labels);
            continue;
          }
          PgQueries.Column k = PgQueries.STAT_USER_TABLES.get(col);
          out.add("pg_stat_user_tables_" + col, k.type(), k.help(), v, labels);
        }
      }
    }
  }

  static void walReceiver(Ctx ctx, Families out) throws SQLException {
    boolean hasFlushed = ctx.serverVersionNum >= 130000;
    try (ResultSet rs =
        ctx.query(
            "SELECT trim(both '''' from substring(conninfo from 'host=([^ ]*)')) as"
                + " upstream_host, slot_name, status, (receive_start_lsn- '0/0') % (2^52)::bigint"
                + " as receive_start_lsn, "
                + (hasFlushed ? "(flushed_lsn- '0/0') % (2^52)::bigint as flushed_lsn, " : "")
                + "receive_start_tli, received_tli, extract(epoch from last_msg_send_time) as"
                + " last_msg_send_time, extract(epoch from last_msg_receipt_time) as"
                + " last_msg_receipt_time, (latest_end_lsn - '0/0') % (2^52)::bigint as"
                + " latest_end_lsn, extract(epoch from latest_end_time) as latest_end_time,"
                + " substring(slot_name from 'repmgr_slot_([0-9]*)') as upstream_node FROM"
                + " pg_catalog.pg_stat_wal_receiver")) {
      var md = rs.getMetaData();
      while (rs.next()) {
        String[] labels = {
          "upstream_host", Legacy.text(rs.getObject(1)),
          "slot_name", Legacy.text(rs.getObject(2)),
          "status", Legacy.text(rs.getObject(3))
        };
        for (int i = 4; i <= md.getColumnCount(); i++) {
          out.add(
              "pg_stat_wal_receiver_" + md.getColumnLabel(i),
              G,
              "pg_stat_wal_receiver " + md.getColumnLabel(i),
              numOr0(rs, i),
              labels);
        }
      }
    }
  }

  static void statioIndexes(Ctx ctx, Families out) throws SQLException {
    try (ResultSet rs =
        ctx.query(
            "SELECT schemaname, relname, indexrelname, idx_blks_read, idx_blks_hit FROM"
                + " pg_statio_user_indexes")) {
      while (rs.next()) {
        String[] labels = {
          "schemaname", rs.getString(1), "relname", rs.getString(2), "indexrelname", rs.getString(3)
        };
        out.add(
            "pg_statio_user_indexes_idx_blks_read_total",
            C,
            "Number of disk blocks read from this index",
            numOr0(rs, 4),
            labels);
        out.add(
            "pg_statio_user_indexes_idx_blks_hit_total",
            C,
            "Number of buffer hits in this index",
            numOr0(rs, 5),
            labels);
      }
    }
  }

  static void statioTables(Ctx ctx, Families out) throws SQLException {
    String[][] cols = {
      {"heap_blocks_read", "Number of disk blocks read from this table"},
      {"heap_blocks_hit", "Number of buffer hits in this table"},
      {"idx_blocks_read", "Number of disk blocks read from all indexes on this table"},
      {"idx_blocks_hit", "Number of buffer hits in all indexes on this table"},
      {"toast_blocks_read", "Number of disk blocks read from this table's TOAST table (if any)"},
      {"toast_blocks_hit", "Number of buffer hits in this table's TOAST table (if any)"},
      {
        "tidx_blocks_read",
        "Number of disk blocks read from this table's TOAST table indexes (if any)"
      },
      {"tidx_blocks_hit", "Number of buffer hits in this table's TOAST table indexes (if any)"}
    };
    try (ResultSet rs =
        ctx.query(
            "SELECT current_database() datname, schemaname, relname, heap_blks_read,"
                + " heap_blks_hit, idx_blks_read, idx_blks_hit, toast_blks_read, toast_blks_hit,"
                + " tidx_blks_read, tidx_blks_hit FROM pg_statio_user_tables")) {
      while (rs.next()) {
        String[] labels = {
          "datname", rs.getString(1), "schemaname", rs.getString(2), "relname", rs.getString(3)
        };
        for (int i = 0; i < cols.length; i++) {
          out.add("pg_statio_user_tables_" + cols[i][0], C, cols[i][1], numOr0(rs, 4 + i), labels);
        }
      }
    }
  }

  static void wal(Ctx ctx, Families out) throws SQLException {
    try (ResultSet rs =
        ctx.query(
            "SELECT COUNT(*) AS segments, SUM(size) AS size FROM pg_ls_waldir() WHERE name ~"
                + " '^[0-9A-F]{24}$'")) {
      while (rs.next()) {
        out.add("pg_wal_segments", G, "Number of WAL segments", num(rs, 1));
        out.add("pg_wal_size_bytes", G, "Total size of WAL segments", numOr0(rs, 2));
      }
    }
  }

  static void xlogLocation(Ctx ctx, Families out) throws SQLException {
    try (ResultSet rs =
        ctx.query(
            "SELECT CASE WHEN pg_is_in_recovery() THEN (pg_last_wal_receive_lsn() - '0/0') %"
                + " (2^52)::bigint ELSE (pg_current_wal_lsn() - '0/0') % (2^52)::bigint END AS"
                + " bytes")) {
      while (rs.next()) {
        out.add(
            "pg_xlog_location_bytes",
            G,
            "Postgres LSN (log sequence number) being generated on primary or replayed on replica (truncated to low 52 bits)",
            num(rs, 1));
      }
    }
  }
}
