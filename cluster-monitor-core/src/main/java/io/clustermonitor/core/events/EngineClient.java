package io.clustermonitor.core.events;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.StatsSample;
import java.util.List;
import java.util.Optional;

/**
 * The few engine calls the live stats engine needs: list, inspect, and two streams (events and
 * stats). {@link io.clustermonitor.core.stats.StatsEngine#builder(DockerEndpoint)} uses the
 * docker-java implementation; tests and other transports may supply their own through {@link
 * io.clustermonitor.core.stats.StatsEngine#builder(EngineClient)}.
 *
 * <p>Implementations must be thread-safe: the registry and the stats sources call them from several
 * threads at once.
 */
public interface EngineClient extends AutoCloseable {

  /** The engine's name used to tag results (see {@link DockerEndpoint#name()}). */
  String host();

  /**
   * All containers in every state, as listed (health, limits and start times may be missing: {@link
   * #inspect(String)} fills them).
   *
   * @throws io.clustermonitor.core.EngineUnavailableException when the engine cannot be reached
   */
  List<ContainerSummary> listContainers();

  /**
   * One container's full summary and its init process id, or empty when it does not exist.
   *
   * @throws io.clustermonitor.core.EngineUnavailableException when the engine cannot be reached
   */
  Optional<Inspection> inspect(String id);

  /**
   * Opens the container event stream. Returns once the engine accepted the subscription; events
   * then arrive on a thread owned by the client. Closing the handle ends the stream; {@link
   * StreamHandler#onEnd} is called exactly once either way.
   *
   * @throws io.clustermonitor.core.EngineUnavailableException when the engine cannot be reached
   */
  AutoCloseable events(StreamHandler<ContainerEvent> handler);

  /**
   * Opens a streaming stats subscription for one running container (one frame per second from the
   * engine). Same contract as {@link #events}.
   */
  AutoCloseable stats(String id, StreamHandler<StatsSample> handler);

  /** Releases connections and stream threads. Idempotent. */
  @Override
  void close();

  /**
   * A container's summary with facts a listing lacks.
   *
   * @param summary the full summary
   * @param pid the init process id on the engine host, 0 when not running
   */
  record Inspection(ContainerSummary summary, long pid) {}

  /**
   * Receives stream items on the client's reader thread; must return quickly (the daemon drops a
   * subscriber that lags 100 ms).
   */
  interface StreamHandler<T> {
    /** One item. */
    void onItem(T item);

    /** The stream ended: {@code error} is null when it was closed by us. */
    void onEnd(Throwable error);
  }
}
