package io.clustermonitor.exporters.redis;

import static io.clustermonitor.exporters.CollectorTestSupport.family;
import static io.clustermonitor.exporters.CollectorTestSupport.text;
import static io.clustermonitor.exporters.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.MetricFamily;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisCollectorTest {
  private static final String SECRET = "s3cr3t-Pa55";

  @TempDir Path dir;
  private FakeRedis server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** Answers AUTH, CONFIG GET, INFO and SLOWLOG with recorded replies; one client at a time. */
  static final class FakeRedis implements AutoCloseable {
    final ServerSocket socket;
    final List<List<String>> commands = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final String password;
    final String info;
    final Thread thread;
    volatile Socket client;

    FakeRedis(String password) throws IOException {
      this.password = password;
      this.info = InfoMapperTest.recorded("info-master.txt");
      this.socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
      this.thread = new Thread(this::serve, "fake-redis");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          client = s;
          connections.incrementAndGet();
          handle(s);
        } catch (IOException e) {
          // next client
        }
      }
    }

    private void handle(Socket s) throws IOException {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      boolean authed = password == null;
      while (true) {
        String head = in.readLine();
        if (head == null) {
          return;
        }
        int n = Integer.parseInt(head.substring(1));
        List<String> args = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          in.readLine();
          args.add(in.readLine());
        }
        commands.add(args);
        String cmd = args.get(0).toUpperCase(java.util.Locale.ROOT);
        String reply;
        if (cmd.equals("AUTH")) {
          authed = args.get(args.size() - 1).equals(password);
          reply =
              authed
                  ? "+OK\r\n"
                  : "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
        } else if (!authed) {
          reply = "-NOAUTH Authentication required.\r\n";
        } else if (cmd.equals("CLIENT")) {
          reply = "+OK\r\n";
        } else if (cmd.equals("CONFIG")) {
          reply = array("databases", "16", "maxclients", "4242", "maxmemory", "1048576");
        } else if (cmd.equals("INFO")) {
          byte[] b = info.getBytes(StandardCharsets.UTF_8);
          reply = "$" + b.length + "\r\n" + info + "\r\n";
        } else if (cmd.equals("SLOWLOG") && args.get(1).equals("LEN")) {
          reply = ":3\r\n";
        } else if (cmd.equals("SLOWLOG")) {
          reply = "*1\r\n*4\r\n:7\r\n:1700000000\r\n:25000\r\n*1\r\n$3\r\nGET\r\n";
        } else {
          reply = "-ERR unknown command\r\n";
        }
        out.write(reply.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }

    private static String array(String... items) {
      StringBuilder sb = new StringBuilder("*" + items.length + "\r\n");
      for (String i : items) {
        sb.append('$').append(i.length()).append("\r\n").append(i).append("\r\n");
      }
      return sb.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      Socket c = client;
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void eachScrapeOpensAuthenticatesNamesAndClosesItsOwnConnection() throws IOException {
    server = new FakeRedis(SECRET);
    try (RedisCollector c =
        RedisCollector.builder()
            .address("redis://127.0.0.1:" + server.port())
            .password(SECRET)
            .build()) {
      c.collect();
      List<MetricFamily> f = c.collect();

      assertThat(value(f, "redis_up")).isEqualTo(1);
      assertThat(value(f, "redis_exporter_last_scrape_error", "err", "")).isZero();
      assertThat(value(f, "redis_exporter_scrapes_total")).isEqualTo(2);
      assertThat(value(f, "redis_config_maxclients")).isEqualTo(4242);
      assertThat(value(f, "redis_config_maxmemory")).isEqualTo(1048576);
      assertThat(value(f, "redis_db_keys", "db", "db3")).isEqualTo(2);
      assertThat(value(f, "redis_slowlog_length")).isEqualTo(3);
      assertThat(value(f, "redis_slowlog_last_id")).isEqualTo(7);
      assertThat(value(f, "redis_last_slow_execution_duration_seconds")).isEqualTo(0.025);
      assertThat(value(f, "redis_exporter_last_scrape_duration_seconds")).isPositive();
      assertThat(server.connections.get()).isEqualTo(2);
      assertThat(server.commands.get(0)).containsExactly("AUTH", SECRET);
      assertThat(server.commands.get(1)).containsExactly("CLIENT", "SETNAME", "redis_exporter");
      assertThat(server.commands).noneMatch(a -> a.contains("SETINFO"));
      assertThat(text(f)).doesNotContain(SECRET);
    }
  }

  @Test
  void aWrongPasswordGivesUpZeroWithoutThePasswordInTheOutput() throws IOException {
    server = new FakeRedis(SECRET);
    String wrong = "wrong-Pa55word";
    try (RedisCollector c =
        RedisCollector.builder()
            .address("redis://127.0.0.1:" + server.port())
            .password(wrong)
            .build()) {
      List<MetricFamily> f = c.collect();

      assertThat(value(f, "redis_up")).isZero();
      MetricFamily err = family(f, "redis_exporter_last_scrape_error");
      assertThat(err.samples().get(0).value()).isEqualTo(1);
      assertThat(err.samples().get(0).labels().get("err")).contains("WRONGPASS");
      assertThat(text(f)).doesNotContain(wrong).doesNotContain(SECRET);
      assertThat(f).noneMatch(m -> m.name().equals("redis_db_keys"));
    }
  }

  @Test
  void anUnreachableServerGivesUpZeroAndRecoversWhenItComesBack() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (RedisCollector c =
        RedisCollector.builder()
            .address("127.0.0.1:" + port)
            .timeout(Duration.ofSeconds(2))
            .build()) {
      List<MetricFamily> down = c.collect();
      assertThat(value(down, "redis_up")).isZero();
      assertThat(family(down, "redis_exporter_last_scrape_error").samples().get(0).labels())
          .containsKey("err");

      server = new FakeRedis(null);
      assertThat(c.address()).isEqualTo("redis://127.0.0.1:" + port);
      RedisCollector up = RedisCollector.builder().address("127.0.0.1:" + server.port()).build();
      assertThat(value(up.collect(), "redis_up")).isEqualTo(1);
      server.close();
      // the fake's accept loop may still be winding down: a later scrape must see it gone
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> value(up.collect(), "redis_up") == 0);
      up.close();
    }
  }

  @Test
  void thePasswordComesFromTheEnvironmentOrAPasswordFile() throws IOException {
    server = new FakeRedis(SECRET);
    String addr = "redis://127.0.0.1:" + server.port();
    Path json = dir.resolve("pw.json");
    Files.writeString(
        json, "{\"redis://other:6379\": \"x\", \"" + addr + "\": \"" + SECRET + "\"}");
    Path bare = dir.resolve("pw.txt");
    Files.writeString(bare, SECRET + "\n");

    for (Map<String, String> env :
        List.of(
            Map.of("REDIS_ADDR", addr, "REDIS_PASSWORD", SECRET),
            Map.of("REDIS_ADDR", addr, "REDIS_PASSWORD_FILE", json.toString()),
            Map.of("REDIS_ADDR", addr, "REDIS_PASSWORD_FILE", bare.toString()))) {
      try (RedisCollector c = RedisCollector.fromEnvironment(env).build()) {
        assertThat(value(c.collect(), "redis_up")).as(env.keySet().toString()).isEqualTo(1);
      }
    }
    try (RedisCollector c =
        RedisCollector.fromEnvironment(
                Map.of("REDIS_ADDR", addr, "REDIS_USER", "default", "REDIS_PASSWORD", SECRET))
            .build()) {
      assertThat(value(c.collect(), "redis_up")).isEqualTo(1);
    }
    assertThat(server.commands).anyMatch(a -> a.equals(List.of("AUTH", "default", SECRET)));
  }

  @Test
  void addressesParseLikeRedisExporter() {
    RedisTarget t = RedisTarget.parse("redis://u:p%40ss@db.local:7000/2");
    assertThat(t.host()).isEqualTo("db.local");
    assertThat(t.port()).isEqualTo(7000);
    assertThat(t.user()).isEqualTo("u");
    assertThat(t.password()).isEqualTo("p@ss");
    assertThat(t.address()).isEqualTo("redis://db.local:7000").doesNotContain("p@ss");
    assertThat(RedisTarget.parse("rediss://h").tls()).isTrue();
    assertThat(RedisTarget.parse("rediss://h").port()).isEqualTo(6379);
    assertThat(RedisTarget.parse("localhost:6380").port()).isEqualTo(6380);
    assertThat(RedisTarget.parse("unix:///run/redis.sock").unixSocket())
        .isEqualTo(Path.of("/run/redis.sock"));
    assertThat(RedisTarget.parse(":secret@h:1").password()).isEqualTo("secret");
  }

  @Test
  void badConfigurationIsRejectedWithoutEchoingSecrets() throws IOException {
    assertThatThrownBy(() -> RedisCollector.builder().address("http://h:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scheme");
    assertThatThrownBy(() -> RedisCollector.builder().address("redis://h:notaport"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisCollector.builder().checkKeys("dbx=a*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dbN=pattern");
    Path notAMap = dir.resolve("list.json");
    Files.writeString(notAMap, "[\"" + SECRET + "\"]");
    assertThatThrownBy(
            () -> RedisCollector.builder().address("redis://h:1").passwordFile(notAMap).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON object")
        .hasMessageNotContaining(SECRET);
    Path numbers = dir.resolve("numbers.json");
    Files.writeString(numbers, "{\"redis://h:1\": 4711}");
    assertThatThrownBy(
            () -> RedisCollector.builder().address("redis://h:1").passwordFile(numbers).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid JSON")
        .hasMessageNotContaining("4711");
    assertThatThrownBy(() -> RedisCollector.builder().address("unix://"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisCollector.builder().timeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    Path badJson = dir.resolve("bad.json");
    Files.writeString(badJson, "{\"redis://h:1\": \"" + SECRET);
    assertThatThrownBy(
            () -> RedisCollector.builder().address("redis://h:1").passwordFile(badJson).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(
            () ->
                RedisCollector.builder()
                    .address("redis://h:1")
                    .passwordFile(dir.resolve("missing"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("password file");
  }

  @Test
  void aServerThatNeverAnswersCostsOnlyTheTimeoutAndGivesUpZero() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        RedisCollector c =
            RedisCollector.builder()
                .address("redis://127.0.0.1:" + silent.getLocalPort())
                .timeout(Duration.ofMillis(300))
                .build()) {
      long start = System.nanoTime();
      List<MetricFamily> f = c.collect();
      long ms = (System.nanoTime() - start) / 1_000_000;

      assertThat(ms).isLessThan(5_000);
      assertThat(value(f, "redis_up")).isZero();
      assertThat(family(f, "redis_exporter_last_scrape_error").samples().get(0).labels().get("err"))
          .contains("timed out");
    }
  }
}
