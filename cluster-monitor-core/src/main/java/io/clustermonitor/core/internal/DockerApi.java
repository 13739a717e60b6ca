package io.clustermonitor.core.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.ListContainersCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Statistics;
import io.clustermonitor.core.ClosedException;
import io.clustermonitor.core.ClusterMonitorException;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.EngineTimeoutException;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.SystemInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The request/answer engine calls of a {@code DockerMonitor} over docker-java, answered in our own
 * types: one pooled httpclient5 client, created on the first call (API version negotiated then),
 * closed by {@link #close()}. Thread-safe. Not public API: used by the monitor in {@code
 * io.clustermonitor.core}.
 */
public final class DockerApi implements AutoCloseable {
  /** Extra time granted to a {@code stream=false} stats call (the engine samples twice). */
  public static final Duration STATS_GRACE = Duration.ofSeconds(3);

  private final DockerEndpoint endpoint;
  private final int maxConnections;
  private final Object lock = new Object();
  private volatile DockerClient client;
  private volatile String apiVersion;
  private volatile long hostMemoryBytes;
  private volatile boolean closed;

  /**
   * Creates the client; nothing is contacted until the first call.
   *
   * @param maxConnections connection pool size
   */
  public DockerApi(DockerEndpoint endpoint, int maxConnections) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.maxConnections = maxConnections;
  }

  /** The negotiated API version, or {@code null} before the first successful call. */
  public String apiVersion() {
    return apiVersion;
  }

  private DockerClient client() {
    DockerClient c = client;
    if (c != null && !closed) {
      return c;
    }
    synchronized (lock) {
      if (closed) {
        throw new ClosedException("DockerMonitor for " + endpoint);
      }
      if (client == null) {
        var http = DockerClients.httpClient(endpoint, maxConnections, endpoint.readTimeout());
        try {
          String api = DockerClients.negotiateApiVersion(endpoint, http);
          client = DockerClients.client(endpoint, http, api);
          apiVersion = api;
        } catch (RuntimeException e) {
          DockerClients.closeQuietly(http);
          throw e;
        }
      }
      return client;
    }
  }

  /** Containers matching the filter, newest first: one list call plus one inspect per match. */
  public List<ContainerSummary> containers(ContainerFilter filter) {
    DockerClient docker = client();
    List<Container> listed;
    try {
      ListContainersCmd cmd = docker.listContainersCmd().withShowAll(true);
      Set<ContainerState> states = filter.states();
      if (!filter.allStates() && !states.contains(ContainerState.UNKNOWN)) {
        cmd.withStatusFilter(states.stream().map(ContainerState::engineName).toList());
      }
      if (!filter.labels().isEmpty()) {
        List<String> labels = new ArrayList<>();
        filter.labels().forEach((k, v) -> labels.add(v == null ? k : k + "=" + v));
        cmd.withLabelFilter(labels);
      }
      listed = cmd.exec();
    } catch (RuntimeException e) {
      throw EngineErrors.translate(endpoint, null, e);
    }
    List<ContainerSummary> out = new ArrayList<>(listed.size());
    for (Container c : listed) {
      if (filter.namePattern() != null && !nameMatches(filter, c)) {
        continue; // skip the inspect call for names that cannot match
      }
      InspectContainerResponse inspected = inspectOrNull(docker, c.getId());
      if (inspected == null) {
        continue; // removed between list and inspect
      }
      ContainerSummary s = ContainerMapper.summary(inspected, endpoint.name());
      if (filter.matches(s)) {
        out.add(s);
      }
    }
    out.sort(
        Comparator.comparing(
                ContainerSummary::createdAt,
                Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .reversed());
    return out;
  }

  private static boolean nameMatches(ContainerFilter filter, Container c) {
    if (c.getNames() == null) {
      return true;
    }
    for (String n : c.getNames()) {
      if (filter.namePattern().matcher(EngineStatsMapper.stripSlash(n)).matches()) {
        return true;
      }
    }
    return false;
  }

  private InspectContainerResponse inspectOrNull(DockerClient docker, String id) {
    try {
      return docker.inspectContainerCmd(id).exec();
    } catch (NotFoundException e) {
      return null;
    } catch (RuntimeException e) {
      throw EngineErrors.translate(endpoint, id, e);
    }
  }

  /**
   * One container's details.
   *
   * @param id the checked id or name
   * @param asked what the caller asked for (named by a not-found exception)
   */
  public ContainerDetails container(String id, String asked) {
    DockerClient docker = client();
    try {
      return ContainerMapper.details(docker.inspectContainerCmd(id).exec(), endpoint.name());
    } catch (RuntimeException e) {
      throw EngineErrors.translate(endpoint, asked, e);
    }
  }

  /** Facts about the engine, naming the stats source in use. */
  public SystemInfo systemInfo(String statsSource) {
    DockerClient docker = client();
    try {
      return ContainerMapper.systemInfo(
          docker.infoCmd().exec(), apiVersion, endpoint.name(), statsSource);
    } catch (RuntimeException e) {
      throw EngineErrors.translate(endpoint, null, e);
    }
  }

  /**
   * One {@code stream=false} stats call (the engine samples twice, 1-2 s), waiting at most the read
   * timeout plus {@link #STATS_GRACE}. Empty when the answer ended without a frame (the container
   * stopped or went away while the engine sampled).
   *
   * @param id the checked id or name
   * @param asked what the caller asked for (named by a not-found exception)
   * @param known the container when known (else its id and name come from the frame), or null
   */
  public Optional<ContainerStats> statsOnce(String id, String asked, ContainerSummary known) {
    DockerClient docker = client();
    FirstFrame frame = new FirstFrame();
    Duration wait = endpoint.readTimeout().plus(STATS_GRACE);
    try {
      docker.statsCmd(id).withNoStream(true).exec(frame);
      if (!frame.awaitCompletion(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new EngineTimeoutException(endpoint.toString(), wait, null);
      }
      if (frame.error != null) {
        throw EngineErrors.translate(endpoint, asked, frame.error);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterMonitorException("Interrupted while reading stats of " + asked, e);
    } catch (RuntimeException e) {
      throw EngineErrors.translate(endpoint, asked, e);
    } finally {
      DockerClients.closeQuietly(frame);
    }
    if (frame.first == null) {
      return Optional.empty();
    }
    long hostMemory = hostMemoryBytes(docker);
    return Optional.of(
        known == null
            ? EngineStatsMapper.containerStats(frame.first, null, null, endpoint.name(), hostMemory)
            : EngineStatsMapper.containerStats(
                frame.first, known.id(), known.name(), endpoint.name(), hostMemory));
  }

  /** The engine host's memory ({@code MemTotal} of {@code /info}), read once; 0 when unknown. */
  private long hostMemoryBytes(DockerClient docker) {
    long m = hostMemoryBytes;
    if (m > 0) {
      return m;
    }
    try {
      Long total = docker.infoCmd().exec().getMemTotal();
      m = total == null ? 0 : Math.max(0, total);
    } catch (RuntimeException e) {
      return 0;
    }
    hostMemoryBytes = m;
    return m;
  }

  /** All-zero stats for a container that is not running (as {@code docker stats} shows it). */
  public ContainerStats zeroStats(ContainerSummary c) {
    return EngineStatsMapper.containerStats(new Statistics(), c.id(), c.name(), endpoint.name(), 0);
  }

  /** Keeps the first frame of a stats answer, or the error (which docker-java would log). */
  private static final class FirstFrame extends ResultCallback.Adapter<Statistics> {
    private volatile Statistics first;
    private volatile Throwable error;

    @Override
    public void onError(Throwable t) {
      error = t;
      DockerClients.closeQuietly(this); // completes awaitCompletion
    }

    @Override
    public void onNext(Statistics s) {
      if (first == null) {
        first = s;
      }
    }
  }

  /** Closes the connection pool. Idempotent; later calls fail with IllegalStateException. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      DockerClients.closeQuietly(client);
      client = null;
    }
  }
}
