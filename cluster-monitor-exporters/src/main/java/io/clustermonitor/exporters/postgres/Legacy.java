package io.clustermonitor.exporters.postgres;

import io.clustermonitor.core.GoDuration;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.postgres.UserQueries.Column;
import io.clustermonitor.exporters.postgres.UserQueries.Query;
import io.clustermonitor.exporters.postgres.UserQueries.Usage;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric maps of postgres_exporter 0.15's legacy exporter ({@code cmd/postgres_exporter}):
 * builtin maps and {@code queries.yaml} queries share one runner that turns each column into {@code
 * <namespace>_<column>} with the {@code server} label, as Go's {@code queryNamespaceMapping} does.
 */
final class Legacy {
  private Legacy() {}

  private static Column col(String name, Usage usage, String help) {
    return new Column(name, usage, help, Map.of());
  }

  private static Column label(String name) {
    return col(name, Usage.LABEL, "");
  }

  private static Column discard(String name) {
    return col(name, Usage.DISCARD, "");
  }

  private static Query builtin(String ns, String sql, Column... columns) {
    return new Query(ns, sql, false, 0, "", null, List.of(columns));
  }

  /** The builtin maps of 0.15 for PostgreSQL 10 and later. */
  static final List<Query> BUILTIN = new ArrayList<>();

  static {
    List<Column> conflicts = new ArrayList<>(List.of(label("datid"), label("datname")));
    PgQueries.STAT_DATABASE_CONFLICTS.forEach(
        (k, v) -> conflicts.add(col(k, Usage.COUNTER, v.help())));
    BUILTIN.add(
        builtin(
            "pg_stat_database_conflicts",
            "SELECT * FROM pg_stat_database_conflicts",
            conflicts.toArray(Column[]::new)));
    BUILTIN.add(
        builtin(
            "pg_stat_replication",
            "SELECT *, (case pg_is_in_recovery() when 't' then pg_last_wal_receive_lsn() else"
                + " pg_current_wal_lsn() end) AS pg_current_wal_lsn, (case pg_is_in_recovery()"
                + " when 't' then pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_lsn('0/0'))::float"
                + " else pg_wal_lsn_diff(pg_current_wal_lsn(), pg_lsn('0/0'))::float end) AS"
                + " pg_current_wal_lsn_bytes, (case pg_is_in_recovery() when 't' then"
                + " pg_wal_lsn_diff(pg_last_wal_receive_lsn(), replay_lsn)::float else"
                + " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float end) AS"
                + " pg_wal_lsn_diff FROM pg_stat_replication",
            discard("pid"),
            discard("usesysid"),
            discard("usename"),
            label("application_name"),
            label("client_addr"),
            discard("client_hostname"),
            discard("client_port"),
            discard("backend_start"),
            discard("backend_xmin"),
            label("state"),
            discard("sent_lsn"),
            discard("write_lsn"),
            discard("flush_lsn"),
            discard("replay_lsn"),
            discard("write_lag"),
            discard("flush_lag"),
            discard("replay_lag"),
            discard("sync_priority"),
            discard("sync_state"),
            label("slot_name"),
            discard("pg_current_wal_lsn"),
            col("pg_current_wal_lsn_bytes", Usage.GAUGE, "WAL position in bytes"),
            col("pg_wal_lsn_diff", Usage.GAUGE, "Lag in bytes between master and slave")));
    BUILTIN.add(
        builtin(
            "pg_replication_slots",
            "SELECT slot_name, database, active, (case pg_is_in_recovery() when 't' then"
                + " pg_wal_lsn_diff(pg_last_wal_receive_lsn(), restart_lsn) else"
                + " pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) end) as pg_wal_lsn_diff"
                + " FROM pg_replication_slots",
            label("slot_name"),
            label("database"),
            col("active", Usage.GAUGE, "Flag indicating if the slot is active"),
            col("pg_wal_lsn_diff", Usage.GAUGE, "Replication lag in bytes")));
    BUILTIN.add(
        builtin(
            "pg_stat_archiver",
            "SELECT *, extract(epoch from now() - last_archived_time) AS last_archive_age FROM"
                + " pg_stat_archiver",
            col(
                "archived_count",
                Usage.COUNTER,
                "Number of WAL files that have been successfully archived"),
            discard("last_archived_wal"),
            discard("last_archived_time"),
            col("failed_count", Usage.COUNTER, "Number of failed attempts for archiving WAL files"),
            discard("last_failed_wal"),
            discard("last_failed_time"),
            col(
                "last_archive_age",
                Usage.GAUGE,
                "Time in seconds since last WAL segment was successfully archived"),
            discard("stats_reset")));
    BUILTIN.add(
        builtin(
            "pg_stat_activity",
            "SELECT pg_database.datname, tmp.state, tmp2.usename, tmp2.application_name,"
                + " COALESCE(count,0) as count, COALESCE(max_tx_duration,0) as max_tx_duration"
                + " FROM (VALUES ('active'), ('idle'), ('idle in transaction'), ('idle in"
                + " transaction (aborted)'), ('fastpath function call'), ('disabled')) AS"
                + " tmp(state) CROSS JOIN pg_database LEFT JOIN (SELECT datname, state, usename,"
                + " application_name, count(*) AS count, MAX(EXTRACT(EPOCH FROM now() -"
                + " xact_start))::float AS max_tx_duration FROM pg_stat_activity GROUP BY"
                + " datname,state,usename,application_name) AS tmp2 ON tmp.state = tmp2.state AND"
                + " pg_database.datname = tmp2.datname",
            label("datname"),
            label("state"),
            label("usename"),
            label("application_name"),
            col("count", Usage.GAUGE, "number of connections in this state"),
            col(
                "max_tx_duration",
                Usage.GAUGE,
                "max duration in seconds any active transaction has been running")));
  }

  /** What one namespace produced: its samples, and whether a row or column could not be used. */
  record Result(Families families, boolean nonFatalError) {}

  /**
   * Runs one namespace query on {@code conn} and converts every row.
   *
   * @param constLabels {@code server} and the constant labels, added to every sample
   * @throws SQLException when the query fails
   */
  static Result run(PgConn conn, Query q, Duration timeout, Map<String, String> constLabels)
      throws SQLException {
    Families out = new Families();
    boolean nonFatal = false;
    PreparedStatement ps = conn.statement(q.sql(), q.timeout() != null ? q.timeout() : timeout);
    try (ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      String[] names = new String[n];
      Map<String, Integer> index = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        names[i] = md.getColumnLabel(i + 1);
        index.putIfAbsent(names[i], i);
      }
      List<Column> labelColumns = new ArrayList<>();
      for (Column c : q.columns()) {
        if (c.usage() == Usage.LABEL) {
          labelColumns.add(c);
        }
      }
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
          row[i] = rs.getObject(i + 1);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Column c : labelColumns) {
          // Go looks the column up in a map and gets index 0 for a missing one: the first column.
          Integer i = index.get(c.name());
          labels.put(c.name(), text(row[i == null ? 0 : i]));
        }
        labels.putAll(constLabels);
        for (int i = 0; i < n; i++) {
          String name = names[i];
          Column c = q.column(name);
          if (c == null) {
            double v = number(row[i]);
            if (Double.isNaN(v) && row[i] != null) {
              nonFatal = true;
              continue;
            }
            out.add(
                q.namespace() + "_" + name,
                MetricType.UNTYPED,
                "Unknown metric from " + q.namespace(),
                v,
                labels);
            continue;
          }
          switch (c.usage()) {
            case DISCARD, LABEL -> {}
            case COUNTER, GAUGE -> {
              double v = number(row[i]);
              if (Double.isNaN(v) && row[i] != null) {
                nonFatal = true;
                continue;
              }
              out.add(
                  q.namespace() + "_" + name,
                  c.usage() == Usage.COUNTER ? MetricType.COUNTER : MetricType.GAUGE,
                  c.description(),
                  v,
                  labels);
            }
            case MAPPEDMETRIC -> {
              Double v = row[i] instanceof String s ? c.mapping().get(s) : null;
              if (v == null) {
                nonFatal = true;
                continue;
              }
              out.add(q.namespace() + "_" + name, MetricType.GAUGE, c.description(), v, labels);
            }
            case DURATION -> {
              double ms = row[i] instanceof String s ? goDurationMillis(s) : Double.NaN;
              if (Double.isNaN(ms)) {
                nonFatal = true;
                continue;
              }
              out.add(
                  q.namespace() + "_" + name + "_milliseconds",
                  MetricType.GAUGE,
                  c.description(),
                  ms,
                  labels);
            }
            default -> throw new IllegalStateException(c.usage().toString());
          }
        }
      }
    }
    return new Result(out, nonFatal);
  }

  /** A column value as Go's {@code dbToFloat64}: NULL is NaN, text must parse, time is epoch s. */
  static double number(Object o) {
    if (o == null) {
      return Double.NaN;
    }
    if (o instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (o instanceof Timestamp t) {
      return Math.floorDiv(t.getTime(), 1000L);
    }
    if (o instanceof OffsetDateTime t) {
      return t.toEpochSecond();
    }
    if (o instanceof BigDecimal d) {
      return d.doubleValue();
    }
    if (o instanceof Number x) {
      return x.doubleValue();
    }
    try {
      return Double.parseDouble(o.toString().trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** A column value as Go's {@code dbToString}. */
  static String text(Object o) {
    if (o == null) {
      return "";
    }
    if (o instanceof Timestamp t) {
      return Long.toString(Math.floorDiv(t.getTime(), 1000L));
    }
    if (o instanceof Double || o instanceof Float) {
      double d = ((Number) o).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return Long.toString((long) d);
      }
      return Double.toString(d);
    }
    return o.toString();
  }

  /** Go's {@code time.ParseDuration} in milliseconds (truncated), NaN when it does not parse. */
  static double goDurationMillis(String s) {
    String t = s.trim();
    if (t.equals("-1")) {
      return Double.NaN;
    }
    return GoDuration.tryParse(t).map(d -> (double) (d.toNanos() / 1_000_000)).orElse(Double.NaN);
  }

  /**
   * Whether {@code version} ({@code 15.18.0}) satisfies a {@code runonserver} range like {@code
   * >=10.0.0 <16.0.0} or {@code <9.6.0 || >=12.0.0}; an empty range always does.
   */
  static boolean versionMatches(String range, String version) {
    if (range == null || range.isBlank()) {
      return true;
    }
    int[] v = semver(version);
    for (String alt : range.split("\\|\\|")) {
      boolean all = true;
      for (String cond : alt.trim().split("\\s+")) {
        if (cond.isEmpty()) {
          continue;
        }
        Matcher m = Pattern.compile("^(>=|<=|!=|!|>|<|==|=)?(.+)$").matcher(cond);
        if (!m.matches()) {
          all = false;
          break;
        }
        String op = m.group(1) == null ? "=" : m.group(1);
        int c = compare(v, semver(m.group(2)));
        boolean ok =
            switch (op) {
              case ">=" -> c >= 0;
              case "<=" -> c <= 0;
              case ">" -> c > 0;
              case "<" -> c < 0;
              case "!", "!=" -> c != 0;
              default -> c == 0;
            };
        if (!ok) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private static int[] semver(String s) {
    String[] p = s.trim().split("\\.");
    int[] out = new int[3];
    for (int i = 0; i < 3 && i < p.length; i++) {
      try {
        out[i] = Integer.parseInt(p[i].replaceAll("[^0-9].*$", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("runonserver: not a version: '" + s + "'");
      }
    }
    return out;
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < 3; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return 0;
  }
}
