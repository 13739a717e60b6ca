package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The address each command listens on when neither a flag nor a variable names one: the exporter
 * commands every interface on their Go exporter's port, serve and api-proxy loopback only. Nothing
 * is bound here.
 */
class DefaultBindTest {

  @BeforeAll
  static void noListenVariableInThisProcess() {
    // picocli reads ${env:...} defaults from the real environment
    assumeTrue(System.getenv("CM_WEB_LISTEN_ADDRESS") == null, "CM_WEB_LISTEN_ADDRESS is set");
    assumeTrue(System.getenv("CLUSTER_MONITOR_LISTEN") == null, "CLUSTER_MONITOR_LISTEN is set");
  }

  /** An exporter command with its mixin and its {@code --listen} value (read after parsing). */
  record Cmd(String name, Object command, GoWebOptions web, Supplier<String> listen) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> exporters() {
    NodeExporterCommand node = new NodeExporterCommand();
    PostgresExporterCommand pg = new PostgresExporterCommand();
    RedisExporterCommand redis = new RedisExporterCommand();
    ContainerExporterCommand container = new ContainerExporterCommand();
    return Stream.of(
        Arguments.of(new Cmd("node-exporter", node, node.web, () -> node.listen), ":9100"),
        Arguments.of(new Cmd("postgres-exporter", pg, pg.web, () -> pg.listen), ":9187"),
        Arguments.of(new Cmd("redis-exporter", redis, redis.web, () -> redis.listen), ":9121"),
        Arguments.of(
            new Cmd("container-exporter", container, container.web, () -> container.listen),
            ":8080"));
  }

  @ParameterizedTest
  @MethodSource("exporters")
  void exporterCommandsListenOnEveryInterfaceOnTheGoPortByDefault(Cmd cmd, String go) {
    new CommandLine(cmd.command()).parseArgs();
    List<String> listen = cmd.web().resolve(cmd.listen().get(), Map.of()).listen();
    // ":PORT" is the wildcard bind for the server (host null), as Go's net.Listen reads it
    assertThat(listen).containsExactly(go);
  }

  @ParameterizedTest
  @MethodSource("exporters")
  void anExplicitLoopbackAddressStillWins(Cmd cmd, String go) {
    new CommandLine(cmd.command()).parseArgs("--listen", "127.0.0.1" + go);
    assertThat(cmd.web().resolve(cmd.listen().get(), Map.of()).listen())
        .containsExactly("127.0.0.1" + go);
  }

  @Test
  void theGoVariablesStillWinOverTheDefault() {
    PostgresExporterCommand pg = new PostgresExporterCommand();
    new CommandLine(pg).parseArgs();
    assertThat(
            pg.web
                .resolve(pg.listen, Map.of("PG_EXPORTER_WEB_LISTEN_ADDRESS", "127.0.0.1:19187"))
                .listen())
        .containsExactly("127.0.0.1:19187");
    RedisExporterCommand redis = new RedisExporterCommand();
    new CommandLine(redis).parseArgs();
    assertThat(
            redis
                .web
                .resolve(redis.listen, Map.of("REDIS_EXPORTER_WEB_LISTEN_ADDRESS", "[::1]:19121"))
                .listen())
        .containsExactly("[::1]:19121");
  }

  @Test
  void serveAndApiProxyStayOnLoopbackByDefault() {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs();
    assertThat(serve.listen).isEqualTo("127.0.0.1:3001");
    assertThat(ListenAddress.parse(serve.listen).socketAddress().getAddress().isLoopbackAddress())
        .isTrue();
    ApiProxyCommand proxy = new ApiProxyCommand();
    new CommandLine(proxy).parseArgs();
    assertThat(proxy.listen).isEqualTo("127.0.0.1:3001");
    assertThat(ListenAddress.parse(proxy.listen).socketAddress().getAddress().isLoopbackAddress())
        .isTrue();
  }
}
