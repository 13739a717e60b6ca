package io.clustermonitor.exporters.redis;

import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --export-client-list} as redis_exporter 1.55: one {@code redis_connected_clients_details}
 * sample (value 1) per line of {@code CLIENT LIST}, labels {@code name, created_at, idle_since,
 * flags, db, omem, cmd, host}, then {@code port} with {@code --export-client-port}, then {@code
 * user} and {@code resp} when the server reports them (Redis 6+). {@code created_at} and {@code
 * idle_since} are Unix times (scrape time minus {@code age} and {@code idle}). 1.55 has no other
 * client-list family (no timing metrics).
 */
final class ClientList {
  private static final Logger LOG = LoggerFactory.getLogger(ClientList.class);
  private static final Pattern LINE = Pattern.compile("^id=\\d+ addr=\\S+.*");

  private ClientList() {}

  /**
   * One {@code CLIENT LIST} line as label names and values, or null when it is not a client line
   * (as upstream: every field must be {@code key=value}, {@code age} and {@code idle} numbers,
   * {@code addr} {@code host:port}).
   */
  static Map<String, String> parse(String line, boolean withPort, long nowEpochSeconds) {
    if (!LINE.matcher(line).matches()) {
      return null;
    }
    Map<String, String> f = new LinkedHashMap<>();
    for (String part : line.split(" ", -1)) {
      String[] kv = part.split("=", -1);
      if (kv.length != 2) {
        return null;
      }
      f.put(kv[0], kv[1]);
    }
    String addr = f.getOrDefault("addr", "");
    int colon = addr.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("name", f.getOrDefault("name", ""));
    try {
      labels.put("created_at", since(f.get("age"), nowEpochSeconds));
      labels.put("idle_since", since(f.get("idle"), nowEpochSeconds));
    } catch (NumberFormatException e) {
      return null;
    }
    labels.put("flags", f.getOrDefault("flags", ""));
    labels.put("db", f.getOrDefault("db", ""));
    labels.put("omem", f.getOrDefault("omem", ""));
    labels.put("cmd", f.getOrDefault("cmd", ""));
    labels.put("host", addr.substring(0, colon));
    if (withPort) {
      labels.put("port", addr.substring(colon + 1));
    }
    String user = f.getOrDefault("user", "");
    if (!user.isEmpty()) {
      labels.put("user", user);
    }
    String resp = f.getOrDefault("resp", "");
    if (!resp.isEmpty()) {
      labels.put("resp", resp);
    }
    return labels;
  }

  private static String since(String seconds, long now) {
    if (seconds == null) {
      throw new NumberFormatException("missing");
    }
    return Long.toString(now - Long.parseLong(seconds));
  }

  static void collect(RedisConnection c, Settings settings, InfoMapper m, long nowEpochSeconds)
      throws IOException {
    String reply;
    try {
      reply = c.text("CLIENT", "LIST");
    } catch (RedisConnection.ErrorReply e) {
      LOG.debug("CLIENT LIST refused: {}", e.getMessage());
      return;
    }
    if (reply == null) {
      return;
    }
    for (String line : reply.split("\n")) {
      Map<String, String> labels =
          parse(line.strip(), settings.extras().exportClientPort(), nowEpochSeconds);
      if (labels == null) {
        continue;
      }
      List<String> flat = new ArrayList<>();
      labels.forEach(
          (k, v) -> {
            flat.add(k);
            flat.add(v);
          });
      m.add(
          "connected_clients_details",
          MetricType.GAUGE,
          "Details about connected clients",
          1,
          flat.toArray(String[]::new));
    }
  }
}
