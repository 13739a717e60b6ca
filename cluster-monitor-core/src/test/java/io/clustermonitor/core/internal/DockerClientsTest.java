package io.clustermonitor.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.EngineUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** API version negotiation against a scripted transport. */
class DockerClientsTest {
  private static final DockerEndpoint ENDPOINT =
      DockerEndpoint.builder("tcp://127.0.0.1:2375").build();

  /** Answers /version with the given ApiVersion and every other path with {}. */
  static final class FakeEngine implements DockerHttpClient {
    final List<String> paths = new CopyOnWriteArrayList<>();
    private final String apiVersion;

    FakeEngine(String apiVersion) {
      this.apiVersion = apiVersion;
    }

    @Override
    public Response execute(Request request) {
      paths.add(request.path());
      String body =
          request.path().equals("/version")
              ? "{\"ApiVersion\":\"" + apiVersion + "\",\"Version\":\"99.0.0\"}"
              : request.path().contains("/containers/json") ? "[]" : "{}";
      return new Response() {
        @Override
        public int getStatusCode() {
          return 200;
        }

        @Override
        public Map<String, List<String>> getHeaders() {
          return Map.of("Content-Type", List.of("application/json"));
        }

        @Override
        public InputStream getBody() {
          return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void close() {}
  }

  @Test
  void aNewerEngineIsSpokenToInTheNewestVersionDockerJavaKnows() {
    FakeEngine engine = new FakeEngine("1.47");

    assertThat(DockerClients.negotiateApiVersion(ENDPOINT, engine))
        .isEqualTo(DockerClients.NEWEST_SUPPORTED_API_VERSION);
  }

  @Test
  void anOlderEngineAboveTheFloorIsSpokenToInItsOwnVersion() {
    assertThat(DockerClients.negotiateApiVersion(ENDPOINT, new FakeEngine("1.41")))
        .isEqualTo("1.41");
    assertThat(DockerClients.negotiateApiVersion(ENDPOINT, new FakeEngine("1.43")))
        .isEqualTo("1.43");
  }

  @Test
  void anEngineBelowTheFloorIsRefused() {
    assertThatThrownBy(() -> DockerClients.negotiateApiVersion(ENDPOINT, new FakeEngine("1.40")))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("1.40 is older than the minimum 1.41")
        .hasMessageContaining("tcp://127.0.0.1:2375");
  }

  @Test
  void garbageInsteadOfAVersionIsRefused() {
    assertThatThrownBy(() -> DockerClients.negotiateApiVersion(ENDPOINT, new FakeEngine("latest")))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("no valid ApiVersion");
  }

  @Test
  void afterNegotiationEveryCallIsVersioned() {
    FakeEngine engine = new FakeEngine("1.41");
    String api = DockerClients.negotiateApiVersion(ENDPOINT, engine);
    DockerClient client = DockerClients.client(ENDPOINT, engine, api);

    client.pingCmd().exec();
    client.infoCmd().exec();
    client.listContainersCmd().withShowAll(true).exec();

    assertThat(engine.paths.get(0)).isEqualTo("/version");
    assertThat(engine.paths.subList(1, engine.paths.size())).allMatch(p -> p.startsWith("/v1.41/"));
  }

  @Test
  void aFailingTransportIsUnavailable() {
    DockerHttpClient refusing =
        new DockerHttpClient() {
          @Override
          public Response execute(Request request) {
            throw new RuntimeException(new ConnectException("Connection refused"));
          }

          @Override
          public void close() {}
        };

    assertThatThrownBy(() -> DockerClients.negotiateApiVersion(ENDPOINT, refusing))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessage("Docker engine unavailable at tcp://127.0.0.1:2375: Connection refused");
  }

  @Test
  void versionsCompareNumerically() {
    assertThat(DockerClients.compareVersions("1.9", "1.41")).isNegative();
    assertThat(DockerClients.compareVersions("1.44", "1.44")).isZero();
    assertThat(DockerClients.compareVersions("2.0", "1.99")).isPositive();
  }

  @Test
  void httpAddressesAreGivenToTheTransportAsTcp() {
    assertThat(
            DockerClients.transportUri(
                DockerEndpoint.builder("https://10.0.0.5:2376")
                    .tls(java.nio.file.Path.of("/certs"))
                    .build()))
        .hasToString("tcp://10.0.0.5:2376");
    assertThat(
            DockerClients.transportUri(DockerEndpoint.builder("unix:///run/docker.sock").build()))
        .hasToString("unix:///run/docker.sock");
  }

  @Test
  void tlsWithoutCertificatesIsUnavailableNamingTheMissingFile() throws Exception {
    java.nio.file.Path empty = java.nio.file.Files.createTempDirectory("cm-certs");
    DockerEndpoint tls = DockerEndpoint.builder("tcp://127.0.0.1:2376").tls(empty).build();

    assertThatThrownBy(() -> DockerClients.httpClient(tls, 1, null))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining(empty.resolve("ca.pem").toString());
    java.nio.file.Files.delete(empty);
  }
}
