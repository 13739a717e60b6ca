package io.clustermonitor.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermonitor.core.model.ContainerState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml and the server agree: same paths, each one served. */
class OpenApiTest {
  private static final Path SPEC = Path.of("..", "docs", "openapi.yaml");
  private static final Path GUIDE = Path.of("..", "docs", "api.md");

  static List<String> specPaths() throws IOException {
    List<String> paths = new ArrayList<>();
    boolean inPaths = false;
    for (String line : Files.readAllLines(SPEC)) {
      if (line.equals("paths:")) {
        inPaths = true;
      } else if (!line.startsWith(" ") && !line.isBlank()) {
        inPaths = false;
      } else if (inPaths) {
        Matcher m = Pattern.compile("^  (/\\S*):$").matcher(line);
        if (m.matches()) {
          paths.add(m.group(1));
        }
      }
    }
    return paths;
  }

  @Test
  void theSpecDescribesExactlyTheServedPaths() throws IOException {
    assertThat(specPaths()).containsExactlyInAnyOrderElementsOf(RestApi.PATHS);
  }

  @Test
  void everyPathInTheSpecIsServed() throws IOException {
    FakeDockerMonitor docker =
        new FakeDockerMonitor().add(1, "web-1", ContainerState.RUNNING, Map.of(), "host");
    ObjectMapper json = new ObjectMapper();
    try (RestApiServer server =
        RestApi.builder(docker).build().start(new InetSocketAddress("127.0.0.1", 0))) {
      for (String path : specPaths()) {
        if (path.equals("/api/stream")) {
          continue; // an endless text/event-stream: LiveViewTest reads it
        }
        RawHttp.Response r = RawHttp.get(server.address(), path.replace("{id}", "web-1"));
        assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.isObject() || body.isArray()).isTrue();
      }
    }
  }

  @Test
  void everyErrorCodeTheServerUsesIsInTheSpecAndTheGuide() throws IOException {
    String spec = Files.readString(SPEC);
    String guide = Files.readString(GUIDE);
    Path src = Path.of("src", "main", "java", "io", "clustermonitor", "examples", "api");
    List<String> codes = new ArrayList<>();
    try (var files = Files.list(src)) {
      for (Path f : files.toList()) {
        Matcher m =
            Pattern.compile("ApiException\\(\\s*\\d{3},\\s*\"([a-z_]+)\"")
                .matcher(Files.readString(f));
        while (m.find()) {
          codes.add(m.group(1));
        }
      }
    }
    codes.addAll(List.of("bad_request", "not_found"));
    assertThat(codes).contains("invalid_id", "engine_unavailable", "method_not_allowed");
    for (String c : codes) {
      assertThat(spec).as(c).contains(c);
      assertThat(guide).as(c).contains("`" + c + "`");
    }
  }
}
