package io.clustermonitor.exporters.redis;

import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code redis_sentinel_*} families of redis_exporter 1.55, for a target whose INFO has a
 * {@code # Sentinel} section: the section's counters ({@code sentinel_masters}, {@code
 * sentinel_tilt}, {@code sentinel_running_scripts}, {@code sentinel_scripts_queue_length}, {@code
 * sentinel_simulate_failure_flags}) and its {@code masterN:name=..,status=..,address=..,slaves=..,
 * sentinels=..} lines, then per master of {@code SENTINEL MASTERS}: {@code SENTINEL CKQUORUM}, and
 * the sentinels and replicas not flagged {@code s_down}/{@code o_down} ({@code SENTINEL SENTINELS},
 * {@code SENTINEL SLAVES}; the sentinel answering counts itself as one ok sentinel).
 */
final class Sentinel {
  private static final Logger LOG = LoggerFactory.getLogger(Sentinel.class);

  /** INFO field to help text, for the plain Sentinel section counters. */
  private static final Map<String, String> COUNTERS =
      Map.of(
          "sentinel_masters", "The number of masters this sentinel is watching",
          "sentinel_tilt", "Sentinel is in TILT mode",
          "sentinel_running_scripts", "Number of scripts in execution right now",
          "sentinel_scripts_queue_length", "Queue of user scripts to execute",
          "sentinel_simulate_failure_flags", "Failures simulations");

  private final KeyCommands c;
  private final InfoMapper m;

  Sentinel(KeyCommands c, InfoMapper m) {
    this.c = c;
    this.m = m;
  }

  /** Adds the families of the INFO text's Sentinel section and of the SENTINEL commands. */
  void collect(String info) throws IOException {
    section(info);
    masters();
  }

  private void section(String info) {
    boolean in = false;
    for (String raw : info.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("#")) {
        in = line.equalsIgnoreCase("# Sentinel");
        continue;
      }
      int colon = line.indexOf(':');
      if (!in || colon < 0) {
        continue;
      }
      String key = line.substring(0, colon);
      String value = line.substring(colon + 1);
      String help = COUNTERS.get(key);
      if (help != null) {
        m.add(key, MetricType.GAUGE, help, integer(value));
      } else if (key.matches("master\\d+")) {
        masterLine(value);
      }
    }
  }

  /** Go's {@code strconv.Atoi} with its error ignored: 0 for anything but an integer. */
  static double integer(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** {@code name=mymaster,status=ok,address=127.0.0.1:6379,slaves=0,sentinels=1}. */
  static Map<String, String> masterFields(String value) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      String[] kv = part.split("=", -1);
      if (kv.length == 2) {
        f.put(kv[0], kv[1]);
      }
    }
    return f;
  }

  private void masterLine(String value) {
    Map<String, String> f = masterFields(value);
    Double slaves = InfoMapper.number(f.get("slaves"));
    Double sentinels = InfoMapper.number(f.get("sentinels"));
    if (slaves == null || sentinels == null) {
      LOG.debug("sentinel master line not understood: {}", value);
      return;
    }
    String name = f.getOrDefault("name", "");
    String address = f.getOrDefault("address", "");
    String status = f.getOrDefault("status", "");
    m.add(
        "sentinel_master_status",
        MetricType.GAUGE,
        "Master status on Sentinel",
        "ok".equals(status) ? 1 : 0,
        "master_name",
        name,
        "master_address",
        address,
        "master_status",
        status);
    m.add(
        "sentinel_master_slaves",
        MetricType.GAUGE,
        "The number of slaves of the master",
        slaves,
        "master_name",
        name,
        "master_address",
        address);
    m.add(
        "sentinel_master_sentinels",
        MetricType.GAUGE,
        "The number of sentinels monitoring this master",
        sentinels,
        "master_name",
        name,
        "master_address",
        address);
  }

  private static Map<String, String> pairs(Object reply) {
    Map<String, String> out = new LinkedHashMap<>();
    if (reply instanceof List<?> l) {
      for (int i = 0; i + 1 < l.size(); i += 2) {
        if (l.get(i) instanceof String k && l.get(i + 1) instanceof String v) {
          out.put(k, v);
        }
      }
    }
    return out;
  }

  /** {@code host:port}, with brackets around an IPv6 host as Go's JoinHostPort writes it. */
  static String joinHostPort(String host, String port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private void masters() throws IOException {
    Object reply;
    try {
      reply = c.command("SENTINEL", "MASTERS");
    } catch (RedisConnection.ErrorReply e) {
      LOG.debug("SENTINEL MASTERS refused: {}", e.getMessage());
      return;
    }
    if (!(reply instanceof List<?> masters)) {
      return;
    }
    for (Object o : masters) {
      Map<String, String> master = pairs(o);
      String name = master.get("name");
      if (name == null) {
        continue;
      }
      String address = joinHostPort(master.getOrDefault("ip", ""), master.getOrDefault("port", ""));
      double quorumOk = 1;
      String message;
      try {
        message = c.text("SENTINEL", "CKQUORUM", name);
      } catch (RedisConnection.ErrorReply e) {
        quorumOk = 0;
        message = e.getMessage();
      }
      m.add(
          "sentinel_master_ckquorum_status",
          MetricType.GAUGE,
          "Master ckquorum status",
          quorumOk,
          "master_name",
          name,
          "message",
          message == null ? "" : message);
      m.add(
          "sentinel_master_ok_sentinels",
          MetricType.GAUGE,
          "The number of okay sentinels monitoring this master",
          1 + okCount("SENTINELS", name),
          "master_name",
          name,
          "master_address",
          address);
      m.add(
          "sentinel_master_ok_slaves",
          MetricType.GAUGE,
          "The number of okay slaves of the master",
          okCount("SLAVES", name),
          "master_name",
          name,
          "master_address",
          address);
    }
  }

  /** How many entries of {@code SENTINEL <what> <master>} are not flagged down. */
  private int okCount(String what, String master) throws IOException {
    Object reply;
    try {
      reply = c.command("SENTINEL", what, master);
    } catch (RedisConnection.ErrorReply e) {
      LOG.debug("SENTINEL {} refused: {}", what, e.getMessage());
      return 0;
    }
    int ok = 0;
    if (reply instanceof List<?> list) {
      for (Object o : list) {
        String flags = pairs(o).getOrDefault("flags", "");
        if (!flags.contains("s_down") && !flags.contains("o_down")) {
          ok++;
        }
      }
    }
    return ok;
  }
}
