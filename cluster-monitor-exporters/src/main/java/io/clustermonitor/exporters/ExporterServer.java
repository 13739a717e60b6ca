package io.clustermonitor.exporters;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.clustermonitor.exporters.internal.Auth;
import io.clustermonitor.exporters.internal.BuildInfo;
import io.clustermonitor.exporters.internal.CollectorRunner;
import io.clustermonitor.exporters.internal.Handlers;
import io.clustermonitor.exporters.internal.ReloadingSslContext;
import io.clustermonitor.exporters.internal.Scraper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An HTTP server exposing {@link MetricsCollector}s to Prometheus.
 *
 * <p>Endpoints: {@code /metrics} (Prometheus text 0.0.4 written with exact names, OpenMetrics 1.0
 * or protobuf by {@code Accept}, gzip by {@code Accept-Encoding}), {@code /health} (JSON), {@code
 * /} (a page listing collectors and endpoints), plus any handler mounted with {@link
 * Builder#handler(String, HttpHandler)}. Every scrape runs each collector on its own thread with a
 * timeout: a collector that throws or is slow costs only its own families and shows up as {@code
 * <namespace>_scrape_collector_success{collector="..."} 0}; the scrape still answers 200.
 *
 * <p>Built on the JDK {@code com.sun.net.httpserver} server that prometheus-metrics' {@code
 * HTTPServer} also wraps; ours writes the text format itself so counter names stay exact.
 *
 * <pre>{@code
 * try (ExporterServer server = ExporterServer.builder()
 *     .listenAddress("127.0.0.1:9400")
 *     .namespace("myapp")
 *     .register(new QueueDepthCollector())
 *     .start()) {
 *   server.awaitTermination();
 * }
 * }</pre>
 *
 * <p><b>Shutdown.</b> {@link #close()} stops accepting connections, lets running exchanges finish
 * for up to one second, then stops the collector threads. Thread-safe.
 */
public final class ExporterServer implements AutoCloseable {
  private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern COLLECTOR_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern HEADER_VALUE = Pattern.compile("[\\x20-\\x7e\\t]*");

  static {
    enableTcpNoDelay();
  }

  /**
   * Turns on TCP_NODELAY for every JDK {@code HttpServer} in this JVM unless the user set {@code
   * sun.net.httpserver.nodelay} already. The JDK server writes headers and body separately; without
   * it, Nagle plus the client's delayed ACK add about 40 ms to each small answer on a keep-alive
   * connection. The JDK reads the property once, when its first server starts, so call this before
   * creating any other {@code HttpServer} (loading this class does it too). Idempotent.
   */
  public static void enableTcpNoDelay() {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService httpExecutor;
  private final CollectorRunner runner;
  private final Scraper scraper;
  private final boolean tls;
  private final List<String> hosts = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private ExporterServer(Builder b) {
    List<MetricsCollector> collectors = List.copyOf(b.collectors.values());
    this.runner = new CollectorRunner(collectors, b.collectorTimeout);
    this.scraper =
        new Scraper(runner, b.namespace, BuildInfo.family(BuildInfo.version(), b.revision));
    ServerTls serverTls = b.serverTls;
    this.tls = serverTls != null || b.keystore != null;
    AtomicInteger n = new AtomicInteger();
    httpExecutor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "cm-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      if (serverTls == null && b.keystore != null) {
        SSLContext ctx = sslContext(b.keystore, b.keystorePass);
        serverTls =
            new ServerTls() {
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
      SSLContext ssl = serverTls == null ? null : ReloadingSslContext.of(serverTls);
      ServerTls finalTls = serverTls;
      Authenticator auth =
          b.bearerToken != null
              ? Auth.bearer(b.bearerToken)
              : b.basicChecker != null
                  ? Auth.basic(b.basicChecker)
                  : b.basicUser != null ? Auth.basic(b.basicUser, b.basicPassword) : null;
      Map<String, HttpHandler> handlers = new LinkedHashMap<>();
      List<String> names = collectors.stream().map(MetricsCollector::name).toList();
      handlers.put("/metrics", Handlers.metrics(scraper, b.openMetrics));
      handlers.put("/health", Handlers.health(b.namespace, names, System.currentTimeMillis()));
      b.targets.forEach(
          (path, target) ->
              handlers.put(path, Handlers.target(path, scraper, target, b.openMetrics)));
      handlers.putAll(b.handlers); // mounted handlers may replace /health (or even /metrics)
      List<String> endpoints = new ArrayList<>(handlers.keySet());
      if (!handlers.containsKey("/")) {
        handlers.put("/", Handlers.index(b.title(), names, endpoints));
      }
      Map<String, String> extraHeaders = Map.copyOf(b.responseHeaders);
      List<InetSocketAddress> addresses = b.addresses();
      List<String> hostTexts = b.hostTexts();
      for (int i = 0; i < addresses.size(); i++) {
        InetSocketAddress address = addresses.get(i);
        HttpServer server = bind(address, ssl, finalTls);
        servers.add(server);
        hosts.add(hostTexts.get(i));
        server.setExecutor(httpExecutor);
        for (Map.Entry<String, HttpHandler> e : handlers.entrySet()) {
          HttpContext context = server.createContext(e.getKey(), e.getValue());
          if (!extraHeaders.isEmpty()) {
            context.getFilters().add(headersFilter(extraHeaders));
          }
          if (auth != null && !e.getKey().equals("/health")) {
            context.setAuthenticator(auth);
          }
        }
      }
    } catch (RuntimeException e) {
      servers.forEach(srv -> srv.stop(0));
      httpExecutor.shutdownNow();
      runner.close();
      throw e;
    }
    servers.forEach(HttpServer::start);
  }

  private static HttpServer bind(InetSocketAddress address, SSLContext ssl, ServerTls tls) {
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(
          "Cannot resolve listen host '" + address.getHostString() + "'");
    }
    try {
      if (ssl != null) {
        HttpsServer https = HttpsServer.create();
        https.setHttpsConfigurator(
            new HttpsConfigurator(ssl) {
              @Override
              public void configure(HttpsParameters params) {
                SSLParameters p = tls.parameters();
                params.setSSLParameters(p == null ? ssl.getDefaultSSLParameters() : p);
              }
            });
        https.bind(address, 64);
        return https;
      }
      return HttpServer.create(address, 64);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot listen on "
              + address.getHostString()
              + ":"
              + address.getPort()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static Filter headersFilter(Map<String, String> headers) {
    return new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        chain.doFilter(exchange);
      }

      @Override
      public String description() {
        return "response headers";
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

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The bound port of the first listen address (the real one when the builder asked for port 0).
   */
  public int port() {
    return servers.get(0).getAddress().getPort();
  }

  /** The bound ports, one per listen address, in the order they were given. */
  public List<Integer> ports() {
    return servers.stream().map(s -> s.getAddress().getPort()).toList();
  }

  /**
   * The base URI of the first listen address, e.g. {@code http://127.0.0.1:9400/}; a wildcard bind
   * is shown as {@code 127.0.0.1}.
   */
  public URI uri() {
    return uris().get(0);
  }

  /** The base URIs, one per listen address. */
  public List<URI> uris() {
    List<URI> out = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      String host = hosts.get(i);
      String h = host.contains(":") ? "[" + host + "]" : host;
      out.add(
          URI.create(
              (tls ? "https" : "http")
                  + "://"
                  + h
                  + ":"
                  + servers.get(i).getAddress().getPort()
                  + "/"));
    }
    return out;
  }

  /** The registered collectors' names, in registration order. */
  public List<String> collectorNames() {
    return runner.collectors().stream().map(MetricsCollector::name).toList();
  }

  /**
   * Runs one scrape in-process, exactly what {@code /metrics} would serve: collectors' families,
   * then the success, duration and build info families.
   */
  public List<MetricFamily> scrape() {
    return scraper.scrape();
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
      servers.forEach(srv -> srv.stop(1));
      httpExecutor.shutdown();
      if (!httpExecutor.awaitTermination(2, TimeUnit.SECONDS)) {
        httpExecutor.shutdownNow();
      }
    } catch (InterruptedException e) {
      httpExecutor.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      runner.close();
      terminated.countDown();
    }
  }

  /**
   * Configures and starts an {@link ExporterServer}. Not thread-safe. Every setter validates its
   * argument and throws {@link IllegalArgumentException} (or {@link NullPointerException} for a
   * null) with a clear message.
   */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private List<String> listenAddresses;
    private final Map<String, TargetScraper> targets = new LinkedHashMap<>();
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private BasicAuthenticator basicChecker;
    private ServerTls serverTls;
    private String namespace = "cluster_monitor";
    private final Map<String, MetricsCollector> collectors = new LinkedHashMap<>();
    private final Map<String, HttpHandler> handlers = new LinkedHashMap<>();
    private Duration collectorTimeout = ExporterConfig.DEFAULT_COLLECTOR_TIMEOUT;
    private String basicUser;
    private String basicPassword;
    private String bearerToken;
    private Path keystore;
    private String keystorePass;
    private boolean openMetrics = true;
    private String revision;
    private String title;

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

    private List<String> hostTexts() {
      if (listenAddresses == null) {
        return List.of(host);
      }
      List<String> out = new ArrayList<>();
      for (String text : listenAddresses) {
        out.add(
            text.trim().startsWith(":") ? "127.0.0.1" : ExporterConfig.HostPort.parse(text).host());
      }
      return out;
    }

    private List<InetSocketAddress> addresses() {
      if (listenAddresses == null) {
        return List.of(new InetSocketAddress(host, port));
      }
      List<InetSocketAddress> out = new ArrayList<>();
      for (String text : listenAddresses) {
        ExporterConfig.HostPort hp = ExporterConfig.HostPort.parse(text);
        String t = text.trim();
        boolean wildcard = t.startsWith(":");
        out.add(
            wildcard
                ? new InetSocketAddress(hp.port())
                : new InetSocketAddress(hp.host(), hp.port()));
      }
      return out;
    }

    /**
     * Prefix of the SDK's own metrics ({@code <namespace>_scrape_collector_success}); default
     * {@code cluster_monitor}. Exporters use {@code node}, {@code pg}, {@code redis}.
     */
    public Builder namespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace");
      if (!NAMESPACE.matcher(namespace).matches()) {
        throw new IllegalArgumentException(
            "namespace must match [a-zA-Z_][a-zA-Z0-9_]*, got '" + namespace + "'");
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * Registers collectors, scraped in registration order.
     *
     * @throws IllegalArgumentException when a name is invalid or already registered
     */
    public Builder register(MetricsCollector... collectors) {
      for (MetricsCollector c : collectors) {
        Objects.requireNonNull(c, "collector");
        String name = c.name();
        if (name == null || !COLLECTOR_NAME.matcher(name).matches()) {
          throw new IllegalArgumentException(
              "Collector "
                  + c.getClass().getName()
                  + " has an invalid name '"
                  + name
                  + "'; use letters, digits, '_', '.', '-'");
        }
        if (this.collectors.putIfAbsent(name, c) != null) {
          throw new IllegalArgumentException(
              "A collector named '" + name + "' is already registered");
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
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("collectorTimeout must be positive, got " + timeout);
      }
      this.collectorTimeout = timeout;
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
      this.basicUser = user;
      this.basicPassword = password;
      this.basicChecker = null;
      this.bearerToken = null;
      return this;
    }

    /**
     * Requires HTTP basic auth on every endpoint except {@code /health}, checked by {@code
     * authenticator} (e.g. the users of a {@code --web.config.file}). A failed check answers 401
     * with {@code WWW-Authenticate: Basic realm="cluster-monitor"}.
     */
    public Builder basicAuth(BasicAuthenticator authenticator) {
      this.basicChecker = Objects.requireNonNull(authenticator, "authenticator");
      this.basicUser = null;
      this.basicPassword = null;
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
      this.basicUser = null;
      this.basicPassword = null;
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
     * Mounts an extra handler on the same port, with the same authentication. {@code path} is a
     * prefix as in {@link HttpServer#createContext(String, HttpHandler)}: {@code /api/} receives
     * {@code /api/containers} and everything else below it. A handler for {@code /health}, {@code
     * /metrics} or {@code /} replaces the SDK's own. The handler runs on the server's pool of 8
     * threads and must close each exchange.
     *
     * @throws IllegalArgumentException when the path does not start with {@code /} or is mounted
     *     twice
     */
    public Builder handler(String path, HttpHandler handler) {
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
  }
}
