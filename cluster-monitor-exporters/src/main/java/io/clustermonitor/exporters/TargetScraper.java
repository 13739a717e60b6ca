package io.clustermonitor.exporters;

import java.util.List;
import java.util.Map;

/**
 * A multi-target endpoint such as postgres_exporter's {@code /probe?target=...} or redis_exporter's
 * {@code /scrape?target=...}: each request names its target in the query string and gets the
 * families of that target only.
 *
 * <p>Mount one with {@link ExporterServer.Builder#target(String, TargetScraper)}. The server runs
 * the returned collectors as it runs its own (per-collector timeout and isolation, the same
 * exposition formats, the same authentication) and then closes the returned {@link Scrape}.
 *
 * <pre>{@code
 * ExporterServer.builder()
 *     .target(
 *         "/scrape",
 *         query -> {
 *           List<String> target = query.getOrDefault("target", List.of());
 *           if (target.size() != 1) {
 *             throw new IllegalArgumentException("exactly one target= expected");
 *           }
 *           return Scrape.of(List.of(RedisCollector.builder().address(target.get(0)).build()));
 *         })
 *     .start();
 * }</pre>
 */
@FunctionalInterface
public interface TargetScraper {

  /**
   * Resolves one request's target.
   *
   * @param query the decoded query parameters of the request, each name with its values in order
   * @return the collectors for that target (closed by the server after the scrape)
   * @throws IllegalArgumentException for a missing or bad target; its message is sent to the client
   *     with status 400, so it must not hold a secret
   */
  Scrape open(Map<String, List<String>> query);

  /** The collectors of one request, with what to release once they ran. */
  interface Scrape extends AutoCloseable {
    /** The collectors to run for this request. */
    List<MetricsCollector> collectors();

    /** Releases what {@link #collectors()} holds (connections, ...). Never throws. */
    @Override
    default void close() {}

    /** A scrape of fixed collectors with nothing to release. */
    static Scrape of(List<MetricsCollector> collectors) {
      List<MetricsCollector> copy = List.copyOf(collectors);
      return () -> copy;
    }
  }
}
