package io.clustermonitor.exporters.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * One Jedis connection for one scrape, opened as redis_exporter dials: connect and read timeout,
 * {@code AUTH [user] password} when a password applies, {@code CLIENT SETNAME redis_exporter}
 * unless disabled, no {@code CLIENT SETINFO} (redis_exporter sends none). Closed after the scrape,
 * so between scrapes the exporter holds no client slot on the server.
 */
final class RedisConnection implements KeyCommands, AutoCloseable {
  /** An error reply of the server ({@code -ERR ...}). */
  static final class ErrorReply extends IOException {
    private static final long serialVersionUID = 1L;

    ErrorReply(String message) {
      super(message);
    }
  }

  /** A command by name, as Jedis sends it. */
  record Command(byte[] raw) implements ProtocolCommand {
    @Override
    public byte[] getRaw() {
      return raw;
    }
  }

  private final Jedis jedis;
  private final RedisTarget target;
  private final JedisClientConfig config;

  private RedisConnection(Jedis jedis, RedisTarget target, JedisClientConfig config) {
    this.jedis = jedis;
    this.target = target;
    this.config = config;
  }

  /** The server this connection was opened to. */
  RedisTarget target() {
    return target;
  }

  /** The client settings (timeouts, credentials, name, TLS) it was opened with. */
  JedisClientConfig config() {
    return config;
  }

  /**
   * Connects and authenticates.
   *
   * @throws IOException when the server cannot be reached or rejects the credentials; the message
   *     holds neither the password nor the user's secrets
   */
  static RedisConnection open(RedisTarget target, String user, String password, Settings settings)
      throws IOException {
    int millis = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
    DefaultJedisClientConfig.Builder cfg =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis)
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
    if (password != null) {
      cfg.password(password);
      if (user != null) {
        cfg.user(user);
      }
    }
    if (settings.setClientName()) {
      cfg.clientName("redis_exporter");
    }
    if (target.tls()) {
      ClientTls tls = settings.tls() == null ? ClientTls.DEFAULT : settings.tls();
      SSLParameters params = new SSLParameters();
      if (!tls.skipVerification()) {
        params.setEndpointIdentificationAlgorithm("HTTPS");
      }
      cfg.ssl(true).sslSocketFactory(tls.context().getSocketFactory()).sslParameters(params);
      if (tls.skipVerification()) {
        cfg.hostnameVerifier((host, session) -> true);
      }
    }
    JedisClientConfig config = cfg.build();
    Jedis jedis = null;
    try {
      if (target.unixSocket() != null) {
        jedis =
            new Jedis(
                () -> {
                  try {
                    return UnixSocket.connect(target.unixSocket(), millis);
                  } catch (IOException e) {
                    throw new JedisConnectionException(e);
                  }
                },
                config);
      } else {
        jedis = new Jedis(new HostAndPort(target.host(), target.port()), config);
      }
      RedisConnection c = new RedisConnection(jedis, target, config);
      if (!jedis.isConnected()) {
        jedis.getConnection().connect();
      }
      return c;
    } catch (RuntimeException e) {
      if (jedis != null) {
        jedis.close();
      }
      throw new IOException(message(e), null);
    }
  }

  /**
   * Sends one command.
   *
   * @return {@link String} for status and bulk replies, {@link Long}, {@link List} of those, or
   *     null
   * @throws ErrorReply for an error reply; IOException when the connection failed
   */
  @Override
  public Object command(String name, String... args) throws IOException {
    try {
      return convert(jedis.sendCommand(new Command(name.getBytes(StandardCharsets.UTF_8)), args));
    } catch (redis.clients.jedis.exceptions.JedisDataException e) {
      throw new ErrorReply(String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      throw new IOException(message(e), null);
    }
  }

  static Object convert(Object reply) {
    if (reply instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    if (reply instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(convert(o));
      }
      return out;
    }
    return reply;
  }

  /** The innermost message of a Jedis failure (never includes what we sent). */
  static String message(Throwable e) {
    Throwable t = e;
    String msg = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        msg = t.getMessage();
      }
    }
    return msg == null ? e.getClass().getSimpleName() : msg;
  }

  @Override
  public void close() {
    try {
      jedis.close();
    } catch (RuntimeException e) {
      // closing a broken connection
    }
  }
}
