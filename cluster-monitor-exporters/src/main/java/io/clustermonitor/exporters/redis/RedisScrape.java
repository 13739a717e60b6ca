package io.clustermonitor.exporters.redis;

import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands of one scrape on one connection, in redis_exporter 1.55's order: {@code CONFIG GET
 * *}, {@code INFO ALL}, {@code CLUSTER INFO} (when enabled), {@code LATENCY LATEST}, {@code LATENCY
 * HISTOGRAM}, {@code SLOWLOG}, then the key and stream checks. A command the server refuses (ACL,
 * renamed) costs only its own families, except INFO, without which the scrape fails.
 */
final class RedisScrape {
  private static final Logger LOG = LoggerFactory.getLogger(RedisScrape.class);

  private final RedisConnection c;
  private final Settings settings;
  private final InfoMapper m;
  private final long nowEpochSeconds;
  private long keyGroupsMillis;

  RedisScrape(RedisConnection c, Settings settings, InfoMapper m, long nowEpochSeconds) {
    this.c = c;
    this.settings = settings;
    this.m = m;
    this.nowEpochSeconds = nowEpochSeconds;
  }

  void run() throws IOException {
    Map<String, String> config = config();
    String info;
    try {
      info = c.text("INFO", "ALL");
    } catch (RedisConnection.ErrorReply e) {
      info = null;
    }
    if (info == null || info.isEmpty()) {
      info = c.text("INFO");
    }
    if (info == null) {
      throw new IOException("empty INFO reply");
    }
    int dbCount = 16;
    Double dbs = InfoMapper.number(config.get("databases"));
    if (dbs != null) {
      dbCount = dbs.intValue();
    }
    boolean cluster = info.contains("cluster_enabled:1");
    if (cluster) {
      dbCount = 1;
      try {
        String clusterInfo = c.text("CLUSTER", "INFO");
        if (clusterInfo != null) {
          m.clusterInfo(clusterInfo);
        }
      } catch (RedisConnection.ErrorReply e) {
        LOG.debug("CLUSTER INFO refused: {}", e.getMessage());
      }
    }
    m.info(info, dbCount, nowEpochSeconds);
    m.config(config);
    if (settings.includeConfigMetrics()) {
      m.configAll(config, settings.redactConfigMetrics());
    }
    latencyLatest();
    if (!settings.excludeLatencyHistogramMetrics()) {
      latencyHistogram();
    }
    slowlog();
    if (info.contains("# Sentinel")) {
      new Sentinel(c, m).collect(info);
    }
    boolean master = info.contains("\nrole:master");
    try (ClusterKeys clusterKeys =
        settings.isCluster() && cluster && hasKeyChecks() ? ClusterKeys.open(c) : null) {
      KeyChecks keys = new KeyChecks(clusterKeys != null ? clusterKeys : c, settings, m);
      keys.streams();
      keys.countKeys();
      if (!(settings.skipCheckKeysForRoleMaster() && master)) {
        keys.checkKeys();
      }
    }
    long g0 = System.nanoTime();
    try {
      KeyGroups.collect(c, settings, m, dbCount);
    } finally {
      keyGroupsMillis = (System.nanoTime() - g0) / 1_000_000;
    }
    LuaScripts.run(c, settings, m);
    if (settings.extras().exportClientList()) {
      ClientList.collect(c, settings, m, nowEpochSeconds);
    }
  }

  private boolean hasKeyChecks() {
    return !(settings.checkKeys().isBlank()
        && settings.checkSingleKeys().isBlank()
        && settings.checkStreams().isBlank()
        && settings.checkSingleStreams().isBlank()
        && settings.countKeys().isBlank());
  }

  /** How long the key groups took in the last {@link #run} (0 before). */
  long keyGroupsMillis() {
    return keyGroupsMillis;
  }

  private Map<String, String> config() throws IOException {
    Map<String, String> config = new LinkedHashMap<>();
    if (settings.configCommand().equals("-")) {
      return config;
    }
    Object reply;
    try {
      reply = c.command(settings.configCommand(), "GET", "*");
    } catch (RedisConnection.ErrorReply e) {
      LOG.debug("CONFIG refused: {}", e.getMessage());
      return config;
    }
    if (reply instanceof List<?> list) {
      for (int i = 0; i + 1 < list.size(); i += 2) {
        if (list.get(i) instanceof String k && list.get(i + 1) instanceof String v) {
          config.put(k, v);
        }
      }
    }
    return config;
  }

  /** {@code LATENCY LATEST}: [event, unix time, latest ms, max ms] per event. */
  private void latencyLatest() throws IOException {
    Object reply;
    try {
      reply = c.command("LATENCY", "LATEST");
    } catch (RedisConnection.ErrorReply e) {
      return;
    }
    if (!(reply instanceof List<?> events)) {
      return;
    }
    for (Object o : events) {
      if (o instanceof List<?> e
          && e.size() >= 3
          && e.get(0) instanceof String name
          && e.get(1) instanceof Long when
          && e.get(2) instanceof Long latestMs) {
        m.add(
            "latency_spike_last",
            MetricType.GAUGE,
            "When the latency spike last occurred",
            when,
            "event_name",
            name);
        m.add(
            "latency_spike_duration_seconds",
            MetricType.GAUGE,
            "Length of the last latency spike in seconds",
            latestMs / 1e3,
            "event_name",
            name);
      }
    }
  }

  /** {@code LATENCY HISTOGRAM} (Redis 7): cumulative usec buckets per command. */
  private void latencyHistogram() throws IOException {
    Object reply;
    try {
      reply = c.command("LATENCY", "HISTOGRAM");
    } catch (RedisConnection.ErrorReply e) {
      return;
    }
    if (!(reply instanceof List<?> list)) {
      return;
    }
    for (int i = 0; i + 1 < list.size(); i += 2) {
      if (!(list.get(i) instanceof String cmd) || !(list.get(i + 1) instanceof List<?> details)) {
        continue;
      }
      double calls = 0;
      Map<Double, Double> buckets = new TreeMap<>();
      for (int j = 0; j + 1 < details.size(); j += 2) {
        Object k = details.get(j);
        Object v = details.get(j + 1);
        if ("calls".equals(k) && v instanceof Long n) {
          calls = n;
        } else if ("histogram_usec".equals(k) && v instanceof List<?> h) {
          for (int b = 0; b + 1 < h.size(); b += 2) {
            if (h.get(b) instanceof Long bound && h.get(b + 1) instanceof Long count) {
              buckets.put((double) bound, (double) count);
            }
          }
        }
      }
      double[] totals = m.commandTotals(cmd);
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("cmd", cmd);
      m.histogram(
          "commands_latencies_usec",
          "A histogram of latencies per command",
          labels,
          buckets,
          totals == null ? 0 : totals[1],
          calls);
    }
  }

  private void slowlog() throws IOException {
    try {
      if (c.command("SLOWLOG", "LEN") instanceof Long len) {
        m.add("slowlog_length", MetricType.GAUGE, "Total slowlog", len);
      }
      double lastId = 0;
      double lastDuration = 0;
      if (c.command("SLOWLOG", "GET", "1") instanceof List<?> entries
          && !entries.isEmpty()
          && entries.get(0) instanceof List<?> entry
          && entry.size() >= 3
          && entry.get(0) instanceof Long id
          && entry.get(2) instanceof Long micros) {
        lastId = id;
        lastDuration = micros / 1e6;
      }
      m.add("slowlog_last_id", MetricType.GAUGE, "Last id of slowlog", lastId);
      m.add(
          "last_slow_execution_duration_seconds",
          MetricType.GAUGE,
          "The amount of time needed for last slow execution, in seconds",
          lastDuration);
    } catch (RedisConnection.ErrorReply e) {
      LOG.debug("SLOWLOG refused: {}", e.getMessage());
    }
  }
}
