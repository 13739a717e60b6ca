package io.clustermonitor.exporters.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.ScanResult;

/**
 * The key and stream checks of {@code -is-cluster}: a {@link JedisCluster} seeded with the scraped
 * node, so that each keyed command goes to the master owning the key's slot and Jedis follows
 * {@code MOVED} and {@code ASK}; patterns are scanned on every master (Jedis's {@link
 * ScanIteration}), so a pattern finds the keys of the whole cluster, not of one node. Opened for
 * one scrape and closed after it, with the scrape connection's timeouts, credentials, client name
 * and TLS. A cluster has only database 0: a check of another database finds nothing (logged once
 * per scrape).
 */
final class ClusterKeys implements KeyCommands, AutoCloseable {
  /** Redirects followed per command before giving up (Jedis's default). */
  private static final int MAX_ATTEMPTS = 5;

  private final JedisCluster cluster;

  private ClusterKeys(JedisCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Discovers the cluster from the node {@code c} is connected to ({@code CLUSTER SLOTS}).
   *
   * @throws IOException when the node cannot be reached or is not part of a cluster
   */
  static ClusterKeys open(RedisConnection c) throws IOException {
    RedisTarget t = c.target();
    if (t.unixSocket() != null) {
      throw new IOException("-is-cluster needs a TCP address, not " + t.address());
    }
    try {
      return new ClusterKeys(
          new JedisCluster(Set.of(new HostAndPort(t.host(), t.port())), c.config(), MAX_ATTEMPTS));
    } catch (RuntimeException e) {
      throw new IOException("cluster discovery: " + RedisConnection.message(e), null);
    }
  }

  /** The key of a command as the checks send them ({@code XINFO <sub> key ...}, else first). */
  private static String keyOf(String name, String... args) {
    int at = name.equalsIgnoreCase("XINFO") ? 1 : 0;
    return args.length > at ? args[at] : null;
  }

  @Override
  public Object command(String name, String... args) throws IOException {
    if (name.equalsIgnoreCase("SELECT")) {
      // a cluster has database 0 only; the checks run there whatever database they name
      return "OK";
    }
    String key = keyOf(name, args);
    if (key == null) {
      throw new IOException("cluster mode: " + name + " has no key to route by");
    }
    try {
      return RedisConnection.convert(
          cluster.sendCommand(
              key, new RedisConnection.Command(name.getBytes(StandardCharsets.UTF_8)), args));
    } catch (JedisDataException e) {
      throw new RedisConnection.ErrorReply(String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      throw new IOException(RedisConnection.message(e), null);
    }
  }

  /**
   * The keys matching {@code pattern} on every master, each once ({@code SCAN .. MATCH .. COUNT
   * batch [TYPE type]} per master until its cursor is 0).
   */
  List<String> scan(String pattern, String type, long batch) throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    try {
      int count = (int) Math.min(Integer.MAX_VALUE, batch);
      ScanIteration it =
          type == null
              ? cluster.scanIteration(count, pattern)
              : cluster.scanIteration(count, pattern, type);
      int rounds = 0;
      while (!it.isIterationCompleted() && rounds++ < 1_000_000) {
        ScanResult<String> r = it.nextBatch();
        if (r != null) {
          keys.addAll(r.getResult());
        }
      }
    } catch (JedisDataException e) {
      throw new RedisConnection.ErrorReply(String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      throw new IOException(RedisConnection.message(e), null);
    }
    return new ArrayList<>(keys);
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (RuntimeException e) {
      // closing broken connections
    }
  }
}
