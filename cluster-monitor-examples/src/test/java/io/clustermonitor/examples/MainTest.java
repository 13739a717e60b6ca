package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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

  @Test
  void theOneCommandModelHelpsAndFailsExactlyAsTheFullOne() {
    CommandLine full = new CommandLine(new Main());
    for (String name : full.getSubcommands().keySet()) {
      CommandLine lean = Main.commandLine(name, "--help");
      assertThat(lean.getSubcommands()).as(name).containsOnlyKeys(name);
      assertThat(execute(lean, name, "--help")).as(name).isEqualTo(execute(full, name, "--help"));
      CommandLine lean2 = Main.commandLine(name, "--no-such-flag");
      assertThat(execute(lean2, name, "--no-such-flag"))
          .as(name)
          .isEqualTo(execute(new CommandLine(new Main()), name, "--no-such-flag"));
    }
  }

  @Test
  void withoutAKnownCommandFirstTheFullModelIsBuilt() {
    assertThat(Main.commandLine().getSubcommands()).containsKeys("serve", "api-proxy");
    assertThat(Main.commandLine("--help").getSubcommands()).containsKeys("serve", "status");
    assertThat(Main.commandLine("rm", "serve").getSubcommands()).containsKeys("serve", "health");
  }

  /** Exit code, stdout and stderr of one execution, as one string. */
  private static String execute(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return exit + "\n" + out + "\n--\n" + err;
  }
}
