package io.clustermonitor.exporters;

import io.clustermonitor.exporters.web.ServerLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Server settings read from command-line flags and environment variables, flags winning. Immutable
 * and thread-safe. Every secret follows the {@code *_FILE} pattern: {@code X_FILE} names a file
 * whose content (trailing newline removed) is used instead of {@code X}; the file wins when both
 * are set. The table of settings is in {@code docs/sdk.md}.
 *
 * <pre>{@code
 * ExporterConfig config = ExporterConfig.parse(args, System.getenv(), "127.0.0.1:9100");
 * try (ExporterServer server =
 *     ExporterServer.builder().config(config).namespace("node").register(collector).start()) {
 *   server.awaitTermination();
 * }
 * }</pre>
 */
public final class ExporterConfig {
  /** Env var for the listen address, {@code host:port}. */
  public static final String ENV_LISTEN_ADDRESS = "CM_WEB_LISTEN_ADDRESS";

  /** Env var for the basic auth user name. */
  public static final String ENV_BASIC_USER = "CM_WEB_BASIC_AUTH_USER";

  /** Env var (secret) for the basic auth password. */
  public static final String ENV_BASIC_PASSWORD = "CM_WEB_BASIC_AUTH_PASSWORD";

  /** Env var (secret) for the bearer token. */
  public static final String ENV_BEARER_TOKEN = "CM_WEB_BEARER_TOKEN";

  /** Env var for the TLS keystore path (PKCS12 or JKS). */
  public static final String ENV_TLS_KEYSTORE = "CM_WEB_TLS_KEYSTORE";

  /** Env var (secret) for the TLS keystore password. */
  public static final String ENV_TLS_KEYSTORE_PASSWORD = "CM_WEB_TLS_KEYSTORE_PASSWORD";

  /** Env var for the per-collector timeout ({@code 5s}, {@code 1500ms}, {@code PT5S}). */
  public static final String ENV_COLLECTOR_TIMEOUT = "CM_COLLECTOR_TIMEOUT";

  /** Default per-collector timeout. */
  public static final Duration DEFAULT_COLLECTOR_TIMEOUT = Duration.ofSeconds(5);

  private final String host;
  private final int port;
  private final String basicUser;
  private final String basicPassword;
  private final String bearerToken;
  private final Path tlsKeystore;
  private final String tlsKeystorePassword;
  private final Duration collectorTimeout;

  private ExporterConfig(
      String host,
      int port,
      String basicUser,
      String basicPassword,
      String bearerToken,
      Path tlsKeystore,
      String tlsKeystorePassword,
      Duration collectorTimeout) {
    this.host = host;
    this.port = port;
    this.basicUser = basicUser;
    this.basicPassword = basicPassword;
    this.bearerToken = bearerToken;
    this.tlsKeystore = tlsKeystore;
    this.tlsKeystorePassword = tlsKeystorePassword;
    this.collectorTimeout = collectorTimeout;
  }

  /**
   * Reads the environment only.
   *
   * @param env environment variables, usually {@code System.getenv()}
   * @param defaultListenAddress {@code host:port} used when nothing is set, e.g. {@code
   *     127.0.0.1:9100}
   * @throws IllegalArgumentException on a malformed value or an unreadable {@code *_FILE}, naming
   *     the variable but never a secret's value
   */
  public static ExporterConfig fromEnvironment(
      Map<String, String> env, String defaultListenAddress) {
    return parse(new String[0], env, defaultListenAddress);
  }

  /**
   * Reads flags and environment; a flag wins over its variable. Flags: {@code
   * --web.listen-address=host:port}, {@code --web.basic-auth-user=U}, {@code
   * --web.basic-auth-password-file=PATH}, {@code --web.bearer-token-file=PATH}, {@code
   * --web.tls-keystore=PATH}, {@code --web.tls-keystore-password-file=PATH}, {@code
   * --collector.timeout=5s} (also as two arguments, {@code --flag value}). Secrets are accepted
   * from files only on the command line, so they never show in a process list.
   *
   * @throws IllegalArgumentException on an unknown flag, a flag without value, a malformed value or
   *     an unreadable file
   */
  public static ExporterConfig parse(
      String[] args, Map<String, String> env, String defaultListenAddress) {
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(defaultListenAddress, "defaultListenAddress");
    String listen = env.getOrDefault(ENV_LISTEN_ADDRESS, defaultListenAddress);
    String user = blankToNull(env.get(ENV_BASIC_USER));
    String password = secret(env, ENV_BASIC_PASSWORD).orElse(null);
    String token = secret(env, ENV_BEARER_TOKEN).orElse(null);
    String keystore = blankToNull(env.get(ENV_TLS_KEYSTORE));
    String keystorePassword = secret(env, ENV_TLS_KEYSTORE_PASSWORD).orElse(null);
    String timeout = env.get(ENV_COLLECTOR_TIMEOUT);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg == null || !arg.startsWith("--")) {
        throw new IllegalArgumentException("Unexpected argument '" + arg + "'");
      }
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else {
        name = arg;
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("Flag " + name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--web.listen-address" -> listen = value;
        case "--web.basic-auth-user" -> user = blankToNull(value);
        case "--web.basic-auth-password-file" -> password = readSecretFile(name, value);
        case "--web.bearer-token-file" -> token = readSecretFile(name, value);
        case "--web.tls-keystore" -> keystore = blankToNull(value);
        case "--web.tls-keystore-password-file" -> keystorePassword = readSecretFile(name, value);
        case "--collector.timeout" -> timeout = value;
        default ->
            throw new IllegalArgumentException(
                "Unknown flag " + name + "; known: " + String.join(", ", FLAGS));
      }
    }
    HostPort hp = HostPort.parse(listen);
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException(
          "Basic auth needs both "
              + ENV_BASIC_USER
              + " and "
              + ENV_BASIC_PASSWORD
              + " (or "
              + ENV_BASIC_PASSWORD
              + "_FILE)");
    }
    if (user != null && token != null) {
      throw new IllegalArgumentException(
          "Set either basic auth or " + ENV_BEARER_TOKEN + ", not both");
    }
    if (keystore != null && keystorePassword == null) {
      throw new IllegalArgumentException(
          ENV_TLS_KEYSTORE + " needs " + ENV_TLS_KEYSTORE_PASSWORD + " (or its _FILE)");
    }
    return new ExporterConfig(
        hp.host,
        hp.port,
        user,
        password,
        token,
        keystore == null ? null : Path.of(keystore),
        keystorePassword,
        timeout == null || timeout.isBlank()
            ? DEFAULT_COLLECTOR_TIMEOUT
            : parseDuration(ENV_COLLECTOR_TIMEOUT, timeout));
  }

  private static final List<String> FLAGS =
      List.of(
          "--web.listen-address",
          "--web.basic-auth-user",
          "--web.basic-auth-password-file",
          "--web.bearer-token-file",
          "--web.tls-keystore",
          "--web.tls-keystore-password-file",
          "--collector.timeout");

  /**
   * Reads a secret with the {@code *_FILE} pattern: the content of the file named by {@code name +
   * "_FILE"} (one trailing {@code \n} or {@code \r\n} removed) if set, else the value of {@code
   * name}, else empty. Exporters use it for {@code REDIS_PASSWORD}, {@code DATA_SOURCE_PASS} and
   * the like.
   *
   * @throws IllegalArgumentException when the file cannot be read; the message names the variable
   *     and the path, never the content
   */
  public static Optional<String> secret(Map<String, String> env, String name) {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(name, "name");
    String file = env.get(name + "_FILE");
    if (file != null && !file.isBlank()) {
      return Optional.of(readSecretFile(name + "_FILE", file));
    }
    String value = env.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private static String readSecretFile(String variable, String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(variable + " is empty; it must name a readable file");
    }
    String content;
    try {
      content = Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot read the file named by "
              + variable
              + " ("
              + path
              + "): "
              + e.getClass().getSimpleName());
    }
    if (content.endsWith("\r\n")) {
      content = content.substring(0, content.length() - 2);
    } else if (content.endsWith("\n")) {
      content = content.substring(0, content.length() - 1);
    }
    if (content.isEmpty()) {
      throw new IllegalArgumentException(variable + " names an empty file: " + path);
    }
    return content;
  }

  static Duration parseDuration(String variable, String text) {
    return ServerLimits.duration(variable, text);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** Host or address to bind, e.g. {@code 127.0.0.1}. */
  public String host() {
    return host;
  }

  /** Port to bind (0 = any free port). */
  public int port() {
    return port;
  }

  /** Basic auth user, if basic auth is on. */
  public Optional<String> basicAuthUser() {
    return Optional.ofNullable(basicUser);
  }

  /** Basic auth password, if basic auth is on. */
  public Optional<String> basicAuthPassword() {
    return Optional.ofNullable(basicPassword);
  }

  /** Bearer token, if bearer auth is on. */
  public Optional<String> bearerToken() {
    return Optional.ofNullable(bearerToken);
  }

  /** TLS keystore, if TLS is on. */
  public Optional<Path> tlsKeystore() {
    return Optional.ofNullable(tlsKeystore);
  }

  /** TLS keystore password, if TLS is on. */
  public Optional<String> tlsKeystorePassword() {
    return Optional.ofNullable(tlsKeystorePassword);
  }

  /** Per-collector timeout. */
  public Duration collectorTimeout() {
    return collectorTimeout;
  }

  /** Settings without secret values. */
  @Override
  public String toString() {
    return "ExporterConfig[listen="
        + host
        + ":"
        + port
        + ", auth="
        + (basicUser != null ? "basic(" + basicUser + ")" : bearerToken != null ? "bearer" : "none")
        + ", tls="
        + (tlsKeystore != null ? tlsKeystore : "off")
        + ", collectorTimeout="
        + collectorTimeout
        + "]";
  }

  /** A parsed {@code host:port}. */
  record HostPort(String host, int port) {
    static HostPort parse(String text) {
      if (text == null || text.isBlank()) {
        throw new IllegalArgumentException("Listen address is empty; expected host:port");
      }
      String t = text.trim();
      int colon = t.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "Listen address '" + text + "' must be host:port, e.g. 127.0.0.1:9100");
      }
      String host = t.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.isEmpty()) {
        host = "0.0.0.0";
      }
      int port;
      try {
        port = Integer.parseInt(t.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Listen address '" + text + "' has no numeric port, e.g. 127.0.0.1:9100");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "Listen address '" + text + "' has port out of range 0-65535");
      }
      return new HostPort(host, port);
    }
  }
}
