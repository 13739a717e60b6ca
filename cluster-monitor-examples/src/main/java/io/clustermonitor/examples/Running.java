package io.clustermonitor.examples;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** Blocks a long-running command until the JVM shuts down (Ctrl-C, SIGTERM) or a test stops it. */
final class Running {
  private final CountDownLatch stop = new CountDownLatch(1);

  /** Stops the command (tests). */
  void stop() {
    stop.countDown();
  }

  /**
   * Waits for {@link #stop()} or JVM shutdown; resources are closed by the caller afterwards. While
   * it waits, the launcher's {@link HeapTrimmer} runs (when {@code -Dcm.heapTrimSeconds} is set).
   */
  void await() throws InterruptedException {
    Thread hook = new Thread(stop::countDown, "cm-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Optional<HeapTrimmer> trimmer = HeapTrimmer.fromSystemProperty();
    try {
      stop.await();
    } finally {
      trimmer.ifPresent(HeapTrimmer::close);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down already
      }
    }
  }
}
