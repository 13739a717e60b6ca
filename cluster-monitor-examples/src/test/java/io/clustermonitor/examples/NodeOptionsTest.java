package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.node.NodeCollector;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NodeOptionsTest {

  private static NodeExporterCommand parse(String... args) {
    NodeExporterCommand cmd = new NodeExporterCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd;
  }

  @Test
  void disableDefaultsThenEnableKeepsExactlyTheNamedCollectors() {
    NodeExporterCommand cmd =
        parse("--collector.disable-defaults", "--collector.cpu", "--collector.meminfo");
    assertThat(cmd.node.build().collectorNames()).containsExactly("cpu", "meminfo");
  }

  @Test
  void noCollectorRemovesOnlyThatCollector() {
    List<String> all = parse().node.build().collectorNames();
    List<String> without =
        parse("--no-collector.cpu", "--no-collector.textfile").node.build().collectorNames();
    assertThat(all).contains("cpu", "textfile", "meminfo");
    assertThat(without).doesNotContain("cpu", "textfile");
    assertThat(without).hasSize(all.size() - 2);
  }

  @Test
  void everyGoCollectorNameIsAcceptedAndUnimplementedOnesAreReportedNotRejected() {
    NodeExporterCommand cmd = parse("--collector.wifi", "--no-collector.wifi", "--collector.ntp");
    NodeCollector c = cmd.node.build();
    assertThat(c.unimplemented()).contains("ntp").doesNotContain("wifi");
    assertThat(cmd.node.ignoredFlags(c)).anyMatch(l -> l.startsWith("collector 'ntp'"));
    for (String name : NodeCollector.GO_COLLECTORS.keySet()) {
      parse("--collector." + name, "--no-collector." + name);
    }
  }

  @Test
  void goOptionFlagsAreAcceptedAndTheWiredOnesReachTheCollector() {
    NodeExporterCommand cmd =
        parse(
            "--collector.cpu.info",
            "--no-collector.cpu.guest",
            "--collector.textfile.directory=/tmp/x",
            "--collector.netclass.ignored-devices=^lo$",
            "--collector.perf.tracepoint=a",
            "--collector.perf.tracepoint=b",
            "--no-collector.netdev.netlink",
            "--collector.stat.softirq");
    assertThat(cmd.node.goOptions)
        .containsEntry("cpu.info", "true")
        .containsEntry("cpu.guest", "false")
        .containsEntry("textfile.directory", "/tmp/x")
        .containsEntry("perf.tracepoint", "a\nb")
        .containsEntry("netdev.netlink", "false");
    assertThat(cmd.node.ignoredFlags(cmd.node.build()))
        .anyMatch(l -> l.startsWith("--collector.netclass.ignored-devices"))
        .noneMatch(l -> l.startsWith("--collector.cpu.info"));
  }

  @Test
  void anUnknownCollectorFlagIsStillAnError() {
    assertThatThrownBy(() -> parse("--collector.nosuchthing"))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
  }

  @Test
  void serveAcceptsTheSameGoFlagsThroughTheSharedMixin() {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs("--no-collector.cpu", "--collector.textfile.directory=/tmp/y");
    assertThat(serve.node.toggles).containsEntry("cpu", false);
    assertThat(serve.node.goOptions).containsEntry("textfile.directory", "/tmp/y");
    assertThat(serve.node.build().collectorNames()).doesNotContain("cpu").contains("meminfo");
  }
}
