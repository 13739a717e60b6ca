package io.clustermonitor.exporters.redis;

import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.TargetScraper;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * redis_exporter's {@code /scrape?target=host:port}: each request scrapes the named server with the
 * exporter's options (the {@code check-keys}, {@code check-single-keys}, {@code check-streams},
 * {@code check-single-streams} and {@code count-keys} parameters override them for the request).
 *
 * <p>Credentials, safer than redis_exporter (issue #1104): the configured user and password go only
 * to the configured address; another target gets the password of its entry in the password file
 * (re-read when the file changes) with the configured user, and otherwise no credentials at all. A
 * target with a user or password in it is refused with 400, where redis_exporter silently drops
 * them. Bad requests count in {@code redis_target_scrape_request_errors_total}.
 *
 * <p>Mount it with {@code ExporterServer.builder().target("/scrape", scraper)}.
 */
public final class RedisTargetScraper implements TargetScraper {
  private static final Logger LOG = LoggerFactory.getLogger(RedisTargetScraper.class);

  private final RedisTarget configured;
  private final String user;
  private final String password;
  private final Settings settings;
  private final Clock clock;
  private final Path passwordFile;
  private final AtomicLong requestErrors;
  private final List<MetricsCollector> extra;
  private final Object fileLock = new Object();
  private PasswordFile passwords;
  private FileTime passwordsTime;

  RedisTargetScraper(
      RedisTarget configured,
      String user,
      String password,
      Settings settings,
      Clock clock,
      Path passwordFile,
      AtomicLong requestErrors) {
    this(configured, user, password, settings, clock, passwordFile, requestErrors, List.of());
  }

  private RedisTargetScraper(
      RedisTarget configured,
      String user,
      String password,
      Settings settings,
      Clock clock,
      Path passwordFile,
      AtomicLong requestErrors,
      List<MetricsCollector> extra) {
    this.extra = List.copyOf(extra);
    this.configured = configured;
    this.user = user;
    this.password = password;
    this.settings = settings;
    this.clock = clock;
    this.passwordFile = passwordFile;
    this.requestErrors = requestErrors;
    if (passwordFile != null) {
      passwords();
    }
  }

  /**
   * The password file, re-read when its modification time changed. A file that became unreadable or
   * invalid keeps the last good content (and logs once per change).
   */
  private PasswordFile passwords() {
    synchronized (fileLock) {
      try {
        FileTime t = Files.getLastModifiedTime(passwordFile);
        if (passwords == null || !t.equals(passwordsTime)) {
          passwordsTime = t;
          passwords = PasswordFile.load(passwordFile);
        }
      } catch (java.io.IOException | IllegalArgumentException e) {
        if (passwords == null) {
          throw e instanceof IllegalArgumentException iae
              ? iae
              : new IllegalArgumentException("Cannot read Redis password file " + passwordFile);
        }
        LOG.warn("Keeping the previous Redis password file: {}", e.getMessage());
      }
      return passwords;
    }
  }

  /**
   * The same endpoint answering also {@code collectors} on every request, e.g. {@code
   * redis_exporter_build_info}, which redis_exporter puts in each {@code /scrape} answer.
   */
  public RedisTargetScraper withCollectors(List<MetricsCollector> collectors) {
    List<MetricsCollector> all = new java.util.ArrayList<>(extra);
    all.addAll(collectors);
    return new RedisTargetScraper(
        configured, user, password, settings, clock, passwordFile, requestErrors, all);
  }

  private IllegalArgumentException bad(String message) {
    requestErrors.incrementAndGet();
    return new IllegalArgumentException(message);
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  @Override
  public Scrape open(Map<String, List<String>> query) {
    String raw = first(query, "target");
    if (raw == null || raw.isBlank()) {
      throw bad("'target' parameter must be specified");
    }
    String address = raw.strip();
    if (!address.contains("://")) {
      address = "redis://" + address;
    }
    try {
      if (new URI(address).getRawUserInfo() != null) {
        throw bad(
            "target must not contain a user or password; put passwords in the password file"
                + " (--redis.password-file)");
      }
    } catch (URISyntaxException e) {
      throw bad("Invalid target (expected host:port or redis://host:port)");
    }
    RedisTarget target;
    try {
      target = RedisTarget.parse(address);
    } catch (IllegalArgumentException e) {
      throw bad("Invalid target: " + e.getMessage());
    }
    String u = null;
    String pw = null;
    if (configured != null && configured.canonical().equals(target.canonical())) {
      u = user;
      pw = password;
    } else if (passwordFile != null) {
      pw = passwords().passwordFor(target, address);
      if (pw != null) {
        u = user;
      }
    }
    Settings s = settings;
    String checkKeys = first(query, "check-keys");
    String checkSingleKeys = first(query, "check-single-keys");
    String checkStreams = first(query, "check-streams");
    String checkSingleStreams = first(query, "check-single-streams");
    String countKeys = first(query, "count-keys");
    try {
      for (String v :
          new String[] {checkKeys, checkSingleKeys, checkStreams, checkSingleStreams, countKeys}) {
        KeyChecks.parse(v);
      }
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    s =
        s.withKeyChecks(
            checkKeys != null ? checkKeys : s.checkKeys(),
            checkSingleKeys != null ? checkSingleKeys : s.checkSingleKeys(),
            checkStreams != null ? checkStreams : s.checkStreams(),
            checkSingleStreams != null ? checkSingleStreams : s.checkSingleStreams(),
            countKeys != null ? countKeys : s.countKeys());
    RedisCollector c = RedisCollector.forTarget(target, address, u, pw, s, clock, requestErrors);
    List<MetricsCollector> collectors = new java.util.ArrayList<>();
    collectors.add(c);
    collectors.addAll(extra);
    return Scrape.of(collectors);
  }
}
