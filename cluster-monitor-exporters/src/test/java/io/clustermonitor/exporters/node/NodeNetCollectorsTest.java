package io.clustermonitor.exporters.node;

import static io.clustermonitor.exporters.CollectorTestSupport.family;
import static io.clustermonitor.exporters.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The network collectors on file trees under src/test/resources/node-net: procfs and sysfs recorded
 * on the test machine (net/*, sys/class/net, conntrack), and written from the kernel's documented
 * formats where the machine has none (bonding, fc_host, infiniband, ip_vs, rpc/nfs, rpc/nfsd). Each
 * collector's exposition is compared with node-net/golden/&lt;name&gt;.prom.
 */
class NodeNetCollectorsTest {
  @TempDir Path tmp;

  static Path root() {
    try {
      return Path.of(NodeNetCollectorsTest.class.getResource("/node-net").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static HostPaths recorded() {
    return new HostPaths(root().resolve("proc"), root().resolve("sys"), root());
  }

  static SubCollector collector(String name) {
    HostPaths p = recorded();
    return switch (name) {
      case "arp" -> new ArpCollector(p, "", "");
      case "bonding" ->
          new BondingCollector(new HostPaths(p.procfs(), root().resolve("bonding/sys"), root()));
      case "conntrack" -> new ConntrackCollector(p);
      case "fibrechannel" -> new FibrechannelCollector(p);
      case "infiniband" -> new InfinibandCollector(p);
      case "ipvs" -> new IpvsCollector(p, IpvsCollector.DEFAULT_BACKEND_LABELS);
      case "netclass" -> new NetclassCollector(p, NetclassCollector.DEFAULT_IGNORED_DEVICES, false);
      case "netdev" -> new NetdevCollector(p);
      case "netstat" -> new NetstatCollector(p, NetstatCollector.DEFAULT_FIELDS);
      case "nfs" -> new NfsCollector(p);
      case "nfsd" -> new NfsdCollector(p);
      case "sockstat" -> new SockstatCollector(p, 4096);
      case "softnet" -> new SoftnetCollector(p);
      case "udp_queues" -> new UdpQueuesCollector(p);
      default -> throw new IllegalArgumentException(name);
    };
  }

  static List<MetricFamily> collect(SubCollector c) throws Exception {
    List<MetricFamily> out = new ArrayList<>();
    c.collect(out);
    return out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arp",
        "bonding",
        "conntrack",
        "fibrechannel",
        "infiniband",
        "ipvs",
        "netclass",
        "netdev",
        "netstat",
        "nfs",
        "nfsd",
        "sockstat",
        "softnet",
        "udp_queues"
      })
  void expositionMatchesTheGoldenText(String name) throws Exception {
    SubCollector c = collector(name);
    assertThat(c.name()).isEqualTo(name);
    List<MetricFamily> families = collect(c);

    CollectorTestKit.assertValid(families);
    String golden =
        Files.readString(root().resolve("golden/" + name + ".prom"), StandardCharsets.UTF_8);
    CollectorTestKit.assertGolden(golden, CollectorTestKit.render(families));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arp",
        "bonding",
        "conntrack",
        "fibrechannel",
        "infiniband",
        "ipvs",
        "netclass",
        "netstat",
        "nfs",
        "nfsd",
        "softnet",
        "udp_queues"
      })
  void aHostWithoutTheFilesGetsNoFamiliesAndAFailure(String name) throws IOException {
    HostPaths empty =
        new HostPaths(
            Files.createDirectories(tmp.resolve("proc")),
            Files.createDirectories(tmp.resolve("sys")),
            tmp);
    NodeCollector node =
        NodeCollector.builder().procfs(empty.procfs()).sysfs(empty.sysfs()).build();

    List<MetricFamily> f = node.collect();

    assertThat(value(f, "node_scrape_collector_success", "collector", name)).isZero();
    List<MetricFamily> own = new ArrayList<>();
    // node_exporter's ErrNoData (success 0, logged at debug) for optional hardware and modules;
    // a real error for files every Linux kernel has
    Class<? extends Exception> expected =
        Set.of("arp", "netstat", "softnet").contains(name)
            ? IOException.class
            : NoDataException.class;
    assertThatThrownBy(() -> collector(name, empty).collect(own)).isInstanceOf(expected);
    assertThat(own).isEmpty();
  }

  static SubCollector collector(String name, HostPaths p) {
    return switch (name) {
      case "arp" -> new ArpCollector(p, "", "");
      case "bonding" -> new BondingCollector(p);
      case "conntrack" -> new ConntrackCollector(p);
      case "fibrechannel" -> new FibrechannelCollector(p);
      case "infiniband" -> new InfinibandCollector(p);
      case "ipvs" -> new IpvsCollector(p, IpvsCollector.DEFAULT_BACKEND_LABELS);
      case "netclass" -> new NetclassCollector(p, "^$", false);
      case "netstat" -> new NetstatCollector(p, NetstatCollector.DEFAULT_FIELDS);
      case "nfs" -> new NfsCollector(p);
      case "nfsd" -> new NfsdCollector(p);
      case "softnet" -> new SoftnetCollector(p);
      case "udp_queues" -> new UdpQueuesCollector(p);
      default -> throw new IllegalArgumentException(name);
    };
  }

  @Test
  void ipvsDecodesHexAddressesAndSumsBackendsByTheChosenLabels() throws Exception {
    List<MetricFamily> full = collect(collector("ipvs"));
    assertThat(value(full, "node_ipvs_incoming_bytes_total")).isEqualTo(0x51D8C8883AB3L);
    assertThat(
            value(
                full,
                "node_ipvs_backend_connections_active",
                "local_address",
                "192.168.0.22",
                "remote_address",
                "192.168.82.22",
                "local_port",
                "3306"))
        .isEqualTo(248);
    assertThat(value(full, "node_ipvs_backend_weight", "local_address", "2620::1", "proto", "TCP"))
        .isEqualTo(1);

    List<MetricFamily> byProto = collect(new IpvsCollector(recorded(), "proto,local_address"));
    MetricFamily active = family(byProto, "node_ipvs_backend_connections_active");
    assertThat(active.samples().get(0).labels()).containsOnlyKeys("local_address", "proto");
    assertThat(
            value(byProto, "node_ipvs_backend_connections_active", "local_address", "192.168.0.22"))
        .isEqualTo(496);
    assertThat(value(byProto, "node_ipvs_backend_connections_inactive", "proto", "FWM"))
        .isEqualTo(1);
    assertThatThrownBy(() -> new IpvsCollector(recorded(), "proto,bogus"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bogus");
  }

  @Test
  void netclassSkipsIgnoredDevicesAndInvalidSpeedOnRequest() throws Exception {
    List<MetricFamily> f = collect(new NetclassCollector(recorded(), "^lo$", true));

    assertThat(family(f, "node_network_up").samples())
        .extracting(s -> s.labels().get("device"))
        .containsExactly("eth0", "ifb0");
    assertThat(f).noneMatch(m -> m.name().equals("node_network_speed_bytes"));
    assertThat(family(f, "node_network_carrier_changes_total").type())
        .isEqualTo(MetricType.COUNTER);
    assertThat(NetclassCollector.integer("0x1003")).isEqualTo(4099);
    assertThat(NetclassCollector.integer("-1")).isEqualTo(-1);
    assertThat(NetclassCollector.integer("n/a")).isNull();
  }

  @Test
  void deviceFiltersOfArpAndNetdevFollowNodeExporter() throws Exception {
    assertThat(collect(new ArpCollector(recorded(), "^eth", ""))).isEmpty();
    assertThat(collect(new ArpCollector(recorded(), "", "^eth0$"))).hasSize(1);
    List<MetricFamily> netdev = collect(new NetdevCollector(recorded(), "^lo$", ""));
    assertThat(family(netdev, "node_network_receive_bytes_total").samples())
        .extracting(s -> s.labels().get("device"))
        .containsExactly("ifb0", "eth0");
    List<MetricFamily> only = collect(new NetdevCollector(recorded(), "", "^e"));
    assertThat(family(only, "node_network_receive_bytes_total").samples()).hasSize(1);
    assertThatThrownBy(() -> new NetdevCollector(recorded(), "a", "b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void detailedNetdevMetricsUseTheNetlinkNamesFromSysfs() throws Exception {
    List<MetricFamily> f = collect(new NetdevCollector(recorded(), "", "^eth0$", false, true));

    assertThat(f).hasSize(24);
    assertThat(f).noneMatch(m -> m.name().equals("node_network_receive_errs_total"));
    assertThat(value(f, "node_network_receive_bytes_total", "device", "eth0"))
        .isEqualTo(
            Double.parseDouble(
                HostPaths.text(root().resolve("sys/class/net/eth0/statistics/rx_bytes"))));
    assertThat(family(f, "node_network_receive_missed_errors_total").help())
        .isEqualTo("Network device statistic receive_missed_errors.");
    assertThat(f).anyMatch(m -> m.name().equals("node_network_collisions_total"));
  }

  @Test
  void addressInfoFormatsAddressesAsGo() throws Exception {
    assertThat(NetdevCollector.format(java.net.InetAddress.getByName("fe80:0:0:0:0:0:0:1%1")))
        .isEqualTo("fe80::1");
    assertThat(NetdevCollector.format(java.net.InetAddress.getByName("2001:db8:0:1:0:0:0:0")))
        .isEqualTo("2001:db8:0:1::");
    assertThat(NetdevCollector.scope(java.net.InetAddress.getByName("127.0.0.1")))
        .isEqualTo("link-local");
    assertThat(NetdevCollector.scope(java.net.InetAddress.getByName("10.1.2.3")))
        .isEqualTo("global");
    assertThat(NetdevCollector.scope(java.net.InetAddress.getByName("ff01::1")))
        .isEqualTo("interface-local");
    List<MetricFamily> f = collect(new NetdevCollector(recorded(), "", "", true, false));
    assertThat(family(f, "node_network_address_info").samples())
        .anySatisfy(
            s ->
                assertThat(s.labels())
                    .containsEntry("address", "127.0.0.1")
                    .containsEntry("netmask", "8")
                    .containsEntry("scope", "link-local"));
  }

  @Test
  void netstatFieldsSelectWhatIsReported() throws Exception {
    List<MetricFamily> f = collect(new NetstatCollector(recorded(), "^Tcp_MaxConn$"));

    assertThat(f).extracting(MetricFamily::name).containsExactly("node_netstat_Tcp_MaxConn");
    assertThat(f.get(0).samples().get(0).value()).isEqualTo(-1);
    assertThat(f.get(0).help()).isEqualTo("Statistic TcpMaxConn.");
    assertThat(f.get(0).type()).isEqualTo(MetricType.UNTYPED);
  }

  @Test
  void conntrackSumsPerCpuHexCounters() throws Exception {
    Files.createDirectories(tmp.resolve("proc/sys/net/netfilter"));
    Path proc = tmp.resolve("proc");
    Files.writeString(proc.resolve("sys/net/netfilter/nf_conntrack_count"), "7\n");
    Files.writeString(proc.resolve("sys/net/netfilter/nf_conntrack_max"), "65536\n");
    Files.createDirectories(proc.resolve("net/stat"));
    String header =
        "entries  clashres found new invalid ignore delete chainlength insert insert_failed drop"
            + " early_drop icmp_error  expect_new expect_create expect_delete search_restart\n";
    String cpu0 =
        "00000007 0 0000000a 0 00000001 00000002 0 0 00000003 0 00000004 0 0 0 0 0 00000010\n";
    String cpu1 =
        "00000007 0 00000001 0 00000001 00000000 0 0 00000000 1 00000000 5 0 0 0 0 00000001\n";
    Files.writeString(proc.resolve("net/stat/nf_conntrack"), header + cpu0 + cpu1);

    List<MetricFamily> f =
        collect(new ConntrackCollector(new HostPaths(proc, tmp.resolve("sys"), tmp)));

    assertThat(value(f, "node_nf_conntrack_entries")).isEqualTo(7);
    assertThat(value(f, "node_nf_conntrack_entries_limit")).isEqualTo(65536);
    assertThat(value(f, "node_nf_conntrack_stat_found")).isEqualTo(11);
    assertThat(value(f, "node_nf_conntrack_stat_invalid")).isEqualTo(2);
    assertThat(value(f, "node_nf_conntrack_stat_insert_failed")).isEqualTo(1);
    assertThat(value(f, "node_nf_conntrack_stat_early_drop")).isEqualTo(5);
    assertThat(value(f, "node_nf_conntrack_stat_search_restart")).isEqualTo(17);
  }

  @Test
  void sockstatMemBytesUsesThePageSize() throws Exception {
    List<MetricFamily> f = collect(new SockstatCollector(recorded(), 16384));

    double pages = value(f, "node_sockstat_TCP_mem");
    assertThat(value(f, "node_sockstat_TCP_mem_bytes")).isEqualTo(pages * 16384);
    assertThat(family(f, "node_sockstat_sockets_used").help())
        .isEqualTo("Number of IPv4 sockets in use.");
    assertThat(PageSize.read(tmp.resolve("none"))).isEqualTo(4096);
    Path smaps = tmp.resolve("smaps");
    Files.writeString(smaps, "Size: 4 kB\nKernelPageSize:       64 kB\n");
    assertThat(PageSize.read(smaps)).isEqualTo(65536);
  }

  @Test
  void softnetOnAnOldKernelNumbersCpusByLine() throws Exception {
    Path proc = Files.createDirectories(tmp.resolve("proc/net")).getParent();
    Files.writeString(
        proc.resolve("net/softnet_stat"),
        "00000010 00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000003\n"
            + "00000020 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000"
            + " 00000004 00000005\n");

    List<MetricFamily> f = collect(new SoftnetCollector(new HostPaths(proc, tmp, tmp)));

    assertThat(value(f, "node_softnet_processed_total", "cpu", "0")).isEqualTo(16);
    assertThat(value(f, "node_softnet_cpu_collision_total", "cpu", "0")).isEqualTo(3);
    assertThat(value(f, "node_softnet_received_rps_total", "cpu", "1")).isEqualTo(4);
    assertThat(value(f, "node_softnet_flow_limit_count_total", "cpu", "1")).isEqualTo(5);
    assertThat(value(f, "node_softnet_backlog_len", "cpu", "1")).isZero();
  }

  @Test
  void sysctlFilesAreReadWhole() throws Exception {
    // procfs reports size 0; a single-byte first read would see only "2" of "262144"
    assertThat(HostPaths.text(root().resolve("proc/sys/net/netfilter/nf_conntrack_max")))
        .isEqualTo("262144");
  }
}
