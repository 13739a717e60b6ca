package io.clustermonitor.exporters.redis;

import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --check-key-groups} and {@code --max-distinct-key-groups} as redis_exporter 1.55 defines
 * them: a CSV list of Lua patterns; every key of every database (database 0 only on a cluster node)
 * belongs to the group named by the concatenated captures of the first pattern it matches, or to
 * {@code unclassified}. Per database: {@code redis_key_group_count{db,key_group}}, {@code
 * redis_key_group_memory_usage_bytes{db,key_group}} (sum of {@code MEMORY USAGE}) and {@code
 * redis_number_of_distinct_key_groups{db}}. Beyond the limit, the groups using the most memory are
 * kept (ties: fewer keys first, then name) and the rest are summed into the group {@code overflow}.
 *
 * <p>The patterns are matched by the server's own Lua ({@code EVAL} over one {@code SCAN} batch at
 * a time), so their semantics are exactly Lua's; {@link #validate} rejects malformed ones at start.
 */
final class KeyGroups {
  private static final Logger LOG = LoggerFactory.getLogger(KeyGroups.class);

  /** The overflow group's name, as upstream. */
  static final String OVERFLOW = "overflow";

  /** ARGV[1] cursor, ARGV[2] SCAN COUNT, ARGV[3..] patterns; returns {cursor, {{name, n, mem}}}. */
  private static final String SCRIPT =
      String.join(
          "\n",
          "local reply = redis.call('SCAN', ARGV[1], 'COUNT', ARGV[2])",
          "local groups, order = {}, {}",
          "for _, key in ipairs(reply[2]) do",
          "  local name = 'unclassified'",
          "  for p = 3, #ARGV do",
          "    local found = {string.find(key, ARGV[p])}",
          "    if found[1] ~= nil then",
          "      name = table.concat(found, '', 3)",
          "      break",
          "    end",
          "  end",
          "  local g = groups[name]",
          "  if g == nil then",
          "    g = {name, 0, 0}",
          "    groups[name] = g",
          "    order[#order + 1] = g",
          "  end",
          "  g[2] = g[2] + 1",
          "  g[3] = g[3] + (redis.call('MEMORY', 'USAGE', key) or 0)",
          "end",
          "return {reply[1], order}");

  /** One group of one database. */
  record Group(String name, long count, long memory) {}

  private KeyGroups() {}

  /**
   * Reads the flag as upstream does: one CSV record (double quotes allow a comma inside a pattern),
   * fields trimmed, empty ones dropped; each pattern validated.
   *
   * @throws IllegalArgumentException for bad CSV or a malformed Lua pattern
   */
  static List<String> parse(String arg) {
    List<String> out = new ArrayList<>();
    if (arg == null || arg.isBlank()) {
      return out;
    }
    for (String field : csv(arg)) {
      String p = field.strip();
      if (!p.isEmpty()) {
        validate(p);
        out.add(p);
      }
    }
    return out;
  }

  private static List<String> csv(String s) {
    List<String> fields = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int i = 0;
    while (true) {
      if (i < s.length() && s.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= s.length()) {
            throw new IllegalArgumentException(
                "Invalid -check-key-groups: unterminated quoted field");
          }
          char c = s.charAt(i++);
          if (c == '"') {
            if (i < s.length() && s.charAt(i) == '"') {
              cur.append('"');
              i++;
            } else {
              break;
            }
          } else {
            cur.append(c);
          }
        }
        if (i < s.length() && s.charAt(i) != ',') {
          throw new IllegalArgumentException(
              "Invalid -check-key-groups: extraneous '\"' in field at column " + (i + 1));
        }
      } else {
        while (i < s.length() && s.charAt(i) != ',') {
          char c = s.charAt(i++);
          if (c == '"') {
            throw new IllegalArgumentException(
                "Invalid -check-key-groups: bare '\"' in a non-quoted field at column " + i);
          }
          cur.append(c);
        }
      }
      fields.add(cur.toString());
      cur.setLength(0);
      if (i >= s.length()) {
        return fields;
      }
      i++; // the comma
    }
  }

  /**
   * Checks a Lua 5.1 pattern the way Lua's matcher would fail on it: a trailing {@code %}, a set
   * without {@code ]}, {@code %b} without two characters, {@code %f} without a set, unbalanced or
   * too many captures, a back reference to a capture that is not closed.
   *
   * @throws IllegalArgumentException naming the pattern and the problem
   */
  static void validate(String pattern) {
    int open = 0;
    int captures = 0;
    java.util.ArrayDeque<Integer> stack = new java.util.ArrayDeque<>();
    int i = pattern.startsWith("^") ? 1 : 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      switch (c) {
        case '(' -> {
          if (++captures > 32) {
            throw bad(pattern, "too many captures");
          }
          stack.push(++open);
          i++;
          continue;
        }
        case ')' -> {
          if (stack.isEmpty()) {
            throw bad(pattern, "invalid pattern capture (unmatched ')')");
          }
          stack.pop();
          i++;
          continue;
        }
        case '%' -> {
          if (i + 1 >= pattern.length()) {
            throw bad(pattern, "malformed pattern (ends with '%')");
          }
          char n = pattern.charAt(i + 1);
          if (n == 'b') {
            if (i + 3 >= pattern.length()) {
              throw bad(pattern, "missing arguments to '%b'");
            }
            i += 4;
          } else if (n == 'f') {
            if (i + 2 >= pattern.length() || pattern.charAt(i + 2) != '[') {
              throw bad(pattern, "missing '[' after '%f' in pattern");
            }
            i = endOfSet(pattern, i + 2);
          } else if (n >= '0' && n <= '9') {
            int ref = n - '0';
            if (ref == 0 || ref > open || stack.contains(ref)) {
              throw bad(pattern, "invalid capture index %" + n);
            }
            i += 2;
          } else {
            i += 2;
          }
        }
        case '[' -> i = endOfSet(pattern, i);
        default -> i++;
      }
      if (i < pattern.length() && "*+-?".indexOf(pattern.charAt(i)) >= 0) {
        i++;
      }
    }
    if (!stack.isEmpty()) {
      throw bad(pattern, "unfinished capture (missing ')')");
    }
  }

  /** The index after the {@code ]} closing the set that starts at {@code at}. */
  private static int endOfSet(String p, int at) {
    int i = at + 1;
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    // the first character (even ']') is part of the set
    do {
      if (i >= p.length()) {
        throw bad(p, "malformed pattern (missing ']')");
      }
      char c = p.charAt(i++);
      if (c == '%') {
        if (i >= p.length()) {
          throw bad(p, "malformed pattern (missing ']')");
        }
        i++;
      }
    } while (i >= p.length() || p.charAt(i) != ']');
    return i + 1;
  }

  private static IllegalArgumentException bad(String pattern, String why) {
    return new IllegalArgumentException(
        "Invalid -check-key-groups pattern '" + pattern + "': " + why);
  }

  /**
   * Scans the databases and adds the key-group families to {@code m}.
   *
   * @return the databases scanned, by index, each with its groups before the overflow cut
   */
  static Map<Integer, List<Group>> collect(
      RedisConnection c, Settings settings, InfoMapper m, int dbCount) throws IOException {
    Map<Integer, List<Group>> all = new LinkedHashMap<>();
    List<String> patterns = settings.extras().keyGroups();
    if (patterns.isEmpty()) {
      return all;
    }
    for (int db = 0; db < dbCount; db++) {
      try {
        c.command("SELECT", Integer.toString(db));
      } catch (RedisConnection.ErrorReply e) {
        LOG.debug("key groups: cannot select db{}: {}", db, e.getMessage());
        continue;
      }
      List<Group> groups;
      try {
        groups = scan(c, settings.checkKeysBatchSize(), patterns);
      } catch (RedisConnection.ErrorReply e) {
        LOG.warn("key groups of db{} failed: {}", db, e.getMessage());
        continue;
      }
      all.put(db, groups);
      emit(m, "db" + db, groups, settings.extras().maxDistinctKeyGroups());
    }
    return all;
  }

  private static List<Group> scan(RedisConnection c, long batch, List<String> patterns)
      throws IOException {
    Map<String, long[]> sums = new LinkedHashMap<>();
    List<String> args = new ArrayList<>(List.of(SCRIPT, "0", "0", Long.toString(batch)));
    args.addAll(patterns);
    String cursor = "0";
    int rounds = 0;
    do {
      args.set(2, cursor);
      Object reply = c.command("EVAL", args.toArray(String[]::new));
      if (!(reply instanceof List<?> r) || r.size() != 2 || !(r.get(0) instanceof String next)) {
        throw new IOException("invalid reply of the key group script");
      }
      if (r.get(1) instanceof List<?> gs) {
        for (Object g : gs) {
          if (g instanceof List<?> t && t.size() == 3 && t.get(0) instanceof String name) {
            long[] s = sums.computeIfAbsent(name, k -> new long[2]);
            s[0] += t.get(1) instanceof Long n ? n : 0;
            s[1] += t.get(2) instanceof Long n ? n : 0;
          }
        }
      }
      cursor = next;
    } while (!cursor.equals("0") && ++rounds < 10_000_000);
    List<Group> out = new ArrayList<>();
    sums.forEach((name, s) -> out.add(new Group(name, s[0], s[1])));
    return out;
  }

  /** The groups reported for one database: all of them, or the top ones and {@code overflow}. */
  static List<Group> limit(List<Group> groups, long max) {
    if (groups.size() <= max) {
      return groups;
    }
    List<Group> sorted = new ArrayList<>(groups);
    sorted.sort(
        Comparator.comparingLong(Group::memory)
            .reversed()
            .thenComparingLong(Group::count)
            .thenComparing(Group::name));
    List<Group> out = new ArrayList<>(sorted.subList(0, (int) max));
    long count = 0;
    long memory = 0;
    for (Group g : sorted.subList((int) max, sorted.size())) {
      count += g.count();
      memory += g.memory();
    }
    out.add(new Group(OVERFLOW, count, memory));
    return out;
  }

  private static void emit(InfoMapper m, String db, List<Group> groups, long max) {
    for (Group g : limit(groups, max)) {
      m.add(
          "key_group_count",
          MetricType.GAUGE,
          "Count of keys in key group",
          g.count(),
          "db",
          db,
          "key_group",
          g.name());
      m.add(
          "key_group_memory_usage_bytes",
          MetricType.GAUGE,
          "Total memory usage of key group in bytes",
          g.memory(),
          "db",
          db,
          "key_group",
          g.name());
    }
    m.add(
        "number_of_distinct_key_groups",
        MetricType.GAUGE,
        "Number of distinct key groups",
        groups.size(),
        "db",
        db);
  }
}
