package io.clustermonitor.exporters.postgres;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.TargetScraper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * postgres_exporter 0.15's {@code /probe?target=...&auth_module=...}: the legacy families and the
 * enabled collectors for one target, with counters that start over on every probe (as upstream).
 * Unlike upstream, a target's connection is pooled and reused between probes: at most {@code
 * maxProbeTargets} targets keep one connection each; the least recently probed idle one is closed
 * first, and one idle for five minutes is closed.
 */
final class PostgresProbe implements TargetScraper {
  private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(5);

  private final Engine engine;
  private final AuthModules modules;
  private final LinkedHashMap<DataSource, PgConn> pool = new LinkedHashMap<>(16, 0.75f, true);

  PostgresProbe(Engine engine, AuthModules modules) {
    this.engine = engine;
    this.modules = modules;
  }

  @Override
  public Scrape open(Map<String, List<String>> query) {
    String target = first(query, "target");
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("target is required");
    }
    DataSource source;
    try {
      source = DataSource.parseTarget(target);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("could not configure dsn for target: " + e.getMessage());
    }
    String moduleName = first(query, "auth_module");
    if (moduleName != null && !moduleName.isEmpty()) {
      String shown = moduleName.length() > 64 ? moduleName.substring(0, 64) + "..." : moduleName;
      AuthModules.Module m =
          modules
              .get(moduleName)
              .orElseThrow(
                  () -> new IllegalArgumentException("auth_module " + shown + " not found"));
      source = m.configure(source);
    }
    PgConn conn = connection(source);
    MetricsCollector collector =
        new MetricsCollector() {
          @Override
          public String name() {
            return "postgres";
          }

          @Override
          public List<MetricFamily> collect() {
            long start = System.nanoTime();
            Families out = new Families();
            Engine.Outcome o = engine.scrapeTarget(conn, true, true, out);
            engine.exporterFamilies(out, start, 1, o.error(), o.connected());
            return out.build();
          }
        };
    return Scrape.of(List.of(collector));
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private PgConn connection(DataSource source) {
    synchronized (pool) {
      long now = System.nanoTime();
      PgConn c = pool.get(source);
      if (c == null) {
        c = new PgConn(source, engine.connectTimeout);
        pool.put(source, c);
      }
      c.lastUsedNanos = now;
      Iterator<Map.Entry<DataSource, PgConn>> it = pool.entrySet().iterator();
      int excess = pool.size() - engine.maxProbeTargets;
      while (it.hasNext()) {
        PgConn e = it.next().getValue();
        if (e == c) {
          continue;
        }
        boolean idle = now - e.lastUsedNanos > IDLE_NANOS;
        if ((excess > 0 || idle) && e.lock.tryLock()) {
          try {
            e.retired = true;
            e.close();
          } finally {
            e.lock.unlock();
          }
          it.remove();
          excess--;
        }
      }
      return c;
    }
  }

  /** Pooled targets (for tests). */
  int pooled() {
    synchronized (pool) {
      return pool.size();
    }
  }

  /** Closes every pooled connection. */
  void closeAll() {
    synchronized (pool) {
      for (PgConn c : pool.values()) {
        c.retired = true;
        engine.closeQuietly(c);
      }
      pool.clear();
    }
  }
}
