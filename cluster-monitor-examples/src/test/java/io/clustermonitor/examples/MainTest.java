package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void helpListsTheCommands() {
    ApiProxyCommandTest.Run r = ApiProxyCommandTest.run(new Main(), "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("api-proxy", "node-exporter");
  }

  @Test
  void withoutACommandItPrintsUsageAndExits2() {
    ApiProxyCommandTest.Run r = ApiProxyCommandTest.run(new Main());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Missing command", "Usage:");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    ApiProxyCommandTest.Run r = ApiProxyCommandTest.run(new Main(), "rm", "-f");
    assertThat(r.exit()).isEqualTo(2);
  }

  @Test
  void everyCommandHasHelpAndVersion() {
    CommandLine main = new CommandLine(new Main());
    for (String name : main.getSubcommands().keySet()) {
      CommandLine sub = main.getSubcommands().get(name);
      assertThat(sub.getCommandSpec().mixinStandardHelpOptions()).as(name).isTrue();
      assertThat(sub.getCommandSpec().version()).as(name).isNotEmpty();
    }
  }
}
