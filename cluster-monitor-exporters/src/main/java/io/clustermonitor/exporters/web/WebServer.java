package io.clustermonitor.exporters.web;

import io.clustermonitor.exporters.internal.serving.HeaderTimeout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's HTTP server: one {@link WebHandler} behind an embedded Jetty 12 (HTTP/1.1, optional
 * TLS) with the {@link ServerLimits} enforced, on one or more listen addresses. {@link
 * io.clustermonitor.exporters.ExporterServer} and the REST API both run on it.
 *
 * <p>Before the handler runs, the server answers itself: 421 when a loopback-bound listener gets a
 * {@code Host} that is not a loopback name or in the allow-list (DNS rebinding); 400 for a body on
 * {@code GET}/{@code HEAD}; 413 for a body over the limit; 503 with {@code Retry-After} past the
 * concurrency limit. A handler that is still running at the request time limit gets its client a
 * 503. Jetty's own rejections (malformed request line, bad {@code Content-Length}, headers too
 * large...) go through the same error body function, so no body ever carries a class name or stack
 * trace. No JVM-global state is touched.
 *
 * <p>Thread-safe. {@link #close()} stops accepting, gives running requests a second, then closes
 * every connection.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

  /** Builds the body of an error answer from the status and a short, safe message. */
  public interface ErrorBodies extends BiFunction<Integer, String, WebResponse> {}

  /** Plain-text error bodies: {@code "<message>\n"}. */
  public static final ErrorBodies TEXT_ERRORS =
      (status, message) -> WebResponse.text(status, message + "\n");

  /** How long a pool thread above the minimum may stay idle before it leaves. */
  static final int IDLE_TIMEOUT_MS = 5000;

  /** The most heap, and again direct, memory the buffer pool keeps. */
  static final long POOL_BYTES = 1024 * 1024;

  private final Server server;
  private final List<ServerConnector> connectors = new ArrayList<>();
  private final List<String> hosts = new ArrayList<>();
  private final HeaderTimeout headerTimeout;
  private final boolean tls;
  private final AtomicBoolean closed = new AtomicBoolean();

  private WebServer(Builder b) {
    ServerLimits limits = b.limits;
    int threads = limits.maxConcurrentRequests() + 8 + 2 * b.listen.size();
    // Jetty's pool hands a job to an idle thread before it starts a new one (a plain
    // ThreadPoolExecutor with core = max size started a thread per request until it held all of
    // them: 138 threads after 200 one-at-a-time scrapes, 16-22 MiB of stacks and one cached 64 KiB
    // direct buffer each). It keeps only the acceptor and selector of each listener plus two;
    // after a burst every thread idle for IDLE_TIMEOUT_MS leaves at once (max evict count), and
    // no threads are reserved.
    QueuedThreadPool pool = new QueuedThreadPool(threads, 2 + 2 * b.listen.size(), IDLE_TIMEOUT_MS);
    pool.setMaxEvictCount(threads);
    pool.setReservedThreads(0);
    pool.setName(b.name);
    pool.setDaemon(true);
    // A bounded buffer pool: Jetty's default may retain up to an eighth of the heap in heap and
    // again in direct buffers after a burst of clients; past these caps buffers go to the GC.
    server = new Server(pool, null, new ArrayByteBufferPool(0, -1, -1, -1, POOL_BYTES, POOL_BYTES));
    server.setStopTimeout(1000);
    headerTimeout = new HeaderTimeout(limits.headerReadTimeout());
    HttpConfiguration hc = new HttpConfiguration();
    hc.setSendServerVersion(false);
    hc.setSendXPoweredBy(false);
    hc.setRequestHeaderSize(limits.maxHeaderBytes());
    hc.setIdleTimeout(limits.idleTimeout().toMillis());
    // Handlers see the raw path and match it exactly (the API validates ids itself), so encoded
    // separators and dot segments are theirs to reject; everything else ambiguous stays a 400.
    hc.setUriCompliance(
        UriCompliance.DEFAULT.with(
            "cluster-monitor",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
            UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
            UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
    tls = b.tls != null;
    SslContextFactory.Server ssl = null;
    if (tls) {
      hc.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
      ssl = sslFactory(b.tls);
    }
    for (Listen l : b.listen) {
      HttpConnectionFactory http = new HttpConnectionFactory(hc);
      ConnectionFactory[] factories =
          ssl == null
              ? new ConnectionFactory[] {http}
              : new ConnectionFactory[] {new SslConnectionFactory(ssl, http.getProtocol()), http};
      ServerConnector c = new ServerConnector(server, 1, 1, factories);
      c.setHost(l.host);
      c.setPort(l.port);
      c.setIdleTimeout(limits.idleTimeout().toMillis());
      c.setAcceptQueueSize(128);
      c.addBean(headerTimeout);
      server.addConnector(c);
      connectors.add(c);
      hosts.add(l.display);
    }
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
    ErrorBodies errors = b.errors;
    Map<String, String> extra = Map.copyOf(b.responseHeaders);
    server.setHandler(
        new Adapter(b.handler, limits, errors, extra, b.allowedHosts, headerTimeout, server));
    server.setErrorHandler(new ErrorWriter(errors, extra));
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // already failing
      }
      String where = b.listen.isEmpty() ? "" : b.listen.get(0).display + ":" + b.listen.get(0).port;
      for (ServerConnector c : connectors) {
        if (!c.isOpen()) {
          where = (c.getHost() == null ? "*" : c.getHost()) + ":" + c.getPort();
          break;
        }
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("Cannot listen on " + where + ": " + io.getMessage(), io);
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("Cannot start the server: " + e.getMessage(), e);
    }
    headerTimeout.start(server.getScheduler());
  }

  private static SslContextFactory.Server sslFactory(ServerTls serverTls) {
    ReloadingSslContext context = ReloadingSslContext.of(serverTls);
    SslContextFactory.Server f =
        new SslContextFactory.Server() {
          @Override
          public void customize(SSLEngine engine) {
            // Jetty's safe selection of protocols and ciphers first, then whatever the
            // ServerTls sets explicitly (a web config file's min/max version, cipher list and
            // client auth) wins.
            super.customize(engine);
            SSLParameters p = serverTls.parameters();
            if (p == null) {
              return;
            }
            if (p.getProtocols() != null) {
              engine.setEnabledProtocols(p.getProtocols());
            }
            if (p.getCipherSuites() != null) {
              engine.setEnabledCipherSuites(p.getCipherSuites());
            }
            if (p.getNeedClientAuth()) {
              engine.setNeedClientAuth(true);
            } else if (p.getWantClientAuth()) {
              engine.setWantClientAuth(true);
            } else {
              engine.setNeedClientAuth(false);
              engine.setWantClientAuth(false);
            }
            SSLParameters applied = engine.getSSLParameters();
            applied.setUseCipherSuitesOrder(p.getUseCipherSuitesOrder());
            engine.setSSLParameters(applied);
          }
        };
    f.setSslContext(context);
    f.setEndpointIdentificationAlgorithm(null);
    return f;
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The bound ports, one per listen address, in order. */
  public List<Integer> ports() {
    return connectors.stream().map(ServerConnector::getLocalPort).toList();
  }

  /** The base URIs ({@code http[s]://host:port/}), one per listen address. */
  public List<URI> uris() {
    List<URI> out = new ArrayList<>();
    for (int i = 0; i < connectors.size(); i++) {
      String h = hosts.get(i);
      h = h.contains(":") ? "[" + h + "]" : h;
      out.add(
          URI.create(
              (tls ? "https" : "http") + "://" + h + ":" + connectors.get(i).getLocalPort() + "/"));
    }
    return out;
  }

  /** Whether the server speaks TLS. */
  public boolean tls() {
    return tls;
  }

  /** Stops the server. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    headerTimeout.stop();
    try {
      server.stop();
    } catch (Exception e) {
      LOG.debug("error while stopping the server: {}", e.toString());
    }
  }

  private record Listen(String host, int port, String display) {}

  /** Loopback names and addresses a {@code Host} header may carry on a loopback bind. */
  static boolean loopbackName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      return h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]");
    }
    return h.matches("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
  }

  /** The host part of a {@code Host} header value (brackets kept for IPv6). */
  static String hostOf(String hostHeader) {
    String v = hostHeader.trim();
    if (v.startsWith("[")) {
      int end = v.indexOf(']');
      return end < 0 ? v : v.substring(0, end + 1);
    }
    int colon = v.indexOf(':');
    return colon < 0 ? v : v.substring(0, colon);
  }

  /** Runs the {@link WebHandler} with the limits; writes its answer. */
  private static final class Adapter extends Handler.Abstract {
    private final WebHandler handler;
    private final ServerLimits limits;
    private final ErrorBodies errors;
    private final Map<String, String> extra;
    private final Set<String> allowedHosts;
    private final HeaderTimeout headerTimeout;
    private final Semaphore permits;
    private final Server server;

    Adapter(
        WebHandler handler,
        ServerLimits limits,
        ErrorBodies errors,
        Map<String, String> extra,
        Set<String> allowedHosts,
        HeaderTimeout headerTimeout,
        Server server) {
      super(InvocationType.BLOCKING);
      this.handler = handler;
      this.limits = limits;
      this.errors = errors;
      this.extra = extra;
      this.allowedHosts = allowedHosts;
      this.headerTimeout = headerTimeout;
      this.permits = new Semaphore(limits.maxConcurrentRequests());
      this.server = server;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Connection connection = request.getConnectionMetaData().getConnection();
      headerTimeout.requestStarted(connection);
      Exchange ex = new Exchange(request, response, callback, connection);
      WebResponse early = precheck(request);
      if (early != null) {
        ex.answer(early);
        return true;
      }
      if (!permits.tryAcquire()) {
        ex.answer(
            errors
                .apply(503, "Too many concurrent requests; retry shortly")
                .withHeader("Retry-After", "1"));
        return true;
      }
      Scheduler.Task watchdog =
          server
              .getScheduler()
              .schedule(
                  () ->
                      ex.answer(
                          errors
                              .apply(503, "The request took too long")
                              .withHeader("Retry-After", "1")),
                  limits.requestTimeout().toMillis(),
                  TimeUnit.MILLISECONDS);
      try {
        WebResponse answer;
        try {
          answer = handler.handle(new JettyRequest(request));
          if (answer == null) {
            throw new IllegalStateException("handler returned no response");
          }
        } catch (RuntimeException | Error e) {
          LOG.error(
              "internal error answering {} {}",
              request.getMethod(),
              safe(request.getHttpURI().getPath()),
              e);
          answer = errors.apply(500, "Internal server error");
        }
        ex.answer(answer);
      } finally {
        watchdog.cancel();
        permits.release();
      }
      return true;
    }

    private WebResponse precheck(Request request) {
      WebResponse host = checkHost(request);
      if (host != null) {
        return host;
      }
      HttpFields h = request.getHeaders();
      boolean chunked = h.contains(HttpHeader.TRANSFER_ENCODING);
      long length = request.getLength();
      boolean hasBody = chunked || length > 0;
      String method = request.getMethod();
      if (length > limits.maxBodyBytes()) {
        return errors.apply(413, "Request body larger than " + limits.maxBodyBytes() + " bytes");
      }
      if (hasBody && ("GET".equals(method) || "HEAD".equals(method))) {
        return errors.apply(400, "A " + method + " request must not have a body");
      }
      if (chunked) {
        return errors.apply(411, "A request body needs a Content-Length");
      }
      return null;
    }

    private WebResponse checkHost(Request request) {
      SocketAddress local = request.getConnectionMetaData().getLocalSocketAddress();
      boolean loopbackBind =
          local instanceof InetSocketAddress isa
              && isa.getAddress() != null
              && isa.getAddress().isLoopbackAddress()
              && boundLoopback(request);
      if (!loopbackBind && allowedHosts.isEmpty()) {
        return null;
      }
      String header = request.getHeaders().get(HttpHeader.HOST);
      if (header == null || header.isBlank()) {
        return null; // HTTP/1.0 without Host: nothing for a rebinding attack to carry
      }
      String host = hostOf(header).toLowerCase(Locale.ROOT);
      if (allowedHosts.contains(host) || (loopbackBind && loopbackName(host))) {
        return null;
      }
      if (!loopbackBind && isLiteralOf(host, local)) {
        return null;
      }
      return errors.apply(421, "Host not allowed: requests must name this server");
    }

    private static boolean isLiteralOf(String host, SocketAddress local) {
      if (!(local instanceof InetSocketAddress isa) || isa.getAddress() == null) {
        return false;
      }
      String a = isa.getAddress().getHostAddress().toLowerCase(Locale.ROOT);
      String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      int pct = a.indexOf('%');
      return h.equals(pct < 0 ? a : a.substring(0, pct));
    }

    /** Whether the connector itself is bound to a loopback address (not a wildcard). */
    private static boolean boundLoopback(Request request) {
      if (request.getConnectionMetaData().getConnector() instanceof ServerConnector sc) {
        String host = sc.getHost();
        if (host == null) {
          return false;
        }
        try {
          InetAddress a = InetAddress.getByName(host);
          return a.isLoopbackAddress();
        } catch (IOException e) {
          return false;
        }
      }
      return false;
    }

    /**
     * A {@link WebStream.Sink} over Jetty's asynchronous writes: at most one write in flight (a
     * client that has not taken the last one gets {@code false}, nothing is buffered), closed by
     * the producer, a failed write or a failure of the request (client gone, server stopping).
     */
    private final class StreamSink implements WebStream.Sink {
      private final Response response;
      private final Callback callback;
      private final Connection connection;
      private final String path;
      private final List<Runnable> hooks = new ArrayList<>();
      private boolean pending;
      private boolean closed;
      private boolean finished;

      StreamSink(Request request, Response response, Callback callback, Connection connection) {
        this.response = response;
        this.callback = callback;
        this.connection = connection;
        this.path = safe(request.getHttpURI().getPath());
        request.addFailureListener(this::fail);
      }

      @Override
      public boolean offer(byte[] bytes) {
        synchronized (this) {
          if (closed || pending) {
            return false;
          }
          pending = true;
        }
        try {
          response.write(
              false,
              ByteBuffer.wrap(bytes),
              Callback.from(
                  () -> {
                    boolean finish;
                    synchronized (this) {
                      pending = false;
                      finish = closed && !finished;
                    }
                    if (finish) {
                      finish();
                    }
                  },
                  this::fail));
        } catch (RuntimeException e) {
          fail(e);
          return false;
        }
        return true;
      }

      @Override
      public void close() {
        boolean finishNow;
        synchronized (this) {
          if (closed) {
            return;
          }
          closed = true;
          finishNow = !pending;
        }
        runHooks();
        if (finishNow) {
          finish();
        }
      }

      private void finish() {
        synchronized (this) {
          if (finished) {
            return;
          }
          finished = true;
        }
        try {
          response.write(
              true,
              null,
              Callback.from(
                  () -> {
                    headerTimeout.requestEnded(connection);
                    callback.succeeded();
                  },
                  callback::failed));
        } catch (RuntimeException e) {
          callback.failed(e);
        }
      }

      private void fail(Throwable x) {
        boolean first;
        synchronized (this) {
          first = !finished;
          closed = true;
          finished = true;
        }
        if (first) {
          LOG.debug("stream {} ended: {}", path, String.valueOf(x));
          runHooks();
          callback.failed(x);
        }
      }

      private void runHooks() {
        List<Runnable> run;
        synchronized (this) {
          run = new ArrayList<>(hooks);
          hooks.clear();
        }
        for (Runnable r : run) {
          try {
            r.run();
          } catch (RuntimeException e) {
            LOG.warn("stream close hook failed: {}", e.toString());
          }
        }
      }

      @Override
      public synchronized boolean isOpen() {
        return !closed;
      }

      @Override
      public void onClose(Runnable hook) {
        synchronized (this) {
          if (!closed) {
            hooks.add(hook);
            return;
          }
        }
        hook.run();
      }
    }

    /** One request's single answer: the handler's or the watchdog's, whichever comes first. */
    private final class Exchange {
      private final Request request;
      private final Response response;
      private final Callback callback;
      private final Connection connection;
      private final AtomicBoolean answered = new AtomicBoolean();

      Exchange(Request request, Response response, Callback callback, Connection connection) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.connection = connection;
      }

      void answer(WebResponse answer) {
        if (!answered.compareAndSet(false, true)) {
          answer.release(); // the watchdog answered first: this body is not sent
          return;
        }
        try {
          write(answer);
        } catch (RuntimeException e) {
          answer.release();
          LOG.debug("could not answer {}: {}", safe(request.getHttpURI().getPath()), e.toString());
          callback.failed(e);
        }
      }

      private void write(WebResponse answer) {
        response.setStatus(answer.status());
        HttpFields.Mutable h = response.getHeaders();
        for (Map.Entry<String, String> e : answer.headers()) {
          h.add(e.getKey(), e.getValue());
        }
        extra.forEach((k, v) -> h.put(k, v));
        byte[] body = answer.bodyArray();
        int length = answer.bodyLength();
        boolean head = "HEAD".equals(request.getMethod());
        boolean noBody = answer.status() == 204 || answer.status() == 304;
        if (answer.stream() != null && !head && !noBody) {
          StreamSink sink = new StreamSink(request, response, callback, connection);
          answer.stream().open(sink);
          return;
        }
        if (!noBody) {
          h.put(HttpHeader.CONTENT_LENGTH, Long.toString(length));
        }
        Callback done =
            Callback.from(
                () -> {
                  answer.release();
                  headerTimeout.requestEnded(connection);
                  callback.succeeded();
                },
                x -> {
                  answer.release();
                  LOG.debug(
                      "client went away before the answer to {} was written: {}",
                      safe(request.getHttpURI().getPath()),
                      x.toString());
                  callback.failed(x);
                });
        if (head || noBody || length == 0) {
          response.write(true, null, done);
        } else {
          writeInSlices(response, body, length, done);
        }
      }
    }
  }

  /** The largest slice of a body handed to the connection in one write. */
  static final int WRITE_SLICE = 16 * 1024;

  /**
   * Writes {@code body} in slices of at most {@link #WRITE_SLICE} bytes, each after the last has
   * been written. One write of a whole heap array makes the JDK copy it into a temporary direct
   * buffer of the same size and keep that buffer for the writing thread: with 1 MB scrape bodies
   * and a pool of threads that each cache one, the direct-memory limit (the heap size by default)
   * was reached, and the JDK then stalled allocations for up to half a second in {@code
   * System.gc()} and back-off sleeps. 16 KiB slices keep that cache at 16 KiB per thread that has
   * written (64 KiB slices held 6-9 MiB of direct memory with 100 clients).
   */
  static void writeInSlices(Response response, byte[] body, int bodyLength, Callback done) {
    if (bodyLength <= WRITE_SLICE) {
      response.write(true, ByteBuffer.wrap(body, 0, bodyLength), done);
      return;
    }
    new IteratingCallback() {
      private int offset;

      @Override
      protected Action process() {
        if (offset >= bodyLength) {
          return Action.SUCCEEDED;
        }
        int length = Math.min(WRITE_SLICE, bodyLength - offset);
        ByteBuffer slice = ByteBuffer.wrap(body, offset, length);
        offset += length;
        response.write(offset >= bodyLength, slice, this);
        return Action.SCHEDULED;
      }

      @Override
      protected void onCompleteSuccess() {
        done.succeeded();
      }

      @Override
      protected void onCompleteFailure(Throwable cause) {
        done.failed(cause);
      }
    }.iterate();
  }

  private static String safe(String path) {
    String p = String.valueOf(path);
    return p.length() > 200 ? p.substring(0, 200) + "..." : p;
  }

  /** Jetty's own error answers (bad request line, bad headers...) with our bodies. */
  private static final class ErrorWriter extends Handler.Abstract {
    private final ErrorBodies errors;
    private final Map<String, String> extra;

    ErrorWriter(ErrorBodies errors, Map<String, String> extra) {
      super(InvocationType.NON_BLOCKING);
      this.errors = errors;
      this.extra = extra;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = response.getStatus();
      if (status < 400 || status > 599) {
        status = 500;
      }
      String reason = HttpStatus.getMessage(status);
      WebResponse answer = errors.apply(status, reason == null ? "Error" : reason);
      response.setStatus(status);
      HttpFields.Mutable h = response.getHeaders();
      h.remove(HttpHeader.CONTENT_TYPE);
      for (Map.Entry<String, String> e : answer.headers()) {
        h.put(e.getKey(), e.getValue());
      }
      extra.forEach((k, v) -> h.put(k, v));
      byte[] body = answer.body();
      h.put(HttpHeader.CONTENT_LENGTH, Long.toString(body.length));
      if ("HEAD".equals(request.getMethod())) {
        response.write(true, null, callback);
      } else {
        response.write(true, ByteBuffer.wrap(body), callback);
      }
      return true;
    }
  }

  /** A Jetty request seen as a {@link WebRequest}. */
  private static final class JettyRequest implements WebRequest {
    private final Request request;

    JettyRequest(Request request) {
      this.request = request;
    }

    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String path() {
      String p = request.getHttpURI().getPath();
      return p == null || p.isEmpty() ? "/" : p;
    }

    @Override
    public String rawQuery() {
      return request.getHttpURI().getQuery();
    }

    @Override
    public List<String> headers(String name) {
      List<String> out = new ArrayList<>(1);
      for (HttpField f : request.getHeaders()) {
        if (f.is(name)) {
          out.add(f.getValue());
        }
      }
      return out;
    }

    @Override
    public InetSocketAddress remoteAddress() {
      SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
      return a instanceof InetSocketAddress isa ? isa : null;
    }

    @Override
    public boolean secure() {
      return request.isSecure();
    }
  }

  /** Configures and starts a {@link WebServer}. Not thread-safe. */
  public static final class Builder {
    private final List<Listen> listen = new ArrayList<>();
    private ServerLimits limits = ServerLimits.defaults();
    private ServerTls tls;
    private WebHandler handler;
    private ErrorBodies errors = TEXT_ERRORS;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private final Set<String> allowedHosts = new LinkedHashSet<>();
    private String name = "cm-http";

    private Builder() {}

    /**
     * Adds a listen address; {@code host} {@code null} or empty binds every interface (IPv4 and
     * IPv6), port 0 any free port.
     */
    public Builder listen(String host, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, got " + port);
      }
      String h = host == null || host.isBlank() ? null : host.trim();
      if (h != null && new InetSocketAddress(h, 0).isUnresolved()) {
        throw new IllegalArgumentException("Cannot resolve listen host '" + h + "'");
      }
      listen.add(new Listen(h, port, h == null ? "127.0.0.1" : h));
      return this;
    }

    /** The limits (default {@link ServerLimits#defaults()}). */
    public Builder limits(ServerLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Serves HTTPS with {@code tls}; a new {@link ServerTls#generation()} applies to new
     * handshakes.
     */
    public Builder tls(ServerTls tls) {
      this.tls = tls;
      return this;
    }

    /** The handler answering every request. */
    public Builder handler(WebHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** How error answers look (default {@link #TEXT_ERRORS}). */
    public Builder errorBodies(ErrorBodies errors) {
      this.errors = Objects.requireNonNull(errors, "errors");
      return this;
    }

    /** Headers added to every answer, errors included. */
    public Builder responseHeaders(Map<String, String> headers) {
      responseHeaders.putAll(headers);
      return this;
    }

    /**
     * Host names (without port) that a {@code Host} header may carry besides loopback names on a
     * loopback bind; on other binds, when non-empty, only these (and the bound address itself) are
     * accepted. Others get 421.
     */
    public Builder allowedHosts(Set<String> hosts) {
      for (String h : hosts) {
        allowedHosts.add(h.trim().toLowerCase(Locale.ROOT));
      }
      return this;
    }

    /** Prefix of the server's thread names (default {@code cm-http}). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Binds and starts.
     *
     * @throws UncheckedIOException when an address cannot be bound
     * @throws IllegalStateException without a handler or listen address
     */
    public WebServer start() {
      if (handler == null) {
        throw new IllegalStateException("a handler is required");
      }
      if (listen.isEmpty()) {
        throw new IllegalStateException("at least one listen address is required");
      }
      return new WebServer(this);
    }
  }
}
