package io.clustermonitor.core;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where a Docker engine listens and how to talk to it: a {@code unix://} socket or a {@code tcp://}
 * address, optional TLS, connect and read timeouts, and the lowest API version we accept.
 *
 * <p>Immutable and thread-safe. Build one explicitly or from the standard environment variables:
 *
 * <pre>{@code
 * DockerEndpoint local = DockerEndpoint.fromEnvironment();
 * DockerEndpoint remote =
 *     DockerEndpoint.builder("tcp://127.0.0.1:2376")
 *         .tls(Path.of("/etc/docker/certs"))
 *         .readTimeout(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 */
public final class DockerEndpoint {
  /** The socket used when {@code DOCKER_HOST} is not set. */
  public static final String DEFAULT_UNIX_SOCKET = "unix:///var/run/docker.sock";

  /** Environment variable naming the engine ({@code unix:///path} or {@code tcp://host:port}). */
  public static final String DOCKER_HOST_ENV = "DOCKER_HOST";

  /** Environment variable turning on TLS with client certificates ({@code 1}). */
  public static final String DOCKER_TLS_VERIFY_ENV = "DOCKER_TLS_VERIFY";

  /**
   * Environment variable naming the directory with {@code ca.pem}, {@code cert.pem}, {@code
   * key.pem}.
   */
  public static final String DOCKER_CERT_PATH_ENV = "DOCKER_CERT_PATH";

  /**
   * Docker's variable for TLS without verification, which we refuse (see {@link
   * #fromEnvironment(Map)}).
   */
  public static final String DOCKER_TLS_ENV = "DOCKER_TLS";

  /** The lowest Engine API version we talk to (Docker 20.10). */
  public static final String MINIMUM_API_VERSION = "1.41";

  private final URI uri;
  private final boolean tlsVerify;
  private final Path certPath;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final String minimumApiVersion;
  private final String name;

  private DockerEndpoint(Builder b) {
    this.uri = b.uri;
    this.tlsVerify = b.tlsVerify;
    this.certPath = b.certPath;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.minimumApiVersion = b.minimumApiVersion;
    this.name = b.name != null ? b.name : defaultName(b.uri);
  }

  /**
   * The endpoint named by the process environment: {@link #fromEnvironment(Map)} over {@code
   * System.getenv()}.
   *
   * @throws IllegalArgumentException when {@code DOCKER_HOST} is malformed or the TLS settings
   *     contradict each other
   */
  public static DockerEndpoint fromEnvironment() {
    return fromEnvironment(ProcessEnvironment.get());
  }

  /**
   * The endpoint named by {@value #DOCKER_HOST_ENV} (default {@value #DEFAULT_UNIX_SOCKET}), with
   * TLS when {@value #DOCKER_TLS_VERIFY_ENV} is set to anything but {@code 0} or {@code false}
   * (certificates from {@value #DOCKER_CERT_PATH_ENV}, default {@code ~/.docker}). Never plain text
   * where TLS was asked for: an {@code https://} host without {@value #DOCKER_TLS_VERIFY_ENV},
   * {@value #DOCKER_TLS_ENV} (TLS without verification, not supported) or a {@value
   * #DOCKER_CERT_PATH_ENV} without {@value #DOCKER_TLS_VERIFY_ENV} are rejected.
   *
   * @throws IllegalArgumentException when {@value #DOCKER_HOST_ENV} is malformed or TLS settings
   *     contradict each other
   */
  public static DockerEndpoint fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String host = env.getOrDefault(DOCKER_HOST_ENV, "");
    Builder b = builder(host.isBlank() ? DEFAULT_UNIX_SOCKET : host.trim());
    String certs = env.getOrDefault(DOCKER_CERT_PATH_ENV, "").trim();
    if (isTrue(env.get(DOCKER_TLS_VERIFY_ENV))) {
      b.tls(certs.isEmpty() ? Path.of(System.getProperty("user.home"), ".docker") : Path.of(certs));
    } else if (isTrue(env.get(DOCKER_TLS_ENV))) {
      throw new IllegalArgumentException(
          DOCKER_TLS_ENV
              + " asks for TLS without certificate verification, which cluster-monitor does not"
              + " do: set "
              + DOCKER_TLS_VERIFY_ENV
              + "=1 and "
              + DOCKER_CERT_PATH_ENV);
    } else if (!certs.isEmpty() && !host.isBlank() && !host.trim().startsWith("unix:")) {
      throw new IllegalArgumentException(
          DOCKER_CERT_PATH_ENV
              + " is set but "
              + DOCKER_TLS_VERIFY_ENV
              + " is not: set "
              + DOCKER_TLS_VERIFY_ENV
              + "=1 to talk TLS to "
              + host.trim()
              + ", or unset "
              + DOCKER_CERT_PATH_ENV
              + " for plain text");
    }
    return b.build();
  }

  private static boolean isTrue(String v) {
    return v != null
        && !v.isBlank()
        && !v.trim().equals("0")
        && !v.trim().equalsIgnoreCase("false");
  }

  /**
   * A local unix socket endpoint, e.g. {@code
   * DockerEndpoint.unixSocket(Path.of("/run/docker.sock"))}.
   */
  public static DockerEndpoint unixSocket(Path socket) {
    return builder("unix://" + socket.toAbsolutePath()).build();
  }

  /**
   * Starts a builder for {@code unix:///path} or {@code tcp://host:port}.
   *
   * @throws IllegalArgumentException when the address is neither
   */
  public static Builder builder(String address) {
    return new Builder(parse(address));
  }

  /** Returns a builder initialised with this endpoint's settings. */
  public Builder newBuilder() {
    Builder b = new Builder(uri);
    b.tlsVerify = tlsVerify;
    b.certPath = certPath;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.minimumApiVersion = minimumApiVersion;
    b.name = name;
    return b;
  }

  private static URI parse(String address) {
    Objects.requireNonNull(address, "address");
    URI u;
    try {
      u = URI.create(address.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Malformed Docker address '" + address + "': " + e.getMessage(), e);
    }
    String scheme = u.getScheme();
    if ("unix".equals(scheme)) {
      if (u.getPath() == null || u.getPath().isEmpty()) {
        throw new IllegalArgumentException(
            "Docker unix address needs a socket path: '" + address + "'");
      }
      return u;
    }
    if ("tcp".equals(scheme) || "http".equals(scheme) || "https".equals(scheme)) {
      if (u.getHost() == null || u.getPort() < 0) {
        throw new IllegalArgumentException(
            "Docker tcp address needs host and port (tcp://HOST:PORT): '" + address + "'");
      }
      return u;
    }
    throw new IllegalArgumentException(
        "Unsupported Docker address '" + address + "': use unix:///path or tcp://host:port");
  }

  private static String defaultName(URI uri) {
    return "unix".equals(uri.getScheme()) ? "local" : uri.getHost() + ":" + uri.getPort();
  }

  /** The engine address, {@code unix:///...} or {@code tcp://host:port}. */
  public URI uri() {
    return uri;
  }

  /**
   * A short name for the host, used to tag multi-host results ({@code local} for a unix socket).
   */
  public String name() {
    return name;
  }

  /** Whether TLS with client certificates is used. */
  public boolean tlsVerify() {
    return tlsVerify;
  }

  /** Directory with {@code ca.pem}, {@code cert.pem} and {@code key.pem}, or {@code null}. */
  public Path certPath() {
    return certPath;
  }

  /** Timeout for establishing a connection. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Timeout for a non-streaming answer. Streams (events, stats) have none. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** The lowest API version accepted during negotiation. */
  public String minimumApiVersion() {
    return minimumApiVersion;
  }

  @Override
  public String toString() {
    return uri + (tlsVerify ? " (tls)" : "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DockerEndpoint e
        && uri.equals(e.uri)
        && tlsVerify == e.tlsVerify
        && Objects.equals(certPath, e.certPath)
        && connectTimeout.equals(e.connectTimeout)
        && readTimeout.equals(e.readTimeout)
        && minimumApiVersion.equals(e.minimumApiVersion)
        && name.equals(e.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uri, tlsVerify, certPath, connectTimeout, readTimeout, name);
  }

  /** Builder for {@link DockerEndpoint}; not thread-safe. */
  public static final class Builder {
    private final URI uri;
    private boolean tlsVerify;
    private Path certPath;
    private Duration connectTimeout = Duration.ofSeconds(3);
    private Duration readTimeout = Duration.ofSeconds(10);
    private String minimumApiVersion = MINIMUM_API_VERSION;
    private String name;

    private Builder(URI uri) {
      this.uri = uri;
    }

    /** Enables TLS with the certificates in {@code certDirectory}. */
    public Builder tls(Path certDirectory) {
      this.tlsVerify = true;
      this.certPath = Objects.requireNonNull(certDirectory, "certDirectory");
      return this;
    }

    /** Sets the connect timeout (default 3 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Sets the read timeout for non-streaming calls (default 10 s). */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /** Sets the lowest API version accepted (default {@value #MINIMUM_API_VERSION}). */
    public Builder minimumApiVersion(String version) {
      if (version == null || !version.matches("\\d+\\.\\d+")) {
        throw new IllegalArgumentException(
            "API version must look like 1.41, got '" + version + "'");
      }
      this.minimumApiVersion = version;
      return this;
    }

    /** Sets the host name used to tag results (default {@code local} or {@code host:port}). */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * Builds the endpoint.
     *
     * @throws IllegalArgumentException for an {@code https://} address without {@link #tls(Path)}:
     *     cluster-monitor never talks plain text where TLS was asked for
     */
    public DockerEndpoint build() {
      if ("https".equals(uri.getScheme()) && !tlsVerify) {
        throw new IllegalArgumentException(
            "Docker address "
                + uri
                + " asks for TLS but no certificates are configured: set DOCKER_TLS_VERIFY=1 and"
                + " DOCKER_CERT_PATH (or DockerEndpoint.Builder.tls(dir)), or use tcp:// for"
                + " plain text");
      }
      return new DockerEndpoint(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
