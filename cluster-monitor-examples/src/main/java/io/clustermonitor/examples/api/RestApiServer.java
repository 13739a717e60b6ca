package io.clustermonitor.examples.api;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.clustermonitor.exporters.ExporterServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running dedicated server for a {@link RestApi}: a JDK {@link HttpServer} with its own pool of
 * daemon threads (created on demand, released after 10 s idle). Close it to stop.
 */
public final class RestApiServer implements AutoCloseable {
  private final HttpServer server;
  private final ThreadPoolExecutor executor;

  private RestApiServer(HttpServer server, ThreadPoolExecutor executor) {
    this.server = server;
    this.executor = executor;
  }

  static RestApiServer start(HttpHandler handler, InetSocketAddress address, int threads)
      throws IOException {
    ExporterServer.enableTcpNoDelay();
    HttpServer server = HttpServer.create(address, 256);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            10,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "cm-api-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    server.createContext("/", handler);
    server.start();
    return new RestApiServer(server, executor);
  }

  /** The bound address (with the real port when started on port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops accepting and closes connections, then gives running requests a second to end. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
