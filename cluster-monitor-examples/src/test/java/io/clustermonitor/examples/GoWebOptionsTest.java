package io.clustermonitor.examples;

import static io.clustermonitor.examples.ApiProxyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermonitor.exporters.MetricsCollector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GoWebOptionsTest {

  private static <T> T parse(T command, String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }

  private static List<String> names(List<MetricsCollector> cs) {
    return cs.stream().map(MetricsCollector::name).toList();
  }

  @Test
  void nodeExporterCommandLine() {
    NodeExporterCommand c =
        parse(
            new NodeExporterCommand(),
            "--web.listen-address=:9100",
            "--web.listen-address",
            "[::1]:9101",
            "--web.telemetry-path=/node-metrics",
            "--web.disable-exporter-metrics",
            "--web.max-requests=10",
            "--log.level=warn",
            "--log.format=logfmt",
            "--web.systemd-socket");
    GoWebOptions.Resolved r = c.web.resolve(c.listen, Map.of());
    assertThat(r.listen()).containsExactly(":9100", "[::1]:9101");
    assertThat(r.metricsPath()).isEqualTo("/node-metrics");
    assertThat(r.maxRequests()).isEqualTo(10);
    assertThat(names(r.self())).containsExactly("build_info");
    assertThat(c.unmatched).containsExactly("--web.systemd-socket");
    assertThat(c.web.ignored().accept(c.spec, c.unmatched)).containsExactly("web.systemd-socket");
    GoWebOptions more =
        GoWebOptions.node()
            .ignoring(
                GoFlags.of("node_exporter")
                    .pattern("(no-)?collector\\.wifi", false)
                    .flag("collector.textfile.directory", true));
    assertThat(
            more.ignored()
                .accept(
                    c.spec,
                    List.of(
                        "--no-collector.wifi",
                        "--collector.textfile.directory",
                        "/x",
                        "-collector.wifi",
                        "--web.systemd-socket=true")))
        .containsExactly(
            "no-collector.wifi",
            "collector.textfile.directory",
            "collector.wifi",
            "web.systemd-socket");
  }

  @Test
  void helpGroupsTheGoFlags() {
    String help = run(new NodeExporterCommand(), "--help").out();
    assertThat(help).contains("Go-compatible (node_exporter 1.7.0) options:");
    String group = help.substring(help.indexOf("Go-compatible (node_exporter 1.7.0) options:"));
    assertThat(group)
        .contains(
            "--web.listen-address", "--web.telemetry-path", "--web.config.file", "--log.level");
  }

  @Test
  void nodeDefaultsListenOnEveryInterfaceAndAddProcessMetrics() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("CM_WEB_LISTEN_ADDRESS") == null);
    NodeExporterCommand c = parse(new NodeExporterCommand());
    GoWebOptions.Resolved r = c.web.resolve(c.listen, Map.of());
    assertThat(r.listen()).containsExactly(":9100");
    assertThat(r.metricsPath()).isEqualTo("/metrics");
    assertThat(names(r.self())).containsExactly("process", "build_info");
    assertThat(r.web()).isNull();
    assertThat(r.maxRequests()).isEqualTo(GoWebOptions.NODE_MAX_REQUESTS);
  }

  @Test
  void goListenAddressWinsOverOursAndOursOverTheGoVariable() {
    PostgresExporterCommand both =
        parse(
            new PostgresExporterCommand(), "--listen", "127.0.0.1:1", "--web.listen-address", ":2");
    assertThat(both.web.resolve(both.listen, Map.of()).listen()).containsExactly(":2");

    Map<String, String> env =
        Map.of(
            "PG_EXPORTER_WEB_LISTEN_ADDRESS", ":9187",
            "PG_EXPORTER_WEB_TELEMETRY_PATH", "/pg");
    PostgresExporterCommand envOnly = parse(new PostgresExporterCommand());
    GoWebOptions.Resolved r = envOnly.web.resolve(envOnly.listen, env);
    assertThat(r.listen()).containsExactly(":9187");
    assertThat(r.metricsPath()).isEqualTo("/pg");
    assertThat(names(r.self())).containsExactly("process", "build_info");

    PostgresExporterCommand ours = parse(new PostgresExporterCommand(), "--listen", "127.0.0.1:3");
    assertThat(ours.web.resolve(ours.listen, env).listen()).containsExactly("127.0.0.1:3");
  }

  @Test
  void redisSingleDashFormsAndVariables() {
    RedisExporterCommand c =
        parse(
            new RedisExporterCommand(),
            "-web.listen-address=127.0.0.1:9121",
            "-web.telemetry-path",
            "/r",
            "-log-format=txt",
            "-debug",
            "-redis-only-metrics");
    GoWebOptions.Resolved r = c.web.resolve(c.listen, Map.of());
    assertThat(r.listen()).containsExactly("127.0.0.1:9121");
    assertThat(r.metricsPath()).isEqualTo("/r");
    assertThat(r.self()).isEmpty();
    assertThat(r.maxRequests()).isZero();

    RedisExporterCommand e = parse(new RedisExporterCommand());
    GoWebOptions.Resolved fromEnv =
        e.web.resolve(
            e.listen,
            Map.of(
                "REDIS_EXPORTER_WEB_LISTEN_ADDRESS", ":9121",
                "REDIS_EXPORTER_WEB_TELEMETRY_PATH", "/x",
                "REDIS_EXPORTER_LOG_FORMAT", "txt"));
    assertThat(fromEnv.listen()).containsExactly(":9121");
    assertThat(fromEnv.metricsPath()).isEqualTo("/x");
    assertThat(names(fromEnv.self())).containsExactly("process", "build_info");

    RedisExporterCommand dd =
        parse(new RedisExporterCommand(), "--debug=false", "--redis-only-metrics=false");
    assertThat(names(dd.web.resolve(dd.listen, Map.of()).self())).contains("process");
  }

  @Test
  void redisServerTlsFlagsBecomeAReloadingWebConfig(@TempDir Path dir) throws Exception {
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-keyout",
                "s.key",
                "-out",
                "s.crt")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(p.waitFor()).isZero();
    RedisExporterCommand c =
        parse(
            new RedisExporterCommand(),
            "-tls-server-cert-file=" + dir.resolve("s.crt"),
            "-tls-server-key-file",
            dir.resolve("s.key").toString(),
            "-tls-server-min-version=TLS1.3");
    GoWebOptions.Resolved r = c.web.resolve(c.listen, Map.of());
    assertThat(r.web().tlsEnabled()).isTrue();
    assertThat(r.web().tls().orElseThrow().parameters().getProtocols()).containsExactly("TLSv1.3");
    assertThat(r.web().tls().orElseThrow().parameters().getNeedClientAuth()).isFalse();

    RedisExporterCommand env = parse(new RedisExporterCommand());
    GoWebOptions.Resolved e =
        env.web.resolve(
            env.listen,
            Map.of(
                "REDIS_EXPORTER_TLS_SERVER_CERT_FILE", dir.resolve("s.crt").toString(),
                "REDIS_EXPORTER_TLS_SERVER_KEY_FILE", dir.resolve("s.key").toString(),
                "REDIS_EXPORTER_TLS_SERVER_CA_CERT_FILE", dir.resolve("s.crt").toString()));
    assertThat(e.web().tls().orElseThrow().parameters().getNeedClientAuth()).isTrue();
    assertThat(e.web().tls().orElseThrow().parameters().getProtocols())
        .containsExactly("TLSv1.2", "TLSv1.3");
  }

  @Test
  void serveTakesTheWebConfigFileToo(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("web.yml");
    Files.writeString(bad, "basic_auth_users:\n  alice: secret\n");
    ServeCommand serve = new ServeCommand();
    serve.env = Map.of();
    ApiProxyCommandTest.Run r =
        run(
            serve,
            "--listen",
            "127.0.0.1:0",
            "--docker-host",
            "unix:///nonexistent/docker.sock",
            "--web.config.file",
            bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().findFirst().orElse(""))
        .startsWith("web config file " + bad + ": basic_auth_users: the hash of user 'alice'");
  }

  @Test
  void cadvisorPortListenIpAndEndpoint() {
    ContainerExporterCommand c =
        parse(
            new ContainerExporterCommand(),
            "--port=8080",
            "-listen_ip",
            "127.0.0.1",
            "--prometheus_endpoint=/cadvisor");
    GoWebOptions.Resolved r = c.web.resolve(c.listen, Map.of());
    assertThat(r.listen()).containsExactly("127.0.0.1:8080");
    assertThat(r.metricsPath()).isEqualTo("/cadvisor");
    ContainerExporterCommand port = parse(new ContainerExporterCommand(), "-port", "8081");
    assertThat(port.web.resolve(port.listen, Map.of()).listen()).containsExactly(":8081");
  }

  @Test
  void badValuesAndUnknownFlagsAreUsageErrorsWithOneLine(@TempDir Path dir) throws Exception {
    NodeExporterCommand level = new NodeExporterCommand();
    level.env = Map.of();
    ApiProxyCommandTest.Run r = run(level, "--listen", "127.0.0.1:0", "--log.level=loud");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--log.level must be debug, info, warn or error");

    Path bad = dir.resolve("web.yml");
    Files.writeString(bad, "tls_server_config:\n  cert: x\n");
    NodeExporterCommand web = new NodeExporterCommand();
    web.env = Map.of();
    ApiProxyCommandTest.Run w = run(web, "--listen", "127.0.0.1:0", "--web.config.file=" + bad);
    assertThat(w.exit()).isEqualTo(2);
    assertThat(w.err().lines().findFirst().orElse(""))
        .isEqualTo(
            "web config file "
                + bad
                + ": unknown key 'tls_server_config.cert' (known in"
                + " tls_server_config: cert_file, cipher_suites, client_allowed_sans, client_auth_type,"
                + " client_ca_file, curve_preferences, key_file, max_version, min_version,"
                + " prefer_server_cipher_suites)");

    NodeExporterCommand unknown = new NodeExporterCommand();
    unknown.env = Map.of();
    ApiProxyCommandTest.Run u = run(unknown, "--listen", "127.0.0.1:0", "--no-such-flag");
    assertThat(u.exit()).isEqualTo(2);
    assertThat(u.err()).contains("Unknown option: '--no-such-flag'");

    Files.writeString(bad, "");
    NodeExporterCommand both = new NodeExporterCommand();
    both.env = Map.of("CM_WEB_BASIC_AUTH_USER", "u", "CM_WEB_BASIC_AUTH_PASSWORD", "p");
    ApiProxyCommandTest.Run b =
        run(both, "--listen", "127.0.0.1:0", "--web.config.file", bad.toString());
    assertThat(b.exit()).isEqualTo(2);
    assertThat(b.err()).contains("keep one");
  }

  @Test
  void nodeExporterServesOnTheTelemetryPathWithProcessAndBuildInfo() throws Exception {
    NodeExporterCommand cmd = new NodeExporterCommand();
    cmd.env = Map.of();
    Thread t =
        new Thread(
            () ->
                run(
                    cmd,
                    "--web.listen-address=127.0.0.1:0",
                    "--web.telemetry-path=/node",
                    "--web.systemd-socket",
                    "--log.level=info"));
    t.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> cmd.server != null);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + cmd.server.port() + "/node"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains("node_memory_MemTotal_bytes ")
          .contains("# TYPE process_cpu_seconds_total counter")
          .contains("process_resident_memory_bytes ")
          .contains("node_exporter_build_info{branch=")
          .contains("node_scrape_collector_success{collector=\"meminfo\"} 1")
          // self-metrics are served outside the collector machinery
          .doesNotContain("collector=\"process\"")
          .doesNotContain("collector=\"node_exporter_build_info\"");
      HttpResponse<String> filtered =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + cmd.server.port()
                                  + "/node?collect%5B%5D=meminfo"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(filtered.statusCode()).isEqualTo(200);
      assertThat(filtered.body())
          .contains("node_memory_MemTotal_bytes ")
          .contains("process_resident_memory_bytes ")
          .contains("node_exporter_build_info{branch=")
          .doesNotContain("node_load1 ");
    } finally {
      cmd.running.stop();
      t.join(30_000);
    }
  }
}
