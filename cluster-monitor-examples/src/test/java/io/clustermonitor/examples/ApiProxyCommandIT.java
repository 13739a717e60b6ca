package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    ExecutorService pool =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "api-proxy-under-test");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<Integer> exit =
          pool.submit(
              () -> cl.execute("--listen", "127.0.0.1:0", "--token-file", tokenFile.toString()));
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> out.toString().contains("http://"));
      Matcher m = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)").matcher(out.toString());
      assertThat(m.find()).as(out.toString()).isTrue();
      String base = m.group(1);
      assertThat(get(base + "/health", null).statusCode()).isEqualTo(200);
      assertThat(get(base + "/api/containers", null).statusCode()).isEqualTo(401);
      assertThat(get(base + "/api/containers", "wrong").statusCode()).isEqualTo(401);
      HttpResponse<String> list = get(base + "/api/containers", "t0k3n-for-it");
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.body()).startsWith("[");
      command.running.stop();
      assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    } finally {
      command.running.stop();
      pool.shutdownNow();
    }
  }
}
