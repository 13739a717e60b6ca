package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.node.NodeCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
  void mountTimeoutTakesGoDurationsAsNodeExporterDoesAndSecondsAsBefore() {
    assertThat(NodeOptions.mountTimeout("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(NodeOptions.mountTimeout("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(NodeOptions.mountTimeout("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(NodeOptions.mountTimeout("2.5")).isEqualTo(Duration.ofMillis(2500));
    assertThat(NodeOptions.mountTimeout("5")).isEqualTo(Duration.ofSeconds(5));
    // the command line node_exporter users run starts (it used to stop at "5s")
    assertThat(parse("--collector.filesystem.mount-timeout=1s").node.build().collectorNames())
        .contains("filesystem");
    assertThat(parse().node.mountTimeout).isEqualTo("5s");
    for (String bad : new String[] {"0s", "0", "-1s", "abc", "5 s", "1d", ""}) {
      assertThatThrownBy(() -> parse("--collector.filesystem.mount-timeout=" + bad).node.build())
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--collector.filesystem.mount-timeout must be")
          .hasMessageContaining("'" + bad + "'");
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
        .anyMatch(l -> l.startsWith("--collector.perf.tracepoint"))
        .noneMatch(l -> l.startsWith("--collector.cpu.info"))
        .noneMatch(l -> l.startsWith("--collector.netclass.ignored-devices"))
        .noneMatch(l -> l.startsWith("--collector.netdev.netlink"));
  }

  @Test
  void networkOptionFlagsReachTheirCollectors(@TempDir Path dir) throws IOException {
    Path proc = Files.createDirectories(dir.resolve("proc/net"));
    Files.writeString(
        proc.resolve("arp"),
        "IP address       HW type     Flags       HW address            Mask     Device\n"
            + "10.0.0.1         0x1         0x2         aa:bb:cc:dd:ee:01     *        eth0\n"
            + "10.0.1.1         0x1         0x2         aa:bb:cc:dd:ee:02     *        eth1\n");
    Files.writeString(
        proc.resolve("dev"),
        "Inter-|   Receive |  Transmit\n face |bytes packets|bytes packets\n"
            + "    lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
            + "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");
    Files.writeString(proc.resolve("netstat"), "TcpExt: TCPTimeouts\nTcpExt: 4\n");
    Files.writeString(proc.resolve("snmp"), "Tcp: ActiveOpens PassiveOpens\nTcp: 5 6\n");
    Path net = Files.createDirectories(dir.resolve("sys/class/net"));
    for (String dev : List.of("eth0", "lo")) {
      Files.writeString(Files.createDirectories(net.resolve(dev)).resolve("mtu"), "1500\n");
    }
    String[] paths = {"--path.procfs=" + proc.getParent(), "--path.sysfs=" + dir.resolve("sys")};

    List<MetricFamily> defaults = collect(parse(paths));
    assertThat(devices(defaults, "node_arp_entries")).containsExactly("eth0", "eth1");
    assertThat(devices(defaults, "node_network_receive_bytes_total")).containsExactly("lo", "eth0");
    assertThat(devices(defaults, "node_network_mtu_bytes")).containsExactly("eth0", "lo");
    assertThat(defaults)
        .extracting(MetricFamily::name)
        .contains("node_netstat_Tcp_ActiveOpens", "node_netstat_TcpExt_TCPTimeouts");

    NodeExporterCommand cmd =
        parse(
            paths[0],
            paths[1],
            "--collector.arp.device-exclude=^eth1$",
            "--collector.netdev.device-blacklist=^lo$",
            "--collector.netclass.ignored-devices=^lo$",
            "--collector.netstat.fields=^Tcp_PassiveOpens$",
            "--collector.ipvs.backend-labels=proto");
    List<MetricFamily> tuned = collect(cmd);
    assertThat(devices(tuned, "node_arp_entries")).containsExactly("eth0");
    assertThat(devices(tuned, "node_network_receive_bytes_total")).containsExactly("eth0");
    assertThat(devices(tuned, "node_network_mtu_bytes")).containsExactly("eth0");
    assertThat(tuned)
        .extracting(MetricFamily::name)
        .filteredOn(n -> n.startsWith("node_netstat_"))
        .containsExactly("node_netstat_Tcp_PassiveOpens");
    assertThat(flagLines(cmd)).isEmpty();
    assertThat(cmd.node.deprecatedFlags())
        .containsExactly(
            "--collector.netdev.device-blacklist is DEPRECATED and will be removed in 2.0.0, use"
                + " --collector.netdev.device-exclude");
  }

  @Test
  void badNetworkOptionsAreStartupErrorsAsUpstream() {
    assertThatThrownBy(() -> parse("--collector.ipvs.backend-labels=proto,nosuch").node.build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nosuch");
    // only when ipvs runs, as node_exporter validates in the collector's constructor
    assertThat(
            parse("--no-collector.ipvs", "--collector.ipvs.backend-labels=nosuch")
                .node
                .build()
                .collectorNames())
        .doesNotContain("ipvs");
    assertThatThrownBy(
            () ->
                parse(
                        "--collector.netdev.device-whitelist=^eth",
                        "--collector.netdev.device-include=^lo$")
                    .node
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mutually exclusive");
    assertThatThrownBy(
            () ->
                parse(
                        "--collector.netdev.device-include=^e",
                        "--collector.netdev.device-exclude=^l")
                    .node
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mutually exclusive");
  }

  @Test
  void netlinkSwitchesWarnOnlyWhenTrue() {
    NodeExporterCommand off =
        parse(
            "--no-collector.arp.netlink",
            "--no-collector.netdev.netlink",
            "--no-collector.netclass.netlink",
            "--no-collector.netclass_rtnl.with-stats");
    assertThat(flagLines(off)).isEmpty();
    NodeExporterCommand on =
        parse(
            "--collector.arp.netlink",
            "--collector.netdev.netlink",
            "--collector.netclass.netlink",
            "--collector.netclass_rtnl.with-stats");
    assertThat(flagLines(on))
        .hasSize(4)
        .allMatch(l -> l.contains("does not use netlink: it reads /proc and /sys instead"));
  }

  /** The WARN lines about flags (not the one about unimplemented collectors such as timex). */
  private static List<String> flagLines(NodeExporterCommand cmd) {
    return cmd.node.ignoredFlags(cmd.node.build()).stream()
        .filter(l -> l.startsWith("--"))
        .toList();
  }

  private static List<MetricFamily> collect(NodeExporterCommand cmd) {
    return cmd.node.build().collect();
  }

  private static List<String> devices(List<MetricFamily> families, String name) {
    return families.stream()
        .filter(f -> f.name().equals(name))
        .flatMap(f -> f.samples().stream())
        .map(s -> s.labels().get("device"))
        .toList();
  }

  @Test
  void anUnknownCollectorFlagIsStillAnError() {
    // picocli hands unknown flags to @Unmatched; the command rejects them before serving
    NodeExporterCommand cmd = new NodeExporterCommand();
    cmd.env = Map.of();
    ApiProxyCommandTest.Run r =
        ApiProxyCommandTest.run(cmd, "--listen", "127.0.0.1:0", "--collector.nosuchthing");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--collector.nosuchthing'");
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
