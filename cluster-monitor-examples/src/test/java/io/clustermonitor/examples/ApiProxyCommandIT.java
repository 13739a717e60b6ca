package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The api-proxy command against the real engine: starts, prints its URL, answers, stops. */
class ApiProxyCommandIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(String url, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void startsOnTheGivenAddressAnswersWithTheTokenAndStops(@TempDir Path dir) throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), "t0k3n-for-it\n");
    ApiProxyCommand command = new ApiProxyCommand();
    try (BackgroundCommand run =
        BackgroundCommand.start(
            command,
            command.running::stop,
            "--listen",
            "127.0.0.1:0",
            "--token-file",
            tokenFile.toString())) {
      String base =
          run.awaitOut(Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)"), Duration.ofSeconds(60));
      // 503 "starting" until the engine's first sync, then healthy
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(base + "/health", null).statusCode() == 200);
      assertThat(get(base + "/api/containers", null).statusCode()).isEqualTo(401);
      assertThat(get(base + "/api/containers", "wrong").statusCode()).isEqualTo(401);
      HttpResponse<String> list = get(base + "/api/containers", "t0k3n-for-it");
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.body()).startsWith("[");
      assertThat(run.stopAndAwaitExit(Duration.ofSeconds(30))).isZero();
    }
  }
}
