package io.clustermonitor.core.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.EngineUnavailableException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds docker-java clients for a {@link DockerEndpoint}: the one place that knows the transport
 * (httpclient5), TLS, timeouts and API version negotiation. Used by the default monitor and by the
 * live stats engine, which needs a differently sized pool and no response timeout for streams.
 *
 * <pre>{@code
 * DockerHttpClient http = DockerClients.httpClient(endpoint, 16, null); // streams: no timeout
 * String api = DockerClients.negotiateApiVersion(endpoint, http);
 * DockerClient docker = DockerClients.client(endpoint, http, api);
 * }</pre>
 *
 * <p>Stateless and thread-safe. The caller owns what it builds and closes the {@link DockerClient}
 * (which closes its http client).
 */
public final class DockerClients {
  /** The newest Engine API version docker-java 3.7.1 models ({@code RemoteApiVersion}). */
  public static final String NEWEST_SUPPORTED_API_VERSION = "1.44";

  private DockerClients() {}

  /**
   * An http client for the endpoint.
   *
   * @param maxConnections connection pool size (at least 1)
   * @param responseTimeout how long to wait for an answer; {@code null} for none (streams)
   */
  public static DockerHttpClient httpClient(
      DockerEndpoint endpoint, int maxConnections, Duration responseTimeout) {
    Objects.requireNonNull(endpoint, "endpoint");
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
    }
    ApacheDockerHttpClient.Builder b =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(transportUri(endpoint))
            .maxConnections(maxConnections)
            .connectionTimeout(endpoint.connectTimeout());
    if (responseTimeout != null) {
      b.responseTimeout(responseTimeout);
    }
    if (endpoint.tlsVerify()) {
      b.sslConfig(sslConfig(endpoint));
    } else if ("unix".equals(endpoint.uri().getScheme())) {
      b.sslConfig(UnusedTlsContext.CONFIG); // else docker-java builds the JVM's default context
    }
    return b.build();
  }

  /**
   * Asks {@code GET /version} (the only unversioned call) and returns the API version to use: the
   * lower of the server's {@code ApiVersion} and {@link #NEWEST_SUPPORTED_API_VERSION}.
   *
   * @throws EngineUnavailableException when the engine cannot be reached, answers garbage, or its
   *     API version is below {@link DockerEndpoint#minimumApiVersion()}
   */
  public static String negotiateApiVersion(DockerEndpoint endpoint, DockerHttpClient http) {
    String serverVersion;
    try {
      // An unversioned client over the same transport, used for this one call only (closing it
      // would close the shared http client).
      DockerClient probe =
          DockerClientImpl.getInstance(
              new DefaultDockerClientConfig.Builder()
                  .withDockerHost(transportUri(endpoint).toString())
                  .withDockerTlsVerify(false) // TLS lives in the http client
                  .build(),
              http);
      serverVersion = probe.versionCmd().exec().getApiVersion();
    } catch (RuntimeException e) {
      throw EngineErrors.translate(endpoint, null, e);
    }
    if (serverVersion == null || !serverVersion.matches("\\d+\\.\\d+")) {
      throw new EngineUnavailableException(
          endpoint.toString(), "GET /version has no valid ApiVersion: " + serverVersion, null);
    }
    String version =
        compareVersions(serverVersion, NEWEST_SUPPORTED_API_VERSION) <= 0
            ? serverVersion
            : NEWEST_SUPPORTED_API_VERSION;
    if (compareVersions(version, endpoint.minimumApiVersion()) < 0) {
      throw new EngineUnavailableException(
          endpoint.toString(),
          "engine API version "
              + serverVersion
              + " is older than the minimum "
              + endpoint.minimumApiVersion(),
          null);
    }
    return version;
  }

  /** A docker-java client over {@code http} that prefixes every path with {@code /v<api>}. */
  public static DockerClient client(DockerEndpoint endpoint, DockerHttpClient http, String api) {
    Objects.requireNonNull(api, "api");
    DefaultDockerClientConfig.Builder config =
        new DefaultDockerClientConfig.Builder()
            .withDockerHost(transportUri(endpoint).toString())
            .withApiVersion(api)
            .withDockerTlsVerify(false); // TLS lives in the http client
    return DockerClientImpl.getInstance(config.build(), http);
  }

  /**
   * Builds the http client, negotiates the version and returns the client; closes the http client
   * again when negotiation fails.
   */
  public static DockerClient connect(
      DockerEndpoint endpoint, int maxConnections, Duration responseTimeout) {
    DockerHttpClient http = httpClient(endpoint, maxConnections, responseTimeout);
    try {
      return client(endpoint, http, negotiateApiVersion(endpoint, http));
    } catch (RuntimeException e) {
      closeQuietly(http);
      throw e;
    }
  }

  /** Compares {@code major.minor} versions numerically ({@code 1.9 < 1.41}). */
  public static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
    return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
  }

  /** Closes {@code c} (when not null), ignoring what closing throws. */
  public static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // closing after a failure: the original failure is what matters
    }
  }

  /** httpclient5 understands unix:// and tcp://; http(s):// addresses are given as tcp://. */
  static URI transportUri(DockerEndpoint endpoint) {
    URI u = endpoint.uri();
    if ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) {
      return URI.create("tcp://" + u.getHost() + ":" + u.getPort());
    }
    return u;
  }

  private static LocalDirectorySSLConfig sslConfig(DockerEndpoint endpoint) {
    for (String f : new String[] {"ca.pem", "cert.pem", "key.pem"}) {
      if (!Files.isReadable(endpoint.certPath().resolve(f))) {
        throw new EngineUnavailableException(
            endpoint.toString(),
            "TLS is on but " + endpoint.certPath().resolve(f) + " is missing or unreadable",
            null);
      }
    }
    return new LocalDirectorySSLConfig(endpoint.certPath().toString());
  }
}
