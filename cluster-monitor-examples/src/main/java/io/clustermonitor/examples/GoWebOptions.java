package io.clustermonitor.examples;

import io.clustermonitor.exporters.ExporterConfig;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.selfmetrics.ExporterBuildInfo;
import io.clustermonitor.exporters.selfmetrics.JvmCollector;
import io.clustermonitor.exporters.selfmetrics.ProcessCollector;
import io.clustermonitor.exporters.web.WebConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The Go exporters' common web and logging flags, a picocli mixin of every exporter command:
 * node_exporter's and postgres_exporter's {@code --web.*}/{@code --log.*} (exporter-toolkit and
 * promlog), redis_exporter's stdlib-style {@code -web.*}, {@code -log-format}, {@code -debug},
 * {@code -redis-only-metrics} (one dash or two), cAdvisor's {@code --port}, {@code --listen_ip},
 * {@code --prometheus_endpoint}, each with the Go exporter's environment variable.
 *
 * <p>Precedence for the listen address: {@code --web.listen-address} (or cAdvisor's {@code --port}
 * / {@code --listen_ip}), then our {@code --listen}, then the Go environment variable ({@code
 * PG_EXPORTER_WEB_LISTEN_ADDRESS}, {@code REDIS_EXPORTER_WEB_LISTEN_ADDRESS}), then {@code
 * CM_WEB_LISTEN_ADDRESS}, then every interface on the Go exporter's default port ({@code :9100},
 * {@code :9187}, {@code :9121}, cAdvisor's {@code :8080}), as in Go. {@code :PORT} means every
 * interface.
 *
 * <p>Construct it with the command's {@link Profile} ({@code @Mixin GoWebOptions web = new
 * GoWebOptions(Profile.NODE)}), then call {@link #apply} on the server builder.
 */
class GoWebOptions {
  private static final Logger LOG = LoggerFactory.getLogger("cluster-monitor");

  /** Which Go exporter a command stands in for: defaults, variables and self-metrics. */
  enum Profile {
    NODE("node_exporter", 9100, null),
    POSTGRES("postgres_exporter", 9187, "PG_EXPORTER_"),
    REDIS("redis_exporter", 9121, "REDIS_EXPORTER_"),
    CONTAINER("cadvisor", 8080, null);

    final String exporter;
    final int port;
    final String envPrefix;

    Profile(String exporter, int port, String envPrefix) {
      this.exporter = exporter;
      this.port = port;
      this.envPrefix = envPrefix;
    }
  }

  /** Go flags of the four exporters' web and logging layer that we accept and ignore. */
  static final GoFlags IGNORED =
      GoFlags.of("the Go exporter")
          .flag("web.systemd-socket", false)
          .flag("no-web.systemd-socket", false)
          .flag("url_base_prefix", true)
          .flag("http_auth_file", true)
          .flag("http_auth_realm", true)
          .flag("http_digest_file", true)
          .flag("http_digest_realm", true)
          .flag("logtostderr", false)
          .flag("alsologtostderr", false)
          .flag("log_dir", true)
          .flag("v", true)
          .flag("runtime.gomaxprocs", true);

  /** node_exporter's default {@code --web.max-requests}. */
  static final int NODE_MAX_REQUESTS = 40;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  final Profile profile;

  /**
   * The flags shared by the Go exporters; {@link GoHelp} lists them in {@code --help} with the
   * command's other Go flags.
   */
  static final class Flags {
    @Option(
        names = {"--web.listen-address", "-web.listen-address"},
        paramLabel = "[HOST]:PORT",
        description =
            "Go exporters' listen address, repeatable; :PORT is every interface (env:"
                + " PG_EXPORTER_WEB_LISTEN_ADDRESS, REDIS_EXPORTER_WEB_LISTEN_ADDRESS). Wins over"
                + " --listen.")
    List<String> listenAddresses;

    @Option(
        names = {"--web.telemetry-path", "-web.telemetry-path"},
        paramLabel = "PATH",
        description =
            "Path of the metrics endpoint (default /metrics; env: PG_EXPORTER_WEB_TELEMETRY_PATH,"
                + " REDIS_EXPORTER_WEB_TELEMETRY_PATH).")
    String telemetryPath;

    @Option(
        names = "--web.config.file",
        paramLabel = "FILE",
        description =
            "exporter-toolkit web config (TLS, basic_auth_users, headers); replaces the CM_WEB_*"
                + " TLS and basic auth variables.")
    Path webConfigFile;

    @Option(
        names = "--web.disable-exporter-metrics",
        arity = "0..1",
        fallbackValue = "true",
        description = "Leave out process_* (and jvm_*) metrics, as node_exporter does.")
    boolean disableExporterMetrics;

    @Option(
        names = "--web.enable-jvm-metrics",
        arity = "0..1",
        fallbackValue = "true",
        description = "Add jvm_* metrics (ours; the Go exporters have go_*).")
    boolean jvmMetrics;

    @Option(
        names = "--web.max-requests",
        paramLabel = "N",
        description =
            "Most scrapes answered at once; one more gets 503 as in node_exporter (default 40 for"
                + " node-exporter, none otherwise; 0 disables).")
    Integer maxRequests;

    @Option(
        names = "--log.level",
        paramLabel = "LEVEL",
        description = "debug, info, warn or error (default info).")
    String logLevel;

    @Option(
        names = "--log.format",
        paramLabel = "FORMAT",
        description =
            "logfmt (default) or json: one line per event with Go promlog's keys (ts, caller,"
                + " level, msg).")
    String logFormat;
  }

  @ArgGroup(validate = false)
  Flags go = new Flags();

  // Set through the options of the Redis and Cadvisor subclasses only.
  Path tlsServerCert;
  Path tlsServerKey;
  Path tlsServerCa;
  String tlsServerMinVersion;
  String redisLogFormat;
  Boolean debug;
  Boolean redisOnlyMetrics;
  Integer cadvisorPort;
  String cadvisorIp;
  String prometheusEndpoint;

  private GoFlags ignored = IGNORED;

  GoWebOptions(Profile profile) {
    this.profile = profile;
  }

  /**
   * Adds the command's own Go flags that it accepts and ignores (a WARN each), e.g. node_exporter
   * collectors we do not have: {@code GoWebOptions.node().ignoring(GoFlags.of("node_exporter")
   * .pattern("(no-)?collector\\.wifi", false))}.
   */
  GoWebOptions ignoring(GoFlags more) {
    this.ignored = ignored.with(more);
    return this;
  }

  /** Every Go flag this command accepts and ignores, named after its Go exporter in the WARN. */
  GoFlags ignored() {
    return GoFlags.of(profile.exporter).with(ignored);
  }

  /** node_exporter's flags (exporter-toolkit, promlog). */
  static GoWebOptions node() {
    return new GoWebOptions(Profile.NODE);
  }

  /** postgres_exporter's flags (the same, with PG_EXPORTER_* variables). */
  static GoWebOptions postgres() {
    return new GoWebOptions(Profile.POSTGRES);
  }

  /** redis_exporter's web and logging flags, one dash or two, with REDIS_EXPORTER_* variables. */
  static final class Redis extends GoWebOptions {
    Redis() {
      super(Profile.REDIS);
    }

    @Option(
        names = {"--log-format", "-log-format"},
        paramLabel = "FORMAT",
        description = "redis_exporter's txt or json (env: REDIS_EXPORTER_LOG_FORMAT).")
    void logFormat(String v) {
      redisLogFormat = v;
    }

    @Option(
        names = {"--debug", "-debug"},
        arity = "0..1",
        fallbackValue = "true",
        paramLabel = "BOOL",
        description = "redis_exporter's debug logging (env: REDIS_EXPORTER_DEBUG).")
    void debug(boolean v) {
      debug = v;
    }

    @Option(
        names = {"--tls-server-cert-file", "-tls-server-cert-file"},
        paramLabel = "FILE",
        description =
            "redis_exporter's server TLS certificate, PEM (env: REDIS_EXPORTER_TLS_SERVER_CERT_FILE).")
    void tlsServerCert(Path v) {
      tlsServerCert = v;
    }

    @Option(
        names = {"--tls-server-key-file", "-tls-server-key-file"},
        paramLabel = "FILE",
        description =
            "redis_exporter's server TLS key, PEM (env: REDIS_EXPORTER_TLS_SERVER_KEY_FILE).")
    void tlsServerKey(Path v) {
      tlsServerKey = v;
    }

    @Option(
        names = {"--tls-server-ca-cert-file", "-tls-server-ca-cert-file"},
        paramLabel = "FILE",
        description =
            "CA for client certificates, which are then required (env:"
                + " REDIS_EXPORTER_TLS_SERVER_CA_CERT_FILE).")
    void tlsServerCa(Path v) {
      tlsServerCa = v;
    }

    @Option(
        names = {"--tls-server-min-version", "-tls-server-min-version"},
        paramLabel = "VERSION",
        description =
            "TLS1.0 to TLS1.3 (default TLS1.2; env: REDIS_EXPORTER_TLS_SERVER_MIN_VERSION).")
    void tlsServerMinVersion(String v) {
      tlsServerMinVersion = v;
    }

    @Option(
        names = {"--redis-only-metrics", "-redis-only-metrics"},
        arity = "0..1",
        fallbackValue = "true",
        paramLabel = "BOOL",
        description =
            "Leave out process_* and redis_exporter_build_info (env:"
                + " REDIS_EXPORTER_REDIS_ONLY_METRICS).")
    void redisOnlyMetrics(boolean v) {
      redisOnlyMetrics = v;
    }
  }

  /** cAdvisor's listen and endpoint flags (Go flag package: one dash or two). */
  static final class Cadvisor extends GoWebOptions {
    Cadvisor() {
      super(Profile.CONTAINER);
    }

    @Option(
        names = {"--port", "-port"},
        paramLabel = "PORT",
        description =
            "cAdvisor's port (with --listen_ip, every interface by default; wins over --listen).")
    void port(int v) {
      cadvisorPort = v;
    }

    @Option(
        names = {"--listen_ip", "-listen_ip"},
        paramLabel = "IP",
        description = "cAdvisor's listen IP.")
    void listenIp(String v) {
      cadvisorIp = v;
    }

    @Option(
        names = {"--prometheus_endpoint", "-prometheus_endpoint"},
        paramLabel = "PATH",
        description = "cAdvisor's metrics path (default /metrics).")
    void prometheusEndpoint(String v) {
      prometheusEndpoint = v;
    }
  }

  /** What {@link #resolve} decided. */
  record Resolved(
      List<String> listen,
      String metricsPath,
      WebConfig web,
      List<MetricsCollector> self,
      int maxRequests) {}

  /**
   * Applies the flags: log level, listen addresses, web config, self-metrics.
   *
   * @param ourListen the command's {@code --listen} value (flag, CM_WEB_LISTEN_ADDRESS or default)
   * @throws ParameterException for a bad value (exit 2 with one line)
   */
  Resolved resolve(String ourListen, Map<String, String> env) {
    configureLogging(env);
    int maxRequests = profile == Profile.NODE ? NODE_MAX_REQUESTS : 0;
    if (go.maxRequests != null) {
      if (go.maxRequests < 0) {
        throw usage("--web.max-requests must be 0 or more, got " + go.maxRequests);
      }
      maxRequests = go.maxRequests;
    }
    List<String> listen = listen(ourListen, env);
    String path = metricsPath(env);
    WebConfig web = loadWebConfig(mixee, go.webConfigFile, env);
    if (profile == Profile.REDIS) {
      WebConfig redisTls = redisTls(env);
      if (redisTls != null) {
        if (web != null) {
          throw usage("--web.config.file and --tls-server-cert-file both set TLS; keep one");
        }
        web = redisTls;
      }
    }
    List<MetricsCollector> self = new ArrayList<>();
    boolean redisOnly =
        redisOnlyMetrics != null ? redisOnlyMetrics : envBool(env, "REDIS_ONLY_METRICS");
    if (!go.disableExporterMetrics && !redisOnly) {
      self.add(new ProcessCollector());
      if (go.jvmMetrics) {
        self.add(new JvmCollector());
      }
    }
    switch (profile) {
      case NODE -> self.add(ExporterBuildInfo.node());
      case POSTGRES -> self.add(ExporterBuildInfo.postgres());
      case REDIS -> {
        if (!redisOnly) {
          self.add(ExporterBuildInfo.redis());
        }
      }
      case CONTAINER -> {
        // cAdvisor's cadvisor_version_info belongs to the container collector
      }
    }
    return new Resolved(listen, path, web, self, maxRequests);
  }

  /**
   * Sets listen addresses, web config, self-metrics and the telemetry path on {@code builder}
   * (after the command's own collectors were registered).
   */
  ExporterServer.Builder apply(
      ExporterServer.Builder builder, Resolved r, List<MetricsCollector> collectors) {
    builder.listenAddresses(r.listen());
    builder.maxScrapesInFlight(r.maxRequests());
    // Self-metrics are served outside the collector machinery: no scrape_collector_success
    // series for them, kept under collect[] filters, absent with --web.disable-exporter-metrics.
    builder.exporterMetrics(r.self().toArray(new MetricsCollector[0]));
    if (r.web() != null) {
      r.web().applyTo(builder);
    }
    if (!r.metricsPath().equals("/metrics")) {
      builder.metricsPath(r.metricsPath());
    }
    return builder;
  }

  /**
   * Loads {@code --web.config.file} (null or empty: none), refusing it next to the CM_WEB_* TLS or
   * authentication variables it replaces.
   *
   * @throws ParameterException with the file's one-line problem
   */
  static WebConfig loadWebConfig(CommandSpec spec, Path file, Map<String, String> env) {
    if (file == null || file.toString().isEmpty()) {
      return null;
    }
    for (String v :
        List.of(
            ExporterConfig.ENV_TLS_KEYSTORE,
            ExporterConfig.ENV_BASIC_USER,
            ExporterConfig.ENV_BEARER_TOKEN)) {
      String value = env.get(v);
      if (value != null && !value.isBlank()) {
        throw new ParameterException(
            spec.commandLine(),
            "--web.config.file and "
                + v
                + " both set TLS or authentication; keep one (the web config file replaces the"
                + " CM_WEB_* variables)");
      }
    }
    try {
      return WebConfig.load(file);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /**
   * redis_exporter's {@code --tls-server-*} flags as a generated web config file (so the
   * certificate reloads like one): a CA file means RequireAndVerifyClientCert, as in
   * redis_exporter.
   */
  private WebConfig redisTls(Map<String, String> env) {
    Path cert = orEnv(tlsServerCert, env, "REDIS_EXPORTER_TLS_SERVER_CERT_FILE");
    Path key = orEnv(tlsServerKey, env, "REDIS_EXPORTER_TLS_SERVER_KEY_FILE");
    Path ca = orEnv(tlsServerCa, env, "REDIS_EXPORTER_TLS_SERVER_CA_CERT_FILE");
    String min = tlsServerMinVersion;
    if (min == null) {
      min = env.getOrDefault("REDIS_EXPORTER_TLS_SERVER_MIN_VERSION", "TLS1.2");
    }
    if (cert == null && key == null) {
      return null;
    }
    if (cert == null || key == null) {
      throw usage("--tls-server-cert-file and --tls-server-key-file must be given together");
    }
    String goMin =
        switch (min.trim()) {
          case "TLS1.0" -> "TLS10";
          case "TLS1.1" -> "TLS11";
          case "TLS1.2" -> "TLS12";
          case "TLS1.3" -> "TLS13";
          default ->
              throw usage("--tls-server-min-version must be TLS1.0 to TLS1.3, got '" + min + "'");
        };
    StringBuilder yaml = new StringBuilder("tls_server_config:\n");
    yaml.append("  cert_file: ").append(quote(cert)).append('\n');
    yaml.append("  key_file: ").append(quote(key)).append('\n');
    yaml.append("  min_version: ").append(goMin).append('\n');
    if (ca != null) {
      yaml.append("  client_auth_type: RequireAndVerifyClientCert\n");
      yaml.append("  client_ca_file: ").append(quote(ca)).append('\n');
    }
    try {
      Path file = java.nio.file.Files.createTempFile("redis-exporter-tls-", ".yml");
      file.toFile().deleteOnExit();
      java.nio.file.Files.writeString(file, yaml);
      return WebConfig.load(file);
    } catch (java.io.IOException e) {
      throw usage("Cannot write the TLS settings to a temporary file: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private static Path orEnv(Path flag, Map<String, String> env, String name) {
    if (flag != null && !flag.toString().isEmpty()) {
      return flag.toAbsolutePath();
    }
    String v = env.get(name);
    return v == null || v.isBlank() ? null : Path.of(v.trim()).toAbsolutePath();
  }

  private static String quote(Path p) {
    return "'" + p.toString().replace("'", "''") + "'";
  }

  private List<String> listen(String ourListen, Map<String, String> env) {
    if (cadvisorPort != null || cadvisorIp != null) {
      int port = cadvisorPort != null ? cadvisorPort : profile.port;
      if (port < 0 || port > 65535) {
        throw usage("--port must be 0-65535, got " + port);
      }
      String ip = cadvisorIp == null || cadvisorIp.isBlank() ? "" : cadvisorIp.trim();
      if (ip.contains(":") && !ip.startsWith("[")) {
        ip = "[" + ip + "]";
      }
      return List.of(ip + ":" + port);
    }
    List<String> out = new ArrayList<>();
    if (go.listenAddresses != null && !go.listenAddresses.isEmpty()) {
      out.addAll(go.listenAddresses);
      if (matched("--listen")) {
        LOG.info("--web.listen-address {} wins over --listen {}", go.listenAddresses, ourListen);
      }
    } else if (matched("--listen")) {
      out.add(ourListen);
    } else {
      String goEnv =
          profile.envPrefix == null ? null : env.get(profile.envPrefix + "WEB_LISTEN_ADDRESS");
      out.add(goEnv != null && !goEnv.isBlank() ? goEnv.trim() : ourListen);
    }
    for (String a : out) {
      try {
        ListenAddress.parse(a);
      } catch (IllegalArgumentException e) {
        throw usage("Bad listen address '" + a + "' (HOST:PORT or :PORT): " + e.getMessage());
      }
    }
    return out;
  }

  private String metricsPath(Map<String, String> env) {
    String p = prometheusEndpoint != null ? prometheusEndpoint : go.telemetryPath;
    if (p == null && profile.envPrefix != null) {
      p = env.get(profile.envPrefix + "WEB_TELEMETRY_PATH");
    }
    if (p == null || p.isBlank()) {
      return "/metrics";
    }
    p = p.trim();
    if (!p.startsWith("/") || p.equals("/") || p.contains(" ")) {
      throw usage("The telemetry path must start with '/' and not be '/', got '" + p + "'");
    }
    return p;
  }

  /**
   * Applies {@code --log.level}/{@code --log.format} (redis: {@code -log-format}, {@code -debug}
   * and their variables) to the jar's logging; {@link #resolve} does it too. Call it first in a
   * command, so the WARNs about its flags come in the asked format.
   *
   * @throws ParameterException for a bad level or format
   */
  void configureLogging(Map<String, String> env) {
    String level = null;
    if (go.logLevel != null) {
      level = go.logLevel.trim().toLowerCase(Locale.ROOT);
      if (!List.of("debug", "info", "warn", "error").contains(level)) {
        throw usage("--log.level must be debug, info, warn or error, got '" + go.logLevel + "'");
      }
    }
    boolean dbg = debug != null ? debug : envBool(env, "DEBUG");
    if (dbg && profile == Profile.REDIS) {
      level = "debug";
    }
    if (go.logFormat != null && !List.of("logfmt", "json").contains(go.logFormat.trim())) {
      throw usage("--log.format must be logfmt or json, got '" + go.logFormat + "'");
    }
    String rf = redisLogFormat;
    if (rf == null && profile == Profile.REDIS) {
      rf = env.get("REDIS_EXPORTER_LOG_FORMAT");
    }
    if (rf != null && !List.of("txt", "json").contains(rf.trim())) {
      throw usage("--log-format must be txt or json, got '" + rf + "'");
    }
    Logging.Format format = null;
    if (go.logFormat != null) {
      format = go.logFormat.trim().equals("json") ? Logging.Format.JSON : Logging.Format.LOGFMT;
    } else if (profile == Profile.REDIS) {
      // redis_exporter logs with logrus: txt unless -log-format=json
      format =
          rf != null && rf.trim().equals("json") ? Logging.Format.LOGRUS_JSON : Logging.Format.TXT;
    }
    Logging.configure(format, level);
  }

  private boolean envBool(Map<String, String> env, String suffix) {
    if (profile != Profile.REDIS) {
      return false;
    }
    String v = env.get(profile.envPrefix + suffix);
    return v != null && (v.equalsIgnoreCase("true") || v.equals("1"));
  }

  private boolean matched(String option) {
    return mixee != null
        && mixee.commandLine() != null
        && mixee.commandLine().getParseResult() != null
        && mixee.commandLine().getParseResult().hasMatchedOption(option);
  }

  private ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
