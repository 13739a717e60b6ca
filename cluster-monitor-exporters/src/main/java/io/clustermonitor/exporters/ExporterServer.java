package io.clustermonitor.exporters;

import io.clustermonitor.exporters.internal.BuildInfo;
import io.clustermonitor.exporters.web.BasicAuthenticator;
import io.clustermonitor.exporters.web.ServerLimits;
import io.clustermonitor.exporters.web.ServerTls;
import io.clustermonitor.exporters.web.WebHandler;
import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import io.clustermonitor.exporters.web.WebServer;
import io.clustermonitor.exporters.web.WebSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An HTTP server exposing {@link MetricsCollector}s to Prometheus.
 *
 * <p>Endpoints: {@code /metrics} (Prometheus text 0.0.4 written with exact names, OpenMetrics 1.0
 * or protobuf by {@code Accept}, gzip by {@code Accept-Encoding}, node_exporter's {@code collect[]}
 * filter), {@code /health} (JSON), {@code /} (a page listing collectors and endpoints),
 * multi-target endpoints mounted with {@link Builder#target}, plus any handler mounted with {@link
 * Builder#handler(String, WebHandler)}. Paths match exactly ({@code /metricsx} is a 404). Every
 * scrape runs each collector on its own thread with a timeout: a collector that throws or is slow
 * costs only its own families and shows up as {@code <namespace>_scrape_collector_success{
 * collector="..."} 0}; the scrape still answers 200.
 *
 * <p>Served by a {@link WebServer} (embedded Jetty 12) with {@link ServerLimits}: header read
 * timeout, idle timeout, request time limit, max concurrent requests (503 past it), max
 * connections, header and body sizes. To serve the same endpoints from your own HTTP server, use
 * {@link Builder#buildEndpoints()} and adapt your requests to {@link WebRequest}.
 *
 * <pre>{@code
 * try (ExporterServer server =
 *     ExporterServer.builder()
 *         .listenAddress("127.0.0.1:9400")
 *         .namespace("myapp")
 *         .register(new QueueDepthCollector())
 *         .start()) {
 *   server.awaitTermination();
 * }
 * }</pre>
 *
 * <p><b>Shutdown.</b> {@link #close()} stops accepting connections, lets running exchanges finish
 * for up to one second, then stops the collector threads. Thread-safe.
 */
public final class ExporterServer implements AutoCloseable {
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern HEADER_VALUE = Pattern.compile("[\\x20-\\x7e\\t]*");

  private final Endpoints endpoints;
  private final WebServer web;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private ExporterServer(Builder b) {
    this.endpoints = b.buildEndpoints();
    try {
      ServerTls tls = b.serverTls;
      if (tls == null && b.keystore != null) {
        tls = staticTls(sslContext(b.keystore, b.keystorePass));
      }
      WebServer.Builder w =
          WebServer.builder()
              .limits(b.limits)
              .tls(tls)
              .handler(endpoints)
              .responseHeaders(b.responseHeaders)
              .allowedHosts(b.allowedHosts)
              .errorBodies(b.errorBodies)
              .name("cm-exporter");
      for (Builder.Listen l : b.listens()) {
        w.listen(l.host(), l.port());
      }
      this.web = w.start();
    } catch (RuntimeException e) {
      endpoints.close();
      throw e;
    }
  }

  private static ServerTls staticTls(SSLContext ctx) {
    return new ServerTls() {
      @Override
      public SSLContext sslContext() {
        return ctx;
      }

      @Override
      public SSLParameters parameters() {
        return new SSLParameters();
      }
    };
  }

  private static SSLContext sslContext(Path keystore, String password) {
    String type = keystore.toString().endsWith(".jks") ? "JKS" : "PKCS12";
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore ks = KeyStore.getInstance(type);
      ks.load(in, password.toCharArray());
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password.toCharArray());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Cannot load TLS keystore " + keystore + " (" + type + "): " + e.getMessage(), e);
    }
  }

  /**
   * The build info family.
   *
   * @param revision source revision, left out when null or blank
   */
  static MetricFamily buildInfoFamily(String version, String revision) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("version", version);
    if (revision != null && !revision.isBlank()) {
      labels.put("revision", revision);
    }
    labels.put("java_version", System.getProperty("java.version", "unknown"));
    return MetricFamily.builder(BuildInfo.METRIC, MetricType.GAUGE)
        .help("A metric with a constant '1' value labeled by version, revision and Java version.")
        .sample(1, labels)
        .build();
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The bound port of the first listen address (the real one when the builder asked for port 0).
   */
  public int port() {
    return web.ports().get(0);
  }

  /** The bound ports, one per listen address, in the order they were given. */
  public List<Integer> ports() {
    return web.ports();
  }

  /**
   * The base URI of the first listen address, e.g. {@code http://127.0.0.1:9400/}; a wildcard bind
   * is shown as {@code 127.0.0.1}.
   */
  public URI uri() {
    return web.uris().get(0);
  }

  /** The base URIs, one per listen address. */
  public List<URI> uris() {
    return web.uris();
  }

  /** The registered collectors' names, in registration order. */
  public List<String> collectorNames() {
    return endpoints.collectorNames();
  }

  /**
   * Runs one scrape in-process, exactly what {@code /metrics} would serve: collectors' families,
   * then the success, duration and build info families.
   */
  public List<MetricFamily> scrape() {
    return endpoints.scrape();
  }

  /** Blocks until {@link #close()} is called (e.g. from a shutdown hook). */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** Stops the server gracefully. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      web.close();
    } finally {
      endpoints.close();
      terminated.countDown();
    }
  }

  /**
   * The server's endpoints without a server: a {@link WebHandler} answering {@code /metrics},
   * {@code /health}, {@code /}, the targets and mounted handlers, with the configured
   * authentication. Serve it from your own HTTP server; close it to stop the collector threads.
   */
  public static final class Endpoints implements WebHandler, AutoCloseable {
    private final CollectorRunner runner;
    private final Scraper scraper;
    private final WebHandler handler;

    private Endpoints(Builder b) {
      List<MetricsCollector> collectors = List.copyOf(b.collectors.values());
      this.runner = new CollectorRunner(collectors, b.collectorTimeout);
      this.scraper =
          new Scraper(
              runner,
              b.namespace,
              buildInfoFamily(BuildInfo.version(), b.revision),
              List.copyOf(b.exporterMetrics.values()));
      List<String> names = collectors.stream().map(MetricsCollector::name).toList();
      Map<String, WebHandler> routes = new LinkedHashMap<>();
      java.util.function.UnaryOperator<WebHandler> limit =
          Handlers.inFlightLimit(b.maxScrapesInFlight);
      // one in-flight budget (--web.max-requests) for /metrics, the telemetry path and the targets
      WebHandler metrics = limit.apply(Handlers.metrics(scraper, b.openMetrics));
      routes.put("/metrics", metrics);
      b.metricsPaths.forEach(p -> routes.put(p, metrics));
      routes.put("/health", Handlers.health(b.namespace, names, System.currentTimeMillis()));
      b.targets.forEach(
          (path, target) ->
              routes.put(path, limit.apply(Handlers.target(path, scraper, target, b.openMetrics))));
      routes.putAll(b.handlers); // mounted handlers may replace /health (or even /metrics)
      List<String> listed = new ArrayList<>(routes.keySet());
      routes.putIfAbsent("/", Handlers.index(b.title(), names, listed));
      WebHandler router = Handlers.router(routes);
      Predicate<WebRequest> check = null;
      String challenge = null;
      if (b.bearerToken != null) {
        check = Auth.bearer(b.bearerToken);
        challenge = Auth.bearerChallenge();
      } else if (b.basicChecker != null) {
        check = Auth.basic(b.basicChecker);
        challenge = Auth.basicChallenge();
      }
      if (check == null) {
        this.handler = router;
      } else {
        // Everything but /health asks for credentials, unknown paths too (no path probing).
        WebHandler guarded = Auth.guard(router, check, challenge);
        Set<String> open = b.bearerToken != null ? Set.copyOf(b.publicPaths) : Set.of();
        this.handler =
            r ->
                r.path().equals("/health") || isPublic(open, r.path())
                    ? router.handle(r)
                    : guarded.handle(r);
      }
    }

    @Override
    public WebResponse handle(WebRequest request) {
      return handler.handle(request);
    }

    private static boolean isPublic(Set<String> open, String path) {
      for (String p : open) {
        if (p.length() > 1 && p.endsWith("/") ? path.startsWith(p) : path.equals(p)) {
          return true;
        }
      }
      return false;
    }

    /** One in-process scrape, exactly what {@code /metrics} serves. */
    public List<MetricFamily> scrape() {
      return scraper.scrape();
    }

    /** The registered collectors' names, in registration order. */
    public List<String> collectorNames() {
      return scraper.collectorNames();
    }

    /** Stops the collector threads. */
    @Override
    public void close() {
      runner.close();
    }
  }

  /**
   * Configures and starts an {@link ExporterServer}. Not thread-safe. Every setter validates its
   * argument and throws {@link IllegalArgumentException} (or {@link NullPointerException} for a
   * null) with a clear message.
   */
  public static final class Builder implements WebSettings<Builder> {
    private String host = "127.0.0.1";
    private int port = 0;
    private List<String> listenAddresses;
    private final Map<String, TargetScraper> targets = new LinkedHashMap<>();
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private BasicAuthenticator basicChecker;
    private ServerTls serverTls;
    private String namespace = "cluster_monitor";
    private final Map<String, MetricsCollector> collectors = new LinkedHashMap<>();
    private final Map<String, MetricsCollector> exporterMetrics = new LinkedHashMap<>();
    private final Set<String> metricsPaths = new LinkedHashSet<>();
    private final Map<String, WebHandler> handlers = new LinkedHashMap<>();
    private final Set<String> publicPaths = new LinkedHashSet<>();
    private ServerLimits limits = ServerLimits.defaults();
    private final Set<String> allowedHosts = new LinkedHashSet<>();
    private WebServer.ErrorBodies errorBodies = WebServer.TEXT_ERRORS;
    private Duration collectorTimeout = ExporterConfig.DEFAULT_COLLECTOR_TIMEOUT;
    private String bearerToken;
    private Path keystore;
    private String keystorePass;
    private boolean openMetrics = true;
    private String revision;
    private String title;
    private int maxScrapesInFlight;

    private Builder() {}

    /** Host or address to bind; default {@code 127.0.0.1}. Replaces {@link #listenAddresses}. */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      this.host = host.trim();
      this.listenAddresses = null;
      return this;
    }

    /** Port to bind, 0 for any free port (the default). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, got " + port);
      }
      this.port = port;
      this.listenAddresses = null;
      return this;
    }

    /** Host and port as {@code host:port}, e.g. {@code 127.0.0.1:9100}. */
    public Builder listenAddress(String hostPort) {
      ExporterConfig.HostPort hp = ExporterConfig.HostPort.parse(hostPort);
      return host(hp.host()).port(hp.port());
    }

    /**
     * Listens on each {@code host:port} (node_exporter's repeatable {@code --web.listen-address});
     * {@code :9100} means every interface, IPv4 and IPv6, {@code [::1]:9100} an IPv6 address.
     * Replaces {@link #host}/{@link #port}/{@link #listenAddress}.
     *
     * @throws IllegalArgumentException for an empty list or a malformed address
     */
    public Builder listenAddresses(List<String> hostPorts) {
      Objects.requireNonNull(hostPorts, "hostPorts");
      if (hostPorts.isEmpty()) {
        throw new IllegalArgumentException("at least one listen address is required");
      }
      for (String hp : hostPorts) {
        ExporterConfig.HostPort.parse(hp); // validates
      }
      this.listenAddresses = List.copyOf(hostPorts);
      return this;
    }

    private record Listen(String host, int port) {}

    private List<Listen> listens() {
      if (listenAddresses == null) {
        return List.of(new Listen(host, port));
      }
      List<Listen> out = new ArrayList<>();
      for (String text : listenAddresses) {
        ExporterConfig.HostPort hp = ExporterConfig.HostPort.parse(text);
        out.add(new Listen(text.trim().startsWith(":") ? null : hp.host(), hp.port()));
      }
      return out;
    }

    /**
     * The connection and request limits (default {@link ServerLimits#defaults()}; {@link
     * ServerLimits#fromEnvironment} reads them from {@code CM_WEB_*} variables).
     */
    public Builder limits(ServerLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Host names a {@code Host} header may carry besides loopback names when bound to loopback
     * (DNS-rebinding protection, 421 otherwise); on other binds, when non-empty, only these and the
     * bound address are accepted.
     */
    public Builder errorBodies(WebServer.ErrorBodies errors) {
      this.errorBodies = Objects.requireNonNull(errors, "errors");
      return this;
    }

    /**
     * Host names a {@code Host} header may carry besides loopback names when bound to loopback
     * (DNS-rebinding protection, 421 otherwise); on other binds, when non-empty, only these and the
     * bound address are accepted.
     */
    public Builder allowedHosts(Set<String> hosts) {
      Objects.requireNonNull(hosts, "hosts");
      hosts.forEach(h -> allowedHosts.add(Objects.requireNonNull(h, "host")));
      return this;
    }

    /**
     * Prefix of the SDK's own metrics ({@code <namespace>_scrape_collector_success}); default
     * {@code cluster_monitor}. Exporters use {@code node}, {@code pg}, {@code redis}.
     */
    public Builder namespace(String namespace) {
      this.namespace = CollectorRunner.namespace(namespace);
      return this;
    }

    /**
     * Registers collectors, scraped in registration order.
     *
     * @throws IllegalArgumentException when a name is invalid or already registered
     */
    public Builder register(MetricsCollector... collectors) {
      for (MetricsCollector c : collectors) {
        CollectorRunner.add(this.collectors, c, "registered");
      }
      return this;
    }

    /**
     * Serves the {@code /metrics} endpoint at {@code path} as well (node_exporter's {@code
     * --web.telemetry-path}): same formats, {@code collect[]} filter and exporter metrics.
     *
     * @throws IllegalArgumentException when the path does not start with {@code /}, is {@code /},
     *     or is already taken by a target or handler
     */
    public Builder metricsPath(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/") || path.contains(" ") || path.equals("/")) {
        throw new IllegalArgumentException("metrics path must start with '/', got '" + path + "'");
      }
      if (path.equals("/health") || targets.containsKey(path) || handlers.containsKey(path)) {
        throw new IllegalArgumentException("path '" + path + "' is already taken");
      }
      if (!path.equals("/metrics")) {
        metricsPaths.add(path);
      }
      return this;
    }

    /**
     * Adds the exporter's own metrics, e.g. {@link
     * io.clustermonitor.exporters.selfmetrics.ProcessCollector} ({@code process_*}) and {@link
     * io.clustermonitor.exporters.selfmetrics.ExporterBuildInfo} ({@code <exporter>_build_info}).
     * They are served on every {@code /metrics} scrape after the collectors' families, outside the
     * collector machinery: no {@code <namespace>_scrape_collector_success} series, never left out
     * by a {@code collect[]} filter, not listed as collectors, not added to target endpoints
     * ({@code /probe}, {@code /scrape}). They run on the scrape thread without a timeout, so they
     * must be fast and local; one that throws is logged and skipped. To honour node_exporter's
     * {@code --web.disable-exporter-metrics}, do not add them.
     *
     * <pre>{@code
     * ExporterServer.builder()
     *     .namespace("node")
     *     .register(NodeCollector.create().subCollectors().toArray(new MetricsCollector[0]))
     *     .exporterMetrics(new ProcessCollector(), ExporterBuildInfo.node())
     *     .start();
     * }</pre>
     *
     * @throws IllegalArgumentException when two exporter metrics have the same name
     */
    public Builder exporterMetrics(MetricsCollector... metrics) {
      Objects.requireNonNull(metrics, "metrics");
      for (MetricsCollector c : metrics) {
        Objects.requireNonNull(c, "exporter metrics");
        String name = Objects.requireNonNull(c.name(), "exporter metrics name");
        if (exporterMetrics.putIfAbsent(name, c) != null) {
          throw new IllegalArgumentException(
              "Exporter metrics named '" + name + "' are already added");
        }
      }
      return this;
    }

    /**
     * Registers every collector listed in {@code META-INF/services/
     * io.clustermonitor.exporters.MetricsCollector} on the class path of the given loader.
     *
     * @throws IllegalStateException when a listed class cannot be loaded or instantiated
     */
    public Builder registerDiscovered(ClassLoader loader) {
      try {
        for (MetricsCollector c : ServiceLoader.load(MetricsCollector.class, loader)) {
          register(c);
        }
      } catch (ServiceConfigurationError e) {
        throw new IllegalStateException("Cannot load a MetricsCollector: " + e.getMessage(), e);
      }
      return this;
    }

    /** {@link #registerDiscovered(ClassLoader)} with the thread's context class loader. */
    public Builder registerDiscovered() {
      return registerDiscovered(Thread.currentThread().getContextClassLoader());
    }

    /** How long a scrape waits for each collector; default 5 s. */
    public Builder collectorTimeout(Duration timeout) {
      this.collectorTimeout = CollectorRunner.positive("collectorTimeout", timeout);
      return this;
    }

    /** Requires HTTP basic auth on every endpoint except {@code /health}. */
    public Builder basicAuth(String user, String password) {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      if (user.isEmpty() || password.isEmpty() || user.contains(":")) {
        throw new IllegalArgumentException(
            "basic auth needs a non-empty user without ':' and a non-empty password");
      }
      this.basicChecker = Auth.basic(user, password);
      this.bearerToken = null;
      return this;
    }

    /**
     * Requires HTTP basic auth on every endpoint except {@code /health}, checked by {@code
     * authenticator} (e.g. the users of a {@code --web.config.file}). A failed check answers 401
     * with {@code WWW-Authenticate: Basic realm="cluster-monitor"}.
     */
    @Override
    public Builder basicAuth(BasicAuthenticator authenticator) {
      this.basicChecker = Objects.requireNonNull(authenticator, "authenticator");
      this.bearerToken = null;
      return this;
    }

    /** Requires {@code Authorization: Bearer <token>} on every endpoint except {@code /health}. */
    public Builder bearerToken(String token) {
      Objects.requireNonNull(token, "token");
      if (token.isBlank()) {
        throw new IllegalArgumentException("bearer token must not be blank");
      }
      this.bearerToken = token.trim();
      this.basicChecker = null;
      return this;
    }

    /**
     * Serves HTTPS with the key in a keystore ({@code .jks} files are read as JKS, anything else as
     * PKCS12). The keystore is loaded by {@link #start()}, which fails with a clear message when it
     * cannot be read.
     */
    public Builder tls(Path keystore, String password) {
      Objects.requireNonNull(keystore, "keystore");
      Objects.requireNonNull(password, "password");
      if (!Files.isReadable(keystore)) {
        throw new IllegalArgumentException("TLS keystore " + keystore + " is not readable");
      }
      this.keystore = keystore;
      this.keystorePass = password;
      this.serverTls = null;
      return this;
    }

    /**
     * Serves HTTPS with the context and parameters of {@code tls}. When its {@link
     * ServerTls#generation()} changes, the next handshakes use its new context; open connections
     * keep theirs. Replaces {@link #tls(Path, String)}.
     */
    @Override
    public Builder tls(ServerTls tls) {
      this.serverTls = Objects.requireNonNull(tls, "tls");
      this.keystore = null;
      this.keystorePass = null;
      return this;
    }

    /**
     * Headers added to every response (e.g. the {@code http_server_config.headers} of a web config
     * file). Names and values must be plain printable ASCII.
     *
     * @throws IllegalArgumentException for an invalid name or value
     */
    @Override
    public Builder responseHeaders(Map<String, String> headers) {
      Objects.requireNonNull(headers, "headers");
      for (Map.Entry<String, String> e : headers.entrySet()) {
        String name = Objects.requireNonNull(e.getKey(), "header name");
        String value = Objects.requireNonNull(e.getValue(), "header value");
        if (!HEADER_NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("invalid response header name '" + name + "'");
        }
        if (!HEADER_VALUE.matcher(value).matches()) {
          throw new IllegalArgumentException("invalid value for response header " + name);
        }
        responseHeaders.put(name, value);
      }
      return this;
    }

    /**
     * Mounts a multi-target endpoint such as {@code /probe} or {@code /scrape} at exactly {@code
     * path}: each request's query goes to {@link TargetScraper#open}, the collectors it returns run
     * like {@code /metrics}' own (same formats, per-collector timeout and isolation, same
     * authentication), then the scrape is closed. An {@link IllegalArgumentException} from {@code
     * open} answers 400 with its message as plain text.
     *
     * @throws IllegalArgumentException when the path is invalid or already taken
     */
    public Builder target(String path, TargetScraper scraper) {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(scraper, "scraper");
      if (!path.startsWith("/") || path.contains(" ") || path.equals("/")) {
        throw new IllegalArgumentException("target path must start with '/', got '" + path + "'");
      }
      if (path.equals("/metrics") || path.equals("/health") || handlers.containsKey(path)) {
        throw new IllegalArgumentException("path '" + path + "' is already taken");
      }
      if (targets.putIfAbsent(path, scraper) != null) {
        throw new IllegalArgumentException(
            "A target endpoint is already mounted at '" + path + "'");
      }
      return this;
    }

    /**
     * Whether {@code /metrics} may answer in OpenMetrics when asked (default true). OpenMetrics
     * cannot spell a counter without {@code _total}, so such counters go out as {@code unknown}
     * there; turn this off to make Prometheus fall back to the text format, which keeps the type.
     */
    public Builder openMetrics(boolean enabled) {
      this.openMetrics = enabled;
      return this;
    }

    /** Source revision for the {@code revision} label of {@code cluster_monitor_build_info}. */
    public Builder revision(String revision) {
      this.revision = revision;
      return this;
    }

    /** Title of the landing page; default {@code "<namespace> exporter"}. */
    public Builder title(String title) {
      this.title = Objects.requireNonNull(title, "title");
      return this;
    }

    /**
     * Mounts an extra handler on the same port, with the same authentication. A path ending in
     * {@code /} is a prefix ({@code /api/} receives {@code /api/containers} and everything below
     * it); any other path matches exactly. A handler for {@code /health}, {@code /metrics} or
     * {@code /} replaces the SDK's own.
     *
     * @throws IllegalArgumentException when the path does not start with {@code /} or is mounted
     *     twice
     */
    public Builder handler(String path, WebHandler handler) {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(handler, "handler");
      if (!path.startsWith("/") || path.contains(" ")) {
        throw new IllegalArgumentException("handler path must start with '/', got '" + path + "'");
      }
      if (handlers.putIfAbsent(path, handler) != null) {
        throw new IllegalArgumentException("A handler is already mounted at '" + path + "'");
      }
      return this;
    }

    /**
     * The most scrapes of {@code /metrics} and the targets answered at once (one limit for all of
     * them), as Go promhttp's {@code HandlerOpts.MaxRequestsInFlight} and node_exporter's {@code
     * --web.max-requests}: one more gets 503 with Go's body {@code Limit of concurrent requests
     * reached (N), try again later.} Default 0: no limit besides {@link
     * ServerLimits#maxConcurrentRequests()}.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder maxScrapesInFlight(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxScrapesInFlight must be 0 or more, got " + max);
      }
      this.maxScrapesInFlight = max;
      return this;
    }

    /**
     * Mounts a handler as {@link #handler(String, WebHandler)} does, but exempt from the bearer
     * token: for pages and assets that carry no data and ask for the token themselves (basic
     * authentication, which a browser answers on its own, still covers them).
     */
    public Builder publicHandler(String path, WebHandler handler) {
      handler(path, handler);
      publicPaths.add(path);
      return this;
    }

    /** Applies listen address, authentication, TLS and collector timeout from a config. */
    public Builder config(ExporterConfig config) {
      Objects.requireNonNull(config, "config");
      host(config.host()).port(config.port()).collectorTimeout(config.collectorTimeout());
      config.basicAuthUser().ifPresent(u -> basicAuth(u, config.basicAuthPassword().orElseThrow()));
      config.bearerToken().ifPresent(this::bearerToken);
      config.tlsKeystore().ifPresent(k -> tls(k, config.tlsKeystorePassword().orElseThrow()));
      return this;
    }

    private String title() {
      return title != null ? title : namespace + " exporter";
    }

    /**
     * Binds and starts the server.
     *
     * @throws UncheckedIOException when the address cannot be bound (e.g. already in use)
     * @throws IllegalArgumentException when the host cannot be resolved or the keystore loaded
     */
    public ExporterServer start() {
      return new ExporterServer(this);
    }

    /**
     * The endpoints without binding a port, for serving from another HTTP server (listen address,
     * TLS and limits do not apply there).
     */
    public Endpoints buildEndpoints() {
      return new Endpoints(this);
    }
  }
}
