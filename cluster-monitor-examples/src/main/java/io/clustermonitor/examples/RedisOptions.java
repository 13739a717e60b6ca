package io.clustermonitor.examples;

import io.clustermonitor.exporters.redis.RedisCollector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The Redis collector's settings, configured like redis_exporter: {@code REDIS_ADDR}, {@code
 * REDIS_USER}, {@code REDIS_PASSWORD}, {@code REDIS_PASSWORD_FILE} (flags win over variables). A
 * picocli mixin shared by {@code redis-exporter} and {@code serve}.
 */
final class RedisOptions {
  @Option(
      names = "--redis.addr",
      paramLabel = "ADDR",
      description =
          "redis://host:port, rediss://host:port or unix:///path (env: REDIS_ADDR; default"
              + " redis://localhost:6379).")
  String addr;

  @Option(names = "--redis.user", paramLabel = "USER", description = "ACL user (env: REDIS_USER).")
  String user;

  @Option(
      names = "--redis.password-file",
      paramLabel = "FILE",
      description =
          "File with the password, or redis_exporter's JSON map of address to password (env:"
              + " REDIS_PASSWORD_FILE; REDIS_PASSWORD also works).")
  Path passwordFile;

  @Option(
      names = "--connection-timeout",
      paramLabel = "SECONDS",
      defaultValue = "${env:REDIS_EXPORTER_CONNECTION_TIMEOUT_SECONDS:-15}",
      description = "Connect and read timeout (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /**
   * Builds the collector.
   *
   * @throws IllegalArgumentException on a bad address, timeout or password file
   */
  RedisCollector collector(Map<String, String> env) {
    if (timeoutSeconds <= 0) {
      throw new IllegalArgumentException("--connection-timeout must be positive seconds");
    }
    RedisCollector.Builder b = RedisCollector.fromEnvironment(env);
    if (addr != null) {
      b.address(addr);
    }
    if (user != null) {
      b.user(user);
    }
    if (passwordFile != null) {
      b.passwordFile(passwordFile);
    }
    return b.timeout(Duration.ofSeconds(timeoutSeconds)).build();
  }
}
