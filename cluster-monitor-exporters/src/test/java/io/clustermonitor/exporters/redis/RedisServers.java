package io.clustermonitor.exporters.redis;

import static org.awaitility.Awaitility.await;

import io.clustermonitor.exporters.CompatSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** redis-server processes started by a test on loopback; stopped by PID. */
final class RedisServers {
  private RedisServers() {}

  /** Starts {@code /usr/bin/redis-server} with no persistence in {@code dir}, waits until ready. */
  static CompatSupport.Started start(Path dir, int port, String... extra) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    cmd.addAll(List.of(extra));
    CompatSupport.Started s = CompatSupport.start(Map.of(), cmd.toArray(String[]::new));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!s.process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + s.log());
              }
              return s.log().toLowerCase(Locale.ROOT).contains("ready to accept connections");
            });
    return s;
  }
}
