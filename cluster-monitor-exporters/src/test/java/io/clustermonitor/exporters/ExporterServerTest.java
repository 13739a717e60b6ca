package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.web.WebResponse;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExporterServerTest {
  private static final MetricFamily COMMITS =
      MetricFamily.builder("pg_stat_database_xact_commit", MetricType.COUNTER)
          .help("Number of transactions in this database that have been committed")
          .sample(1234, "datname", "postgres")
          .build();
  private static final MetricFamily REQUESTS =
      MetricFamily.builder("app_requests_total", MetricType.COUNTER)
          .help("Requests.")
          .sample(7, "code", "200")
          .build();
  private static final MetricFamily UNAME =
      MetricFamily.builder("node_uname_info", MetricType.GAUGE)
          .help("Labeled system information as provided by the uname system call.")
          .sample(1, "sysname", "Linux")
          .build();
  private static final MetricFamily INODES =
      MetricFamily.builder("container_fs_inodes_total", MetricType.GAUGE)
          .help("Number of available Inodes")
          .sample(42, "device", "/dev/sda1")
          .build();
  private static final MetricFamily LOAD =
      MetricFamily.builder("node_load1", MetricType.GAUGE)
          .help("1m load average.")
          .sample(0.5)
          .build();

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ExporterServer> servers = new ArrayList<>();

  @AfterEach
  void closeServers() {
    servers.forEach(ExporterServer::close);
  }

  private ExporterServer start(ExporterServer.Builder builder) {
    ExporterServer server = builder.start();
    servers.add(server);
    return server;
  }

  private HttpResponse<byte[]> get(ExporterServer server, String path, String... headers)
      throws Exception {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      req.headers(headers);
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void metricsAreWrittenInTextFormatWithExactNames() throws Exception {
    ExporterServer server =
        start(
            ExporterServer.builder()
                .namespace("pg")
                .register(TestCollectors.fixed("db", COMMITS, REQUESTS)));

    HttpResponse<byte[]> response = get(server, "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(text(response))
        .startsWith(
            """
            # HELP pg_stat_database_xact_commit Number of transactions in this database that have been committed
            # TYPE pg_stat_database_xact_commit counter
            pg_stat_database_xact_commit{datname="postgres"} 1234
            # HELP app_requests_total Requests.
            # TYPE app_requests_total counter
            app_requests_total{code="200"} 7
            """)
        .contains("pg_scrape_collector_success{collector=\"db\"} 1\n")
        .contains("# TYPE pg_scrape_collector_duration_seconds gauge\n")
        .containsPattern(
            "cluster_monitor_build_info\\{version=\"[^\"]+\",java_version=\"[^\"]+\"} 1");
  }

  @Test
  void throwingAndSleepingCollectorsCostOnlyTheirOwnFamilies() throws Exception {
    TestCollectors.Sleeping sleeping = new TestCollectors.Sleeping("slow");
    ExporterServer server =
        start(
            ExporterServer.builder()
                .collectorTimeout(Duration.ofMillis(500))
                .register(
                    TestCollectors.throwing("broken"),
                    sleeping,
                    TestCollectors.fixed("load", LOAD)));
    try {
      long start = System.nanoTime();
      HttpResponse<byte[]> response = get(server, "/metrics");
      long millis = (System.nanoTime() - start) / 1_000_000;

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(millis).isLessThan(5_000);
      assertThat(text(response))
          .contains("node_load1 0.5\n")
          .contains("cluster_monitor_scrape_collector_success{collector=\"broken\"} 0\n")
          .contains("cluster_monitor_scrape_collector_success{collector=\"slow\"} 0\n")
          .contains("cluster_monitor_scrape_collector_success{collector=\"load\"} 1\n")
          .containsPattern(
              "cluster_monitor_scrape_collector_duration_seconds\\{collector=\"slow\"} (0\\.[5-9]|[1-4]\\.)")
          .doesNotContain("slow_late");
    } finally {
      sleeping.release.countDown();
    }
  }

  @Test
  void concurrentScrapesShareOneCallOfASlowCollector() throws Exception {
    TestCollectors.Sleeping sleeping = new TestCollectors.Sleeping("slow");
    ExporterServer server =
        start(ExporterServer.builder().collectorTimeout(Duration.ofSeconds(10)).register(sleeping));
    List<CompletableFuture<List<MetricFamily>>> scrapes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      scrapes.add(CompletableFuture.supplyAsync(server::scrape));
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sleeping.calls.get() >= 1);
    Thread.sleep(300); // give the other scrapes time to (wrongly) start a second call
    sleeping.release.countDown();

    for (CompletableFuture<List<MetricFamily>> scrape : scrapes) {
      assertThat(scrape.get().stream().map(MetricFamily::name)).contains("slow_late");
    }
    assertThat(sleeping.calls.get()).isEqualTo(1);
  }

  @Test
  void duplicateFamilyNamesKeepTheFirstRegisteredCollectorsFamily() {
    MetricFamily other =
        MetricFamily.builder("node_load1", MetricType.GAUGE).help("other").sample(9).build();
    ExporterServer server =
        start(
            ExporterServer.builder()
                .register(TestCollectors.fixed("a", LOAD), TestCollectors.fixed("b", other)));

    List<MetricFamily> families = server.scrape();

    assertThat(families.stream().filter(f -> f.name().equals("node_load1")))
        .singleElement()
        .extracting(MetricFamily::help)
        .isEqualTo("1m load average.");
  }

  @Test
  void openMetricsKeepsNamesAndWritesCountersWithoutTotalAsUnknown() throws Exception {
    ExporterServer server =
        start(
            ExporterServer.builder()
                .register(TestCollectors.fixed("db", COMMITS, REQUESTS, UNAME, INODES)));

    HttpResponse<byte[]> response =
        get(
            server,
            "/metrics",
            "Accept",
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/openmetrics-text; version=1.0.0");
    assertThat(text(response))
        .contains("# TYPE pg_stat_database_xact_commit unknown\n")
        .contains("pg_stat_database_xact_commit{datname=\"postgres\"} 1234.0\n")
        .contains("# TYPE app_requests counter\n")
        .contains("app_requests_total{code=\"200\"} 7.0\n")
        // gauges named *_info and *_total keep their served names on every supported model (before
        // 1.4 as an info metric and a counter, which that model's names allow)
        .containsPattern("\nnode_uname_info\\{sysname=\"Linux\"} 1(\\.0)?\n")
        .containsPattern("\ncontainer_fs_inodes_total\\{device=\"/dev/sda1\"} 42(\\.0)?\n")
        .containsPattern("\ncluster_monitor_build_info\\{[^}]*} 1(\\.0)?\n")
        .endsWith("# EOF\n");
  }

  @Test
  void protobufIsServedWhenAskedForWithExactNames() throws Exception {
    ExporterServer server =
        start(ExporterServer.builder().register(TestCollectors.fixed("db", COMMITS, REQUESTS)));

    HttpResponse<byte[]> response =
        get(
            server,
            "/metrics",
            "Accept",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3");

    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/vnd.google.protobuf");
    List<String> names = new ArrayList<>();
    try (InputStream in = new ByteArrayInputStream(response.body())) {
      Metrics.MetricFamily f;
      while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
        names.add(f.getName() + ":" + f.getType());
      }
    }
    assertThat(names)
        .contains("pg_stat_database_xact_commit:UNTYPED", "app_requests_total:COUNTER");
  }

  @Test
  void bodyIsGzippedWhenTheClientAcceptsIt() throws Exception {
    ExporterServer server =
        start(ExporterServer.builder().register(TestCollectors.fixed("l", LOAD)));

    HttpResponse<byte[]> response = get(server, "/metrics", "Accept-Encoding", "gzip");

    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains("node_load1 0.5\n");
    }
  }

  @Test
  void healthAndLandingPageListTheCollectors() throws Exception {
    ExporterServer server =
        start(ExporterServer.builder().namespace("node").register(TestCollectors.fixed("l", LOAD)));

    HttpResponse<byte[]> health = get(server, "/health");
    HttpResponse<byte[]> index = get(server, "/");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(text(health))
        .startsWith("{\"status\":\"UP\",\"namespace\":\"node\",\"collectors\":[\"l\"]");
    assertThat(text(index)).contains("<title>node exporter</title>", "<li>l</li>", "/metrics");
    assertThat(get(server, "/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void otherMethodsThanGetAndHeadAreRejected() throws Exception {
    ExporterServer server =
        start(ExporterServer.builder().register(TestCollectors.fixed("l", LOAD)));

    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void bearerTokenIsRequiredEverywhereButHealth() throws Exception {
    ExporterServer server =
        start(
            ExporterServer.builder()
                .bearerToken("s3cret")
                .register(TestCollectors.fixed("l", LOAD)));

    assertThat(get(server, "/metrics").statusCode()).isEqualTo(401);
    assertThat(get(server, "/metrics", "Authorization", "Bearer wrong").statusCode())
        .isEqualTo(401);
    assertThat(get(server, "/metrics", "Authorization", "Bearer s3cret").statusCode())
        .isEqualTo(200);
    assertThat(get(server, "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void basicAuthIsRequiredWhenConfigured() throws Exception {
    ExporterServer server =
        start(
            ExporterServer.builder()
                .basicAuth("prom", "pa55")
                .register(TestCollectors.fixed("l", LOAD)));
    String good = "Basic " + Base64.getEncoder().encodeToString("prom:pa55".getBytes());
    String bad = "Basic " + Base64.getEncoder().encodeToString("prom:nope".getBytes());

    assertThat(get(server, "/metrics").statusCode()).isEqualTo(401);
    assertThat(get(server, "/metrics", "Authorization", bad).statusCode()).isEqualTo(401);
    assertThat(get(server, "/metrics", "Authorization", good).statusCode()).isEqualTo(200);
  }

  @Test
  void mountedHandlersShareThePortAndMayReplaceHealth() throws Exception {
    ExporterServer server =
        start(
            ExporterServer.builder()
                .register(TestCollectors.fixed("l", LOAD))
                .handler("/api/", request -> WebResponse.text(200, "api " + request.path()))
                .handler("/health", request -> WebResponse.text(200, "custom health")));

    assertThat(text(get(server, "/api/containers"))).isEqualTo("api /api/containers");
    assertThat(text(get(server, "/health"))).isEqualTo("custom health");
    assertThat(text(get(server, "/metrics"))).contains("node_load1 0.5");
  }

  @Test
  void collectorsAreFoundWithServiceLoader() {
    ExporterServer server = start(ExporterServer.builder().registerDiscovered());

    assertThat(server.collectorNames()).contains("queues");
  }

  @Test
  void badBuilderInputIsRejectedWithClearMessages() {
    assertThatThrownBy(() -> ExporterServer.builder().namespace("1bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> ExporterServer.builder().port(70000)).hasMessageContaining("0-65535");
    assertThatThrownBy(() -> ExporterServer.builder().listenAddress("localhost"))
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> ExporterServer.builder().collectorTimeout(Duration.ZERO))
        .hasMessageContaining("positive");
    assertThatThrownBy(
            () ->
                ExporterServer.builder()
                    .register(TestCollectors.fixed("a", LOAD), TestCollectors.fixed("a", LOAD)))
        .hasMessageContaining("already registered");
    assertThatThrownBy(() -> ExporterServer.builder().register(TestCollectors.fixed("a b", LOAD)))
        .hasMessageContaining("invalid name");
    assertThatThrownBy(
            () -> ExporterServer.builder().handler("api", request -> WebResponse.text(200, "")))
        .hasMessageContaining("must start with '/'");
    assertThatThrownBy(() -> ExporterServer.builder().bearerToken(" "))
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> ExporterServer.builder().tls(java.nio.file.Path.of("/nope.p12"), "x"))
        .hasMessageContaining("not readable");
  }

  @Test
  void aPortInUseFailsStartWithTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> ExporterServer.builder().port(taken.getLocalPort()).start())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void closeIsIdempotentAndStopsServing() throws Exception {
    ExporterServer server =
        ExporterServer.builder().register(TestCollectors.fixed("l", LOAD)).start();
    URI uri = server.uri().resolve("/metrics");
    server.close();
    server.close();

    assertThatThrownBy(
            () ->
                http.send(
                    HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }
}
