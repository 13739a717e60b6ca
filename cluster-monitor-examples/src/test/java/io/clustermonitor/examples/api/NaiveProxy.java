package io.clustermonitor.examples.api;

import com.sun.net.httpserver.HttpServer;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.model.ContainerFilter;
import io.clustermonitor.core.model.ContainerSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Benchmark baseline only: the seed's approach, one engine call per request ({@code
 * /containers/json} for the list, a {@code stats?stream=false} call for stats), same JSON shapes.
 * Not safe, not validated; never shipped.
 */
final class NaiveProxy implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(16);

  NaiveProxy(DockerMonitor engine) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    server.setExecutor(pool);
    server.createContext(
        "/api/containers",
        ex -> {
          String path = ex.getRequestURI().getPath();
          byte[] body;
          int status = 200;
          try {
            if (path.equals("/api/containers")) {
              List<Object> out = new ArrayList<>();
              for (ContainerSummary c : engine.containers(ContainerFilter.RUNNING)) {
                out.add(Json.summary(c));
              }
              body = Json.bytes(out);
            } else {
              String id = path.substring("/api/containers/".length()).replace("/stats", "");
              body = Json.bytes(Json.stats(engine.stats(id)));
            }
          } catch (RuntimeException e) {
            status = 500;
            body = Json.bytes(Json.error(500, "internal_error", String.valueOf(e)));
          }
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(status, body.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
          }
        });
    server.start();
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
