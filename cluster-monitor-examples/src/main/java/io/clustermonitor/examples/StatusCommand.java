package io.clustermonitor.examples;

import io.clustermonitor.core.ClusterMonitorException;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code status}: a {@code docker stats --no-stream}-like table of the running containers with a
 * HEALTH column and a summary line; {@code --json} for the same values as JSON; {@code --watch} to
 * refresh. Exit codes: 0 shown, 2 engine unreachable or bad options.
 *
 * <p>The table comes from the first sample of every running container, without waiting for a second
 * one: CPU % needs two samples and shows {@code --} until then (the next {@code --watch} refresh
 * has it). {@code --json} waits for the second sample (up to {@link #STATS_WAIT}) so that {@code
 * cpuPercent} is a number for scripts. Log lines below WARN stay off unless {@code --log.level}
 * asks for them: a terminal sees the table only.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = JarVersionProvider.class,
    description = {
      "Shows CPU, memory, network, block I/O, pids and health of the running containers,"
          + " like docker stats --no-stream, and a running/healthy/unhealthy summary.",
      "The table is printed from the first sample: CPU %% needs two samples and shows -- until"
          + " then (--watch refreshes have it); --json waits for the second sample.",
      "Exit code 0 when shown, 2 when the engine is unreachable or an option is wrong."
    })
final class StatusCommand implements Callable<Integer> {
  /**
   * How long to wait for a second stats sample of every running container (CPU % needs two; the
   * live engine takes its first sample when it starts).
   */
  static final Duration STATS_WAIT = Duration.ofSeconds(5);

  private static final String CLEAR_SCREEN = "\033[2J\033[H";

  @Spec CommandSpec spec;

  @Option(
      names = {"-H", "--host", "--docker-host"},
      paramLabel = "URL",
      defaultValue = "${env:DOCKER_HOST}",
      description =
          "Docker engine: unix:///path or tcp://host:port (env: DOCKER_HOST; default"
              + " unix:///var/run/docker.sock). DOCKER_TLS_VERIFY and DOCKER_CERT_PATH apply.")
  String host;

  @Option(names = "--json", description = "Print the same values as one JSON object per refresh.")
  boolean json;

  @Option(
      names = "--watch",
      arity = "0..1",
      fallbackValue = "2",
      paramLabel = "SECONDS",
      description = "Refresh every SECONDS (default 2, 1..3600) until Ctrl-C.")
  Integer watch;

  @Option(
      names = "--log.level",
      paramLabel = "LEVEL",
      defaultValue = "warn",
      description = "Log lines on stderr from this level up: debug, info, warn (default) or error.")
  String logLevel;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "With --watch: stop after N refreshes (default: until Ctrl-C).")
  Integer count;

  @Override
  public Integer call() throws InterruptedException {
    if (watch != null && (watch < 1 || watch > 3600)) {
      throw new ParameterException(
          spec.commandLine(), "--watch must be 1..3600 seconds, got " + watch);
    }
    if (count != null && count < 1) {
      throw new ParameterException(spec.commandLine(), "--count must be >= 1, got " + count);
    }
    if (count != null && watch == null) {
      throw new ParameterException(spec.commandLine(), "--count needs --watch");
    }
    String level = logLevel == null ? "warn" : logLevel.trim().toLowerCase(Locale.ROOT);
    if (!List.of("debug", "info", "warn", "error").contains(level)) {
      throw new ParameterException(
          spec.commandLine(),
          "--log.level must be debug, info, warn or error, got '" + logLevel + "'");
    }
    Logging.configure(null, level);
    DockerEndpoint endpoint;
    try {
      endpoint = endpoint();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (DockerMonitor docker =
        DockerMonitor.builder(endpoint).applyEnvironment(System.getenv()).build()) {
      docker.systemInfo(); // one cheap call: an unreachable engine fails within the timeouts
      if (watch == null) {
        StatsSnapshot snap = json ? snapshotWithStats(docker) : firstSample(docker);
        if (!snap.engineUp()) {
          return engineDown(err, snap.engineError());
        }
        out.print(render(snap));
        out.flush();
        return 0;
      }
      boolean clear = !json && System.console() != null;
      for (int i = 0; count == null || i < count; i++) {
        if (i > 0) {
          Thread.sleep(Duration.ofSeconds(watch).toMillis());
        }
        StatsSnapshot snap =
            i > 0 ? docker.snapshot() : json ? snapshotWithStats(docker) : firstSample(docker);
        out.print(clear ? CLEAR_SCREEN : i > 0 && !json ? "\n" : "");
        if (snap.engineUp()) {
          out.print(render(snap));
        } else {
          out.println("cluster-monitor: " + snap.engineError());
        }
        out.flush();
      }
      return 0;
    } catch (ClusterMonitorException e) {
      return engineDown(err, e.getMessage());
    }
  }

  private String render(StatsSnapshot snap) {
    return json ? StatusView.json(snap) + "\n" : StatusView.table(snap);
  }

  private static int engineDown(PrintWriter err, String message) {
    err.println("cluster-monitor: " + oneLine(message));
    err.flush();
    return 2;
  }

  private static String oneLine(String s) {
    return s == null ? "engine error" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  DockerEndpoint endpoint() {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (host != null && !host.isBlank()) {
      env.put("DOCKER_HOST", host.trim());
    }
    return DockerEndpoint.fromEnvironment(env);
  }

  /**
   * The first snapshot in which every running container has stats (one sample is enough: CPU %
   * shows {@code --} until a second one); gives up after {@link #STATS_WAIT} and shows what it has.
   */
  static StatsSnapshot firstSample(DockerMonitor docker) throws InterruptedException {
    long deadline = System.nanoTime() + STATS_WAIT.toNanos();
    StatsSnapshot snap = docker.snapshot();
    while (snap.engineUp() && !sampledEverywhere(snap) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      snap = docker.snapshot();
    }
    return snap;
  }

  private static boolean sampledEverywhere(StatsSnapshot snap) {
    for (ContainerSummary c : snap.running()) {
      if (snap.stats().get(c.id()) == null) {
        return false;
      }
    }
    return true;
  }

  /**
   * A snapshot in which every running container has stats from a sample taken after the first
   * snapshot's (so CPU % comes from two samples); gives up after {@link #STATS_WAIT} and shows what
   * it has ({@code --} for containers without stats).
   */
  static StatsSnapshot snapshotWithStats(DockerMonitor docker) throws InterruptedException {
    long deadline = System.nanoTime() + STATS_WAIT.toNanos();
    StatsSnapshot first = docker.snapshot();
    Map<String, Instant> firstRead = new HashMap<>();
    first.stats().forEach((id, s) -> firstRead.put(id, s.read()));
    StatsSnapshot snap = first;
    while (snap.engineUp() && !secondSampleEverywhere(snap, firstRead)) {
      if (System.nanoTime() >= deadline) {
        break;
      }
      Thread.sleep(250);
      snap = docker.snapshot();
    }
    return snap;
  }

  private static boolean secondSampleEverywhere(
      StatsSnapshot snap, Map<String, Instant> firstRead) {
    for (ContainerSummary c : snap.running()) {
      ContainerStats s = snap.stats().get(c.id());
      Instant before = firstRead.get(c.id());
      if (s == null || before == null || !s.read().isAfter(before)) {
        return false;
      }
    }
    return true;
  }
}
