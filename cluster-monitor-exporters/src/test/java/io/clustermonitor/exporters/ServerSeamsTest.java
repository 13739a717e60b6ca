package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.web.ServerTls;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder seams other modules plug into: targets, collect[], auth, TLS, headers, addresses. */
class ServerSeamsTest {
  private static final MetricFamily LOAD =
      MetricFamily.builder("node_load1", MetricType.GAUGE).help("load").sample(0.5).build();
  private static final MetricFamily MEM =
      MetricFamily.builder("node_memory_MemFree_bytes", MetricType.GAUGE)
          .help("free")
          .sample(42)
          .build();

  @TempDir static Path dir;

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

  private HttpResponse<String> get(URI uri, String... headers) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      req.headers(headers);
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void targetEndpointRunsTheRequestsCollectorsAndClosesTheScrape() throws Exception {
    AtomicInteger closed = new AtomicInteger();
    AtomicReference<Map<String, List<String>>> seen = new AtomicReference<>();
    TargetScraper scraper =
        query -> {
          seen.set(query);
          List<String> target = query.get("target");
          if (target == null || target.isEmpty()) {
            throw new IllegalArgumentException("target parameter is missing");
          }
          MetricFamily up =
              MetricFamily.builder("redis_up", MetricType.GAUGE)
                  .help("up")
                  .sample(1, "addr", target.get(0))
                  .build();
          List<MetricsCollector> collectors =
              List.of(TestCollectors.fixed("redis", up), TestCollectors.throwing("broken"));
          return new TargetScraper.Scrape() {
            @Override
            public List<MetricsCollector> collectors() {
              return collectors;
            }

            @Override
            public void close() {
              closed.incrementAndGet();
            }
          };
        };
    ExporterServer server =
        start(
            ExporterServer.builder()
                .namespace("redis")
                .register(TestCollectors.fixed("l", LOAD))
                .target("/scrape", scraper));

    HttpResponse<String> ok =
        get(server.uri().resolve("/scrape?target=redis%3A%2F%2Fh%3A6379&x=a+b"));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body())
        .contains("redis_up{addr=\"redis://h:6379\"} 1")
        .contains("redis_scrape_collector_success{collector=\"broken\"} 0")
        .doesNotContain("node_load1");
    assertThat(seen.get()).containsEntry("x", List.of("a b"));
    assertThat(closed).hasValue(1);

    HttpResponse<String> bad = get(server.uri().resolve("/scrape"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).isEqualTo("target parameter is missing\n");
    assertThat(bad.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));

    HttpResponse<String> om =
        get(
            server.uri().resolve("/scrape?target=a"),
            "Accept",
            "application/openmetrics-text; version=1.0.0");
    assertThat(om.body()).endsWith("# EOF\n");
    assertThat(closed).hasValue(2);

    assertThat(raw(server, "GET /scrape?target=%ZZ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
        .startsWith("HTTP/1.1 400");
    assertThat(get(server.uri().resolve("/scrapex?target=a")).statusCode()).isEqualTo(404);
  }

  private static String raw(ExporterServer server, String request) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      byte[] buf = new byte[4096];
      int n = s.getInputStream().read(buf);
      return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void targetEndpointsAreBehindTheSameAuthentication() throws Exception {
    ExporterServer server =
        start(
            ExporterServer.builder()
                .bearerToken("tok")
                .target("/probe", q -> TargetScraper.Scrape.of(List.of())));
    assertThat(get(server.uri().resolve("/probe?target=a")).statusCode()).isEqualTo(401);
    assertThat(
            get(server.uri().resolve("/probe?target=a"), "Authorization", "Bearer tok")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void collectFilterRunsOnlyTheNamedCollectors() throws Exception {
    AtomicInteger memCalls = new AtomicInteger();
    MetricsCollector mem =
        new MetricsCollector() {
          @Override
          public String name() {
            return "meminfo";
          }

          @Override
          public List<MetricFamily> collect() {
            memCalls.incrementAndGet();
            return List.of(MEM);
          }
        };
    ExporterServer server =
        start(
            ExporterServer.builder()
                .namespace("node")
                .register(TestCollectors.fixed("loadavg", LOAD), mem));

    HttpResponse<String> only = get(server.uri().resolve("/metrics?collect[]=loadavg"));
    assertThat(only.statusCode()).isEqualTo(200);
    assertThat(only.body())
        .contains("node_load1 0.5")
        .contains("node_scrape_collector_success{collector=\"loadavg\"} 1")
        .doesNotContain("MemFree")
        .doesNotContain("collector=\"meminfo\"");
    assertThat(memCalls).hasValue(0);

    HttpResponse<String> both =
        get(server.uri().resolve("/metrics?collect%5B%5D=loadavg&collect[]=meminfo"));
    assertThat(both.body()).contains("node_load1").contains("MemFree");

    HttpResponse<String> unknown = get(server.uri().resolve("/metrics?collect[]=cpu"));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body())
        .isEqualTo("Couldn't create filtered metrics handler: missing collector: cpu");
  }

  @Test
  void metricsAndHealthMatchTheirPathExactly() throws Exception {
    ExporterServer server =
        start(ExporterServer.builder().register(TestCollectors.fixed("l", LOAD)));
    assertThat(get(server.uri().resolve("/metricsx")).statusCode()).isEqualTo(404);
    assertThat(get(server.uri().resolve("/metrics/x")).statusCode()).isEqualTo(404);
    assertThat(get(server.uri().resolve("/healthz")).statusCode()).isEqualTo(404);
    assertThat(get(server.uri().resolve("/metrics")).statusCode()).isEqualTo(200);
  }

  @Test
  void basicAuthenticatorDecidesAndFailuresCarryTheBasicChallenge() throws Exception {
    List<String> asked = new ArrayList<>();
    ExporterServer server =
        start(
            ExporterServer.builder()
                .basicAuth(
                    (user, pw) -> {
                      synchronized (asked) {
                        asked.add(user);
                      }
                      return user.equals("alice") && pw.equals("pw:with:colons");
                    })
                .register(TestCollectors.fixed("l", LOAD)));
    String good =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("alice:pw:with:colons".getBytes(StandardCharsets.UTF_8));
    String bad = "Basic " + Base64.getEncoder().encodeToString("bob:x".getBytes());

    HttpResponse<String> none = get(server.uri().resolve("/metrics"));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
    assertThat(get(server.uri().resolve("/metrics"), "Authorization", bad).statusCode())
        .isEqualTo(401);
    assertThat(get(server.uri().resolve("/metrics"), "Authorization", good).statusCode())
        .isEqualTo(200);
    assertThat(asked).contains("alice", "bob");
  }

  @Test
  void responseHeadersGoOnEveryAnswer() throws Exception {
    ExporterServer server =
        start(
            ExporterServer.builder()
                .responseHeaders(
                    Map.of("X-Frame-Options", "deny", "Strict-Transport-Security", "max-age=1"))
                .register(TestCollectors.fixed("l", LOAD)));
    for (String path : List.of("/metrics", "/health", "/", "/nope")) {
      HttpResponse<String> r = get(server.uri().resolve(path));
      assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("deny");
      assertThat(r.headers().firstValue("Strict-Transport-Security"))
          .as(path)
          .hasValue("max-age=1");
    }
    assertThatThrownBy(() -> ExporterServer.builder().responseHeaders(Map.of("Bad Name", "x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> ExporterServer.builder().responseHeaders(Map.of("X-A", "line\r\nbreak")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void severalListenAddressesServeTheSameEndpoints() throws Exception {
    ExporterServer server =
        start(
            ExporterServer.builder()
                .listenAddresses(List.of("127.0.0.1:0", "[::1]:0", ":0"))
                .register(TestCollectors.fixed("l", LOAD)));
    assertThat(server.ports()).hasSize(3);
    assertThat(server.uris().get(1).getHost()).isEqualTo("[::1]");
    for (URI base : server.uris()) {
      assertThat(get(base.resolve("/metrics")).body()).as(base.toString()).contains("node_load1");
    }
    // ":port" binds every interface: loopback over IPv4 and IPv6 both answer.
    int wildcard = server.ports().get(2);
    assertThat(get(URI.create("http://127.0.0.1:" + wildcard + "/metrics")).statusCode())
        .isEqualTo(200);
    assertThat(get(URI.create("http://[::1]:" + wildcard + "/metrics")).statusCode())
        .isEqualTo(200);
    assertThatThrownBy(() -> ExporterServer.builder().listenAddresses(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExporterServer.builder().listenAddresses(List.of("nohostport")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @BeforeAll
  static void keystores() throws Exception {
    keytool("a.p12", "CN=first");
    keytool("b.p12", "CN=second");
  }

  private static void keytool(String file, String dname) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-validity",
                "2",
                "-dname",
                dname,
                "-ext",
                "SAN=ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                dir.resolve(file).toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  private static SSLContext context(String file) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(file))) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private static String peerName(ExporterServer server) throws Exception {
    TrustManager all =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String type) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String type) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, new TrustManager[] {all}, null);
    try (SSLSocket s =
        (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      s.setSoTimeout(20_000);
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    }
  }

  @Test
  void serverTlsGenerationChangeSwitchesTheCertificateForNewHandshakes() throws Exception {
    SSLContext first = context("a.p12");
    SSLContext second = context("b.p12");
    AtomicLong generation = new AtomicLong();
    ServerTls tls =
        new ServerTls() {
          @Override
          public SSLContext sslContext() {
            return generation.get() == 0 ? first : second;
          }

          @Override
          public SSLParameters parameters() {
            SSLParameters p = new SSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            return p;
          }

          @Override
          public long generation() {
            return generation.get();
          }
        };
    ExporterServer server =
        start(ExporterServer.builder().tls(tls).register(TestCollectors.fixed("l", LOAD)));
    assertThat(server.uri().getScheme()).isEqualTo("https");
    assertThat(peerName(server)).isEqualTo("CN=first");
    generation.set(1);
    assertThat(peerName(server)).isEqualTo("CN=second");
  }
}
