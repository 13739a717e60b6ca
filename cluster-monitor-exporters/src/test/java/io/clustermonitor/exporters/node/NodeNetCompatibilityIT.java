package io.clustermonitor.exporters.node;

import static io.clustermonitor.exporters.CompatSupport.awaitMetrics;
import static io.clustermonitor.exporters.CompatSupport.freePort;
import static io.clustermonitor.exporters.CompatSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.CompatSupport;
import io.clustermonitor.exporters.CompatSupport.Parsed;
import io.clustermonitor.exporters.CompatSupport.Sample;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The network collectors (arp, bonding, conntrack, fibrechannel, infiniband, ipvs, netclass,
 * netdev, netstat, nfs, nfsd, sockstat, softnet, udp_queues) beside Debian's node_exporter 1.5
 * restricted to the same collectors, on this machine, in one run.
 */
class NodeNetCompatibilityIT {
  static final List<String> COLLECTORS =
      List.of(
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
          "udp_queues");

  /** Families node_exporter 1.7 added to these collectors since 1.5 (docs/metrics.md). */
  static final Set<String> NEW_IN_17 =
      Set.of(
          "node_softnet_backlog_len",
          "node_softnet_cpu_collision_total",
          "node_softnet_received_rps_total",
          "node_softnet_flow_limit_count_total");

  /** Families whose label set changed from 1.5 to 1.7 (netclass added {@code adminstate}). */
  static final Map<String, Set<String>> LABELS_ADDED_IN_17 =
      Map.of("node_network_info", Set.of("adminstate"));

  /** Gauges that do not move on an idle host: equal values expected, series by series. */
  static final List<String> STABLE_PREFIXES =
      List.of(
          "node_network_address_assign_type",
          "node_network_carrier",
          "node_network_device_id",
          "node_network_dormant",
          "node_network_flags",
          "node_network_iface_",
          "node_network_mtu_bytes",
          "node_network_name_assign_type",
          "node_network_net_dev_group",
          "node_network_protocol_type",
          "node_network_speed_bytes",
          "node_network_transmit_queue_length",
          "node_network_up",
          "node_network_info",
          "node_network_address_info",
          "node_nf_conntrack_entries_limit",
          "node_arp_entries",
          "node_netstat_Ip_Forwarding",
          "node_scrape_collector_success",
          "node_sockstat_FRAG",
          "node_sockstat_RAW");

  static CompatSupport.Started reference;
  static String referenceUrl;
  static NodeCollector ours;

  @BeforeAll
  static void startReference() throws Exception {
    int port = freePort();
    referenceUrl = "http://127.0.0.1:" + port + "/metrics";
    List<String> cmd = new ArrayList<>();
    cmd.add("/usr/bin/prometheus-node-exporter");
    cmd.add("--web.listen-address=127.0.0.1:" + port);
    cmd.add("--collector.disable-defaults");
    // Debian's package excludes ^lo$ from netdev; upstream 1.5 and 1.7 exclude nothing
    cmd.add("--collector.netdev.device-exclude=");
    cmd.add("--collector.netdev.address-info");
    for (String c : COLLECTORS) {
      cmd.add("--collector." + c);
    }
    reference = CompatSupport.start(Map.of(), cmd.toArray(new String[0]));
    awaitMetrics(referenceUrl);
    ours = NodeCollector.create();
  }

  @AfterAll
  static void stopReference() {
    if (reference != null) {
      reference.close();
    }
  }

  static Map<String, Parsed> theirs() throws Exception {
    Map<String, Parsed> all = parse(awaitMetrics(referenceUrl));
    Map<String, Parsed> out = new TreeMap<>();
    all.forEach(
        (k, v) -> {
          if (k.startsWith("node_") && !k.equals("node_exporter_build_info")) {
            out.put(k, v);
          }
        });
    return out;
  }

  static Map<String, Parsed> mine() {
    List<MetricFamily> families = new ArrayList<>();
    for (MetricFamily f : ours.collect()) {
      if (f.name().startsWith("node_scrape_collector_")) {
        List<MetricFamily.Sample> keep =
            f.samples().stream()
                .filter(s -> COLLECTORS.contains(s.labels().get("collector")))
                .toList();
        families.add(new MetricFamily(f.name(), f.help(), f.type(), keep));
      } else if (ownedByNetCollectors(f.name())) {
        families.add(f);
      }
    }
    try {
      // the reference runs with --collector.netdev.address-info; ours is off by default
      families.add(NetdevCollector.addressInfo());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new TreeMap<>(parse(CollectorTestKit.render(families)));
  }

  static boolean ownedByNetCollectors(String name) {
    for (String p :
        List.of(
            "node_arp_",
            "node_bonding_",
            "node_nf_conntrack_",
            "node_fibrechannel_",
            "node_infiniband_",
            "node_ipvs_",
            "node_network_",
            "node_netstat_",
            "node_nfs_",
            "node_nfsd_",
            "node_sockstat_",
            "node_softnet_",
            "node_udp_queues")) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void sameFamiliesTypesLabelsAndSeriesCounts() throws Exception {
    Map<String, Parsed> theirs = theirs();
    Map<String, Parsed> mine = mine();

    Set<String> expected = new TreeSet<>(theirs.keySet());
    expected.addAll(NEW_IN_17);
    expected.removeIf(
        n -> n.startsWith("node_softnet_") && !theirs.containsKey("node_softnet_processed_total"));
    assertThat(mine.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    List<String> diffs = new ArrayList<>();
    for (String name : theirs.keySet()) {
      Parsed o = mine.get(name);
      Parsed t = theirs.get(name);
      if (!o.type().equals(t.type())) {
        diffs.add(name + ": type " + o.type() + " vs " + t.type());
      }
      Set<String> labels = new TreeSet<>(o.labelNames());
      labels.removeAll(LABELS_ADDED_IN_17.getOrDefault(name, Set.of()));
      if (!labels.equals(t.labelNames())) {
        diffs.add(name + ": labels " + o.labelNames() + " vs " + t.labelNames());
      }
      if (o.samples().size() != t.samples().size()) {
        diffs.add(name + ": " + o.samples().size() + " series vs " + t.samples().size());
      }
    }
    assertThat(diffs).isEmpty();
  }

  @Test
  void stableGaugesAreEqual() throws Exception {
    Map<String, Parsed> theirs = theirs();
    Map<String, Parsed> mine = mine();

    List<String> diffs = new ArrayList<>();
    int compared = 0;
    for (String name : theirs.keySet()) {
      if (STABLE_PREFIXES.stream().noneMatch(name::startsWith)) {
        continue;
      }
      Set<String> dropped = LABELS_ADDED_IN_17.getOrDefault(name, Set.of());
      Map<Map<String, String>, Double> o = byLabels(mine.get(name), dropped);
      Map<Map<String, String>, Double> t = byLabels(theirs.get(name), Set.of());
      if (!o.equals(t)) {
        diffs.add(name + ": ours " + o + " vs reference " + t);
      }
      compared += t.size();
    }
    assertThat(diffs).isEmpty();
    assertThat(compared).isGreaterThan(20);
  }

  @Test
  void counterRatesAgreeWithinFivePercent() throws Exception {
    List<String> counters =
        List.of(
            "node_network_receive_bytes_total",
            "node_network_transmit_bytes_total",
            "node_network_receive_packets_total",
            "node_network_transmit_packets_total");
    try (LoopbackLoad load = new LoopbackLoad()) {
      load.start();
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                Map<String, Parsed> t0 = theirs();
                long tt0 = System.nanoTime();
                Map<String, Parsed> o0 = mine();
                long to0 = System.nanoTime();
                Thread.sleep(3000);
                Map<String, Parsed> t1 = theirs();
                long tt1 = System.nanoTime();
                Map<String, Parsed> o1 = mine();
                long to1 = System.nanoTime();
                for (String c : counters) {
                  double theirRate =
                      (value(t1, c, "lo") - value(t0, c, "lo")) / ((tt1 - tt0) / 1e9);
                  double ourRate = (value(o1, c, "lo") - value(o0, c, "lo")) / ((to1 - to0) / 1e9);
                  assertThat(theirRate).as(c).isPositive();
                  assertThat(ourRate)
                      .as(c + " ours " + ourRate + " vs " + theirRate)
                      .isBetween(theirRate * 0.95, theirRate * 1.05);
                }
              });
    }
  }

  private static double value(Map<String, Parsed> f, String name, String device) {
    return f.get(name).samples().stream()
        .filter(s -> device.equals(s.labels().get("device")))
        .findFirst()
        .orElseThrow()
        .value();
  }

  private static Map<Map<String, String>, Double> byLabels(Parsed p, Set<String> dropped) {
    Map<Map<String, String>, Double> out = new HashMap<>();
    for (Sample s : p.samples()) {
      Map<String, String> l = new TreeMap<>(s.labels());
      l.keySet().removeAll(dropped);
      out.put(l, s.value());
    }
    return out;
  }

  /** A steady stream of bytes through a loopback TCP connection, bounded in time and volume. */
  static final class LoopbackLoad implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ServerSocket server;
    private Thread writer;
    private Thread reader;

    LoopbackLoad() throws IOException {
      server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    void start() {
      reader =
          new Thread(
              () -> {
                try (Socket s = server.accept();
                    InputStream in = s.getInputStream()) {
                  byte[] buf = new byte[65536];
                  while (in.read(buf) >= 0) {
                    // drain
                  }
                } catch (IOException e) {
                  // closed
                }
              },
              "loopback-load-reader");
      writer =
          new Thread(
              () -> {
                long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                try (Socket s =
                        new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    OutputStream out = s.getOutputStream()) {
                  byte[] chunk = new byte[16 * 1024];
                  for (int i = 0; i < 200_000 && !stop.get() && System.nanoTime() < end; i++) {
                    out.write(chunk);
                    Thread.sleep(2);
                  }
                } catch (IOException e) {
                  // closed
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "loopback-load-writer");
      reader.setDaemon(true);
      writer.setDaemon(true);
      reader.start();
      writer.start();
    }

    @Override
    public void close() throws IOException {
      stop.set(true);
      try {
        if (writer != null) {
          writer.join(10_000);
        }
        server.close();
        if (reader != null) {
          reader.join(10_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
