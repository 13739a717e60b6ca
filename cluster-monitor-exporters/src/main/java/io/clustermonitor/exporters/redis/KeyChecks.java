package io.clustermonitor.exporters.redis;

import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --check-keys}, {@code --check-single-keys}, {@code --count-keys}, {@code --check-streams}
 * and {@code --check-single-streams} as redis_exporter 1.55 reads them: a comma separated list of
 * {@code [dbN=]pattern} (database 0 when none), patterns found with {@code SCAN MATCH .. COUNT
 * <--check-keys-batch-size>}, labels {@code db="dbN"}.
 */
final class KeyChecks {
  private static final Logger LOG = LoggerFactory.getLogger(KeyChecks.class);

  /** One {@code [dbN=]key} entry. */
  record DbKey(int db, String key) {}

  private final KeyCommands c;
  private final Settings settings;
  private final InfoMapper m;
  private int selected = 0;

  KeyChecks(KeyCommands c, Settings settings, InfoMapper m) {
    this.c = c;
    this.settings = settings;
    this.m = m;
  }

  /**
   * Parses {@code db3=pattern,pattern}.
   *
   * @throws IllegalArgumentException for a database that is not a number
   */
  static List<DbKey> parse(String arg) {
    List<DbKey> out = new ArrayList<>();
    if (arg == null || arg.isBlank()) {
      return out;
    }
    for (String part : arg.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int db = 0;
      String key = p;
      int eq = p.indexOf('=');
      if (eq >= 0) {
        String dbText = p.substring(0, eq).strip().replace("db", "");
        key = p.substring(eq + 1).strip();
        try {
          db = Integer.parseInt(dbText);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "Invalid database in key check '" + p + "' (expected dbN=pattern)");
        }
        if (db < 0) {
          throw new IllegalArgumentException("Invalid database in key check '" + p + "'");
        }
      }
      out.add(new DbKey(db, key));
    }
    return out;
  }

  /**
   * The entries of a key-check option; in cluster mode all of them in database 0, the only one a
   * cluster has (as redis_exporter labels them there).
   */
  private List<DbKey> dbKeys(String arg) {
    List<DbKey> keys = parse(arg);
    if (!(c instanceof ClusterKeys)) {
      return keys;
    }
    List<DbKey> out = new ArrayList<>();
    for (DbKey k : keys) {
      out.add(new DbKey(0, k.key()));
    }
    return out;
  }

  /** Selects a database; false (logged) when the server refuses, e.g. a cluster node's db3. */
  private boolean select(int db) throws IOException {
    if (db != selected) {
      try {
        c.command("SELECT", Integer.toString(db));
      } catch (RedisConnection.ErrorReply refused) {
        LOG.warn("key checks of db{} skipped: {}", db, refused.getMessage());
        return false;
      }
      selected = db;
    }
    return true;
  }

  private static boolean isPattern(String key) {
    return key.contains("*") || key.contains("?") || key.contains("[");
  }

  /** Keys matching a pattern, each once, found with SCAN. */
  private List<String> scan(String pattern, String type) throws IOException {
    if (c instanceof ClusterKeys cluster) {
      return cluster.scan(pattern, type, settings.checkKeysBatchSize());
    }
    Set<String> keys = new LinkedHashSet<>();
    String cursor = "0";
    int rounds = 0;
    do {
      List<String> args = new ArrayList<>(List.of(cursor, "MATCH", pattern, "COUNT"));
      args.add(Long.toString(settings.checkKeysBatchSize()));
      if (type != null) {
        args.add("TYPE");
        args.add(type);
      }
      Object reply = c.command("SCAN", args.toArray(String[]::new));
      if (!(reply instanceof List<?> r) || r.size() < 2 || !(r.get(0) instanceof String next)) {
        break;
      }
      if (r.get(1) instanceof List<?> batch) {
        for (Object k : batch) {
          if (k instanceof String s) {
            keys.add(s);
          }
        }
      }
      cursor = next;
    } while (!cursor.equals("0") && ++rounds < 1_000_000);
    return new ArrayList<>(keys);
  }

  /** {@code redis_key_size}, {@code redis_key_value}, {@code redis_key_value_as_string}. */
  void checkKeys() throws IOException {
    Map<Integer, Set<String>> byDb = new LinkedHashMap<>();
    for (DbKey k : dbKeys(settings.checkKeys())) {
      if (!select(k.db())) {
        continue;
      }
      Set<String> keys = byDb.computeIfAbsent(k.db(), d -> new LinkedHashSet<>());
      if (isPattern(k.key())) {
        keys.addAll(scan(k.key(), null));
      } else {
        keys.add(k.key());
      }
    }
    for (DbKey k : dbKeys(settings.checkSingleKeys())) {
      byDb.computeIfAbsent(k.db(), d -> new LinkedHashSet<>()).add(k.key());
    }
    for (Map.Entry<Integer, Set<String>> e : byDb.entrySet()) {
      if (!select(e.getKey())) {
        continue;
      }
      String db = "db" + e.getKey();
      for (String key : e.getValue()) {
        try {
          checkKey(db, key);
        } catch (RedisConnection.ErrorReply refused) {
          // e.g. MOVED from a cluster node scraped without -is-cluster: this key only
          LOG.warn("key check of {} in {} refused: {}", key, db, refused.getMessage());
        }
      }
    }
  }

  private void checkKey(String db, String key) throws IOException {
    String type = c.text("TYPE", key);
    String sizeCommand =
        switch (type == null ? "none" : type) {
          case "string" -> "STRLEN";
          case "list" -> "LLEN";
          case "set" -> "SCARD";
          case "zset" -> "ZCARD";
          case "hash" -> "HLEN";
          case "stream" -> "XLEN";
          default -> null;
        };
    if (type == null || type.equals("none")) {
      // redis_exporter reports a key that does not exist with size 0
      m.add("key_size", MetricType.GAUGE, "The length or size of \"key\"", 0, "db", db, "key", key);
      return;
    }
    if (sizeCommand == null) {
      LOG.debug("key {} in {} is of an unsupported type {}", key, db, type);
      return;
    }
    if (c.command(sizeCommand, key) instanceof Long size) {
      m.add(
          "key_size",
          MetricType.GAUGE,
          "The length or size of \"key\"",
          size,
          "db",
          db,
          "key",
          key);
    }
    if (!type.equals("string") || settings.disableExportingKeyValues()) {
      return;
    }
    String value = c.text("GET", key);
    if (value == null) {
      return;
    }
    Double number = InfoMapper.number(value);
    if (number != null) {
      m.add("key_value", MetricType.GAUGE, "The value of \"key\"", number, "db", db, "key", key);
    } else {
      m.add(
          "key_value_as_string",
          MetricType.GAUGE,
          "The value of \"key\" as a string",
          1,
          "db",
          db,
          "key",
          key,
          "val",
          value);
    }
  }

  /** {@code redis_keys_count{db,key}}: how many keys match each {@code --count-keys} pattern. */
  void countKeys() throws IOException {
    for (DbKey k : dbKeys(settings.countKeys())) {
      if (!select(k.db())) {
        continue;
      }
      m.add(
          "keys_count",
          MetricType.GAUGE,
          "Count of keys",
          scan(k.key(), null).size(),
          "db",
          "db" + k.db(),
          "key",
          k.key());
    }
  }

  /**
   * The {@code redis_stream_*} families of {@code --check-streams}/{@code --check-single-streams}.
   */
  void streams() throws IOException {
    Map<Integer, Set<String>> byDb = new LinkedHashMap<>();
    for (DbKey k : dbKeys(settings.checkStreams())) {
      if (!select(k.db())) {
        continue;
      }
      Set<String> keys = byDb.computeIfAbsent(k.db(), d -> new LinkedHashSet<>());
      if (isPattern(k.key())) {
        keys.addAll(scan(k.key(), "stream"));
      } else {
        keys.add(k.key());
      }
    }
    for (DbKey k : dbKeys(settings.checkSingleStreams())) {
      byDb.computeIfAbsent(k.db(), d -> new LinkedHashSet<>()).add(k.key());
    }
    for (Map.Entry<Integer, Set<String>> e : byDb.entrySet()) {
      if (!select(e.getKey())) {
        continue;
      }
      for (String stream : e.getValue()) {
        stream("db" + e.getKey(), stream);
      }
    }
  }

  private static Map<String, Object> pairs(Object reply) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (reply instanceof List<?> l) {
      for (int i = 0; i + 1 < l.size(); i += 2) {
        if (l.get(i) instanceof String k) {
          out.put(k, l.get(i + 1));
        }
      }
    }
    return out;
  }

  /** The millisecond part of a stream ID, as redis_exporter reports IDs. */
  static double streamId(Object id) {
    if (!(id instanceof String s) || s.isBlank()) {
      return 0;
    }
    int dash = s.indexOf('-');
    Double v = InfoMapper.number(dash < 0 ? s : s.substring(0, dash));
    return v == null ? 0 : v;
  }

  private static double num(Object o) {
    if (o instanceof Long l) {
      return l;
    }
    if (o instanceof String s) {
      Double d = InfoMapper.number(s);
      return d == null ? 0 : d;
    }
    return 0;
  }

  private static Object entryId(Object entry) {
    return entry instanceof List<?> l && !l.isEmpty() ? l.get(0) : null;
  }

  private void stream(String db, String stream) throws IOException {
    Map<String, Object> info;
    try {
      info = pairs(c.command("XINFO", "STREAM", stream));
    } catch (RedisConnection.ErrorReply e) {
      LOG.debug("stream {} in {}: {}", stream, db, e.getMessage());
      return;
    }
    if (info.isEmpty()) {
      return;
    }
    String[] l = {"db", db, "stream", stream};
    m.add(
        "stream_length",
        MetricType.GAUGE,
        "The number of elements of the stream",
        num(info.get("length")),
        l);
    m.add(
        "stream_radix_tree_keys",
        MetricType.GAUGE,
        "Radix tree keys count",
        num(info.get("radix-tree-keys")),
        l);
    m.add(
        "stream_radix_tree_nodes",
        MetricType.GAUGE,
        "Radix tree nodes count",
        num(info.get("radix-tree-nodes")),
        l);
    m.add(
        "stream_last_generated_id",
        MetricType.GAUGE,
        "The epoch timestamp (ms) of the latest message on the stream",
        streamId(info.get("last-generated-id")),
        l);
    if (info.containsKey("max-deleted-entry-id")) {
      m.add(
          "stream_max_deleted_entry_id",
          MetricType.GAUGE,
          "The epoch timestamp (ms) of last message was deleted from the stream",
          streamId(info.get("max-deleted-entry-id")),
          l);
    }
    m.add(
        "stream_first_entry_id",
        MetricType.GAUGE,
        "The epoch timestamp (ms) of the first message in the stream",
        streamId(entryId(info.get("first-entry"))),
        l);
    m.add(
        "stream_last_entry_id",
        MetricType.GAUGE,
        "The epoch timestamp (ms) of the last message in the stream",
        streamId(entryId(info.get("last-entry"))),
        l);
    m.add("stream_groups", MetricType.GAUGE, "Groups in stream", num(info.get("groups")), l);
    Object groups = c.command("XINFO", "GROUPS", stream);
    if (!(groups instanceof List<?> list)) {
      return;
    }
    for (Object g : list) {
      Map<String, Object> group = pairs(g);
      String name = group.get("name") instanceof String s ? s : "";
      String[] gl = {"db", db, "stream", stream, "group", name};
      m.add(
          "stream_group_consumers",
          MetricType.GAUGE,
          "Consumers count of group",
          num(group.get("consumers")),
          gl);
      m.add(
          "stream_group_messages_pending",
          MetricType.GAUGE,
          "Pending number of messages in that group",
          num(group.get("pending")),
          gl);
      m.add(
          "stream_group_last_delivered_id",
          MetricType.GAUGE,
          "The epoch timestamp (ms) of the last delivered message",
          streamId(group.get("last-delivered-id")),
          gl);
      m.add(
          "stream_group_entries_read",
          MetricType.GAUGE,
          "Total number of entries read from the stream group",
          num(group.get("entries-read")),
          gl);
      m.add(
          "stream_group_lag",
          MetricType.GAUGE,
          "The number of messages waiting to be delivered to the stream group's consumers",
          num(group.get("lag")),
          gl);
      if (settings.streamsExcludeConsumerMetrics()) {
        continue;
      }
      Object consumers = c.command("XINFO", "CONSUMERS", stream, name);
      if (!(consumers instanceof List<?> cl)) {
        continue;
      }
      for (Object co : cl) {
        Map<String, Object> consumer = pairs(co);
        String cname = consumer.get("name") instanceof String s ? s : "";
        String[] ll = {"db", db, "stream", stream, "group", name, "consumer", cname};
        m.add(
            "stream_group_consumer_messages_pending",
            MetricType.GAUGE,
            "Pending number of messages for this specific consumer",
            num(consumer.get("pending")),
            ll);
        m.add(
            "stream_group_consumer_idle_seconds",
            MetricType.GAUGE,
            "Consumer idle time in seconds",
            num(consumer.get("idle")) / 1e3,
            ll);
      }
    }
  }
}
