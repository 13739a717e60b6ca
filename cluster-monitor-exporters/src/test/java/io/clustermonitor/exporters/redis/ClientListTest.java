package io.clustermonitor.exporters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientListTest {
  static final long NOW = 1_800_000_000L;

  @Test
  void aRedis7LineGivesUpstreamsLabelsInOrder() {
    String line =
        "id=14 addr=127.0.0.1:64958 laddr=127.0.0.1:6379 fd=9 name=worker age=5 idle=2 flags=N"
            + " db=3 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=32742 argv-mem=10 multi-mem=0"
            + " obl=0 oll=0 omem=0 tot-mem=61466 events=r cmd=client|list user=default"
            + " redir=-1 resp=2 lib-name= lib-ver=";
    Map<String, String> l = ClientList.parse(line, false, NOW);
    assertThat(l)
        .containsExactly(
            Map.entry("name", "worker"),
            Map.entry("created_at", Long.toString(NOW - 5)),
            Map.entry("idle_since", Long.toString(NOW - 2)),
            Map.entry("flags", "N"),
            Map.entry("db", "3"),
            Map.entry("omem", "0"),
            Map.entry("cmd", "client|list"),
            Map.entry("host", "127.0.0.1"),
            Map.entry("user", "default"),
            Map.entry("resp", "2"));
    assertThat(ClientList.parse(line, true, NOW)).containsEntry("port", "64958");
  }

  @Test
  void ipv6HostsKeepTheirColonsAndOldServersHaveNoUserOrResp() {
    Map<String, String> l =
        ClientList.parse(
            "id=7 addr=fd40:1481:21::6:44426 fd=19 name= age=782 idle=0 flags=N db=0 omem=0"
                + " cmd=get",
            true,
            NOW);
    assertThat(l).containsEntry("host", "fd40:1481:21::6").containsEntry("port", "44426");
    assertThat(l).containsEntry("name", "").doesNotContainKeys("user", "resp");
  }

  @Test
  void linesThatAreNotClientsAreSkipped() {
    assertThat(ClientList.parse("", false, NOW)).isNull();
    assertThat(ClientList.parse("addr=1.2.3.4:5 id=1", false, NOW)).isNull();
    assertThat(ClientList.parse("id=1 addr=1.2.3.4:5 age=x idle=0", false, NOW)).isNull();
    assertThat(ClientList.parse("id=1 addr=1.2.3.4:5 age=1 idle=0 name=a=b", false, NOW)).isNull();
    assertThat(ClientList.parse("id=1 addr=nocolon age=1 idle=0", false, NOW)).isNull();
  }
}
