package io.clustermonitor.exporters.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exporter-toolkit web config file ({@code --web.config.file}), the format node_exporter and
 * postgres_exporter read: {@code tls_server_config} (PEM certificate and key, client certificate
 * policy and CA, TLS versions, cipher suites by Go name), {@code http_server_config} ({@code
 * headers}, {@code http2}) and {@code basic_auth_users} (bcrypt hashes as {@code htpasswd -nBC 10}
 * writes them).
 *
 * <pre>{@code
 * WebConfig web = WebConfig.load(Path.of("/etc/node_exporter/web.yml"));
 * web.applyTo(ExporterServer.builder())
 *     .listenAddress("127.0.0.1:9100")
 *     .register(collector)
 *     .start();
 * }</pre>
 *
 * <p><b>Checking.</b> {@link #load(Path)} rejects what the toolkit rejects (unknown keys, bad
 * values, bad bcrypt hashes, a missing or unreadable certificate or key, a key that does not match
 * its certificate) with one {@link IllegalArgumentException} whose message is one line naming the
 * file and the problem.
 *
 * <p><b>Reloading.</b> Like the toolkit, the file (and the certificate, key and CA files it names)
 * is looked at again when it is used, at most every 100 ms, and re-read when it changed: new users
 * and passwords apply to the next request, a new certificate to the next handshake ({@link
 * ServerTls#generation()} changes). While the file is broken (the toolkit answers 500 then), every
 * basic auth check fails and TLS keeps the last good certificate; one WARN names the problem.
 * Whether TLS and basic auth are on at all is decided at {@link #load(Path)}: turning them on or
 * off needs a restart (logged). Thread-safe.
 */
public final class WebConfig {
  private static final Logger LOG = LoggerFactory.getLogger(WebConfig.class);
  private static final long CHECK_NANOS = 100_000_000L;

  private final Path file;
  private final boolean tlsEnabled;
  private final boolean authEnabled;
  private final Object lock = new Object();
  private volatile State state;
  private volatile long nextCheck;

  private record State(
      ConfigFile config,
      TlsMaterial tls,
      BcryptUsers users,
      List<Object> stamp,
      long generation,
      String broken) {}

  private WebConfig(Path file, State first) {
    this.file = file;
    this.state = first;
    this.tlsEnabled = first.config().tlsEnabled();
    this.authEnabled = !first.config().users().isEmpty();
    this.nextCheck = System.nanoTime() + CHECK_NANOS;
  }

  /**
   * Reads and checks a web config file, loading the TLS key material it names.
   *
   * @throws IllegalArgumentException with a one-line message naming the file and the problem
   */
  public static WebConfig load(Path file) {
    Objects.requireNonNull(file, "file");
    List<Object> before = stamp(file, List.of());
    ConfigFile c = ConfigFile.read(file);
    List<Object> stamp = c.tlsEnabled() ? stamp(file, files(c)) : before;
    TlsMaterial tls = null;
    if (c.tlsEnabled()) {
      tls = TlsMaterial.load(c);
      TlsMaterial.logIgnored(file, tls.ignored());
    }
    WebConfig w =
        new WebConfig(file, new State(c, tls, new BcryptUsers(c.users()), stamp, 0, null));
    LOG.info(
        "web config file {}: TLS is {}, basic auth {}",
        file,
        c.tlsEnabled() ? "enabled (http2 " + c.http2() + ")" : "disabled",
        c.users().isEmpty() ? "off" : "for " + c.users().size() + " user(s)");
    return w;
  }

  /** The file this configuration comes from. */
  public Path file() {
    return file;
  }

  /** Whether the file turns TLS on (any TLS key set), as read by {@link #load(Path)}. */
  public boolean tlsEnabled() {
    return tlsEnabled;
  }

  /** Whether the file lists basic auth users, as read by {@link #load(Path)}. */
  public boolean basicAuthEnabled() {
    return authEnabled;
  }

  /** The reloading TLS settings, when the file turns TLS on. */
  public Optional<ServerTls> tls() {
    if (!tlsEnabled) {
      return Optional.empty();
    }
    return Optional.of(
        new ServerTls() {
          @Override
          public SSLContext sslContext() {
            return current().tls().context();
          }

          @Override
          public SSLParameters parameters() {
            return current().tls().parameters();
          }

          @Override
          public long generation() {
            return current().generation();
          }

          @Override
          public String toString() {
            return "ServerTls(" + file + ")";
          }
        });
  }

  /** The reloading basic auth check, when the file lists users. */
  public Optional<BasicAuthenticator> basicAuth() {
    if (!authEnabled) {
      return Optional.empty();
    }
    return Optional.of(this::check);
  }

  /**
   * {@code http_server_config.headers} as now in the file: set them on every response, 401s
   * included.
   */
  public Map<String, String> headers() {
    return current().config().headers();
  }

  /** {@code http_server_config.http2} (default true; only meaningful with TLS). */
  public boolean http2() {
    return current().config().http2();
  }

  /**
   * Sets TLS, basic auth and the response headers of this file on a server builder (e.g. {@code
   * ExporterServer.builder()}). The headers are taken as they are now (a change to them needs a
   * restart); TLS and users reload.
   *
   * @param builder the builder to configure
   * @param <B> the builder's type
   * @return {@code builder}
   */
  public <B extends WebSettings<B>> B applyTo(B builder) {
    Objects.requireNonNull(builder, "builder");
    tls().ifPresent(builder::tls);
    basicAuth().ifPresent(builder::basicAuth);
    if (!headers().isEmpty()) {
      builder.responseHeaders(headers());
    }
    return builder;
  }

  /** Checks basic credentials against the file as it is now. */
  boolean check(String user, String password) {
    State s = current();
    if (s.broken() != null) {
      return false;
    }
    return s.users().check(user, password);
  }

  /** The current state, re-read first when a file changed (at most every 100 ms). */
  private State current() {
    long now = System.nanoTime();
    if (now - nextCheck < 0) {
      return state;
    }
    synchronized (lock) {
      if (now - nextCheck < 0) {
        return state;
      }
      State s = state;
      List<Object> stamp = stamp(file, files(s.config()));
      if (!stamp.equals(s.stamp())) {
        state = reload(s, stamp);
      }
      nextCheck = System.nanoTime() + CHECK_NANOS;
      return state;
    }
  }

  /** Forces a look at the files now (tests, or a reload endpoint). */
  public void refresh() {
    synchronized (lock) {
      nextCheck = System.nanoTime();
    }
    current();
  }

  private static List<Path> files(ConfigFile c) {
    return c.tlsEnabled() ? TlsMaterial.files(c) : List.of();
  }

  /** Re-reads the files; {@code before} was taken before reading any of them. */
  private State reload(State old, List<Object> before) {
    ConfigFile c;
    TlsMaterial tls = old.tls();
    long generation = old.generation();
    List<Object> stamp = before;
    try {
      c = ConfigFile.read(file);
      if (!files(c).equals(files(old.config()))) {
        stamp = stamp(file, files(c));
      }
      if (c.tlsEnabled() != tlsEnabled) {
        throw ConfigFile.fail(
            file,
            "TLS was turned " + (tlsEnabled ? "off" : "on") + " while running; restart to apply");
      }
      if (tlsEnabled) {
        tls = TlsMaterial.load(c);
        TlsMaterial.logIgnored(file, tls.ignored());
        generation++;
      }
      if (!authEnabled && !c.users().isEmpty()) {
        LOG.warn(
            "web config file {}: basic_auth_users were added while running; restart to require"
                + " them",
            file);
      }
    } catch (IllegalArgumentException e) {
      // keep what worked; fail auth closed until the file is fixed
      if (!e.getMessage().equals(old.broken())) {
        LOG.warn("{} (keeping the last good TLS settings; basic auth denies all)", e.getMessage());
      }
      return new State(
          old.config(), old.tls(), old.users(), before, old.generation(), e.getMessage());
    }
    LOG.info("web config file {} reloaded", file);
    BcryptUsers users =
        c.users().equals(old.config().users()) ? old.users() : new BcryptUsers(c.users());
    return new State(c, tls, users, stamp, generation, null);
  }

  /** What identifies the current content of the files: modification time, size, inode. */
  private static List<Object> stamp(Path config, List<Path> others) {
    List<Object> out = new ArrayList<>();
    List<Path> all = new ArrayList<>();
    all.add(config);
    all.addAll(others);
    for (Path p : all) {
      try {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        out.add(List.of(p, a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey())));
      } catch (NoSuchFileException e) {
        out.add(List.of(p, "missing"));
      } catch (IOException e) {
        out.add(List.of(p, "unreadable", e.getClass().getName()));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "WebConfig(" + file + ")";
  }
}
