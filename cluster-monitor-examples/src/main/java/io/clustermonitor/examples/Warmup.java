package io.clustermonitor.examples;

import io.clustermonitor.core.DockerMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the monitor's live stats engine in the background so the first request is fast. */
final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);

  private Warmup() {}

  static void start(DockerMonitor monitor) {
    Thread t =
        new Thread(
            () -> {
              try {
                monitor.snapshot();
              } catch (RuntimeException e) {
                LOG.warn(
                    "Docker engine not reachable yet at {}: {}",
                    monitor.endpoint(),
                    e.getMessage());
              }
            },
            "cm-warmup");
    t.setDaemon(true);
    t.start();
  }
}
