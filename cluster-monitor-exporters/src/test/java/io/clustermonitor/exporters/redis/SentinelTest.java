package io.clustermonitor.exporters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentinelTest {
  @Test
  void masterLinesSplitIntoFields() {
    assertThat(
            Sentinel.masterFields(
                "name=mymaster,status=odown,address=127.0.0.1:6379,slaves=2,sentinels=3"))
        .containsEntry("name", "mymaster")
        .containsEntry("status", "odown")
        .containsEntry("address", "127.0.0.1:6379")
        .containsEntry("slaves", "2")
        .containsEntry("sentinels", "3");
    assertThat(Sentinel.masterFields("name=a,broken,x=1=2")).containsOnlyKeys("name");
  }

  @Test
  void countersParseAsGoAtoiWithItsErrorIgnored() {
    assertThat(Sentinel.integer("3")).isEqualTo(3);
    assertThat(Sentinel.integer("1.5")).isZero();
    assertThat(Sentinel.integer("")).isZero();
  }

  @Test
  void addressesAreJoinedAsGoJoinHostPort() {
    assertThat(Sentinel.joinHostPort("127.0.0.1", "6379")).isEqualTo("127.0.0.1:6379");
    assertThat(Sentinel.joinHostPort("::1", "6379")).isEqualTo("[::1]:6379");
  }
}
