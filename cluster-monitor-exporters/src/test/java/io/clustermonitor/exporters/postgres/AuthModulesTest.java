package io.clustermonitor.exporters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthModulesTest {
  static final String CONFIG =
      """
      auth_modules:
        foo:
          type: userpass
          userpass:
            username: exporter
            password: s3cret-Auth-pw
          options:
            sslmode: disable
        trust:
          type: userpass
          userpass:
            username: monitor
      """;

  @Test
  void modulesSetUserPasswordAndOptionsAndAPasswordlessModuleIsAllowed() {
    AuthModules m = AuthModules.parse("pg.yml", CONFIG);
    DataSource target = DataSource.parseTarget("db1:5433/app");

    DataSource foo = m.get("foo").orElseThrow().configure(target);
    assertThat(foo.user()).isEqualTo("exporter");
    assertThat(foo.password().reveal()).isEqualTo("s3cret-Auth-pw");
    assertThat(foo.params()).containsEntry("sslmode", "disable");
    assertThat(foo.server()).isEqualTo("db1:5433");
    assertThat(foo.database()).isEqualTo("app");

    DataSource trust = m.get("trust").orElseThrow().configure(target);
    assertThat(trust.user()).isEqualTo("monitor");
    assertThat(trust.password()).isNull();
    assertThat(m.toString()).doesNotContain("s3cret-Auth-pw");
    assertThat(m.names()).containsExactlyInAnyOrder("foo", "trust");
  }

  @Test
  void unknownFieldsAndBadYamlAreRejectedWithoutThePassword() {
    assertThatThrownBy(
            () -> AuthModules.parse("pg.yml", "auth_modules:\n  foo:\n    typo: userpass\n"))
        .hasMessageContaining("unknown field 'typo'")
        .hasMessageContaining("pg.yml");
    assertThatThrownBy(
            () ->
                AuthModules.parse(
                    "pg.yml", "auth_modules:\n  foo:\n    userpass: {password: \"leaky-pw\n"))
        .hasMessageContaining("not valid YAML")
        .hasMessageNotContaining("leaky-pw");
    assertThatThrownBy(() -> AuthModules.parse("pg.yml", "other: 1\n"))
        .hasMessageContaining("unknown field 'other'");
    assertThat(AuthModules.parse("pg.yml", "").names()).isEmpty();
  }

  @Test
  void probeRejectsAMissingTargetABadTargetAndAnUnknownModule() {
    try (PostgresCollector pg = PostgresCollector.builder().build()) {
      var probe = pg.probe(AuthModules.parse("pg.yml", CONFIG));
      assertThatThrownBy(() -> probe.open(Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("target is required");
      assertThatThrownBy(() -> probe.open(Map.of("target", List.of("http://x/"))))
          .hasMessageStartingWith("could not configure dsn for target: ");
      assertThatThrownBy(
              () -> probe.open(Map.of("target", List.of("postgres://u:pw-Hidden@h:1/db x"))))
          .hasMessageNotContaining("pw-Hidden");
      assertThatThrownBy(
              () ->
                  probe.open(Map.of("target", List.of("db:5432"), "auth_module", List.of("nope"))))
          .hasMessage("auth_module nope not found");
      assertThat(
              probe
                  .open(Map.of("target", List.of("db:5432"), "auth_module", List.of("trust")))
                  .collectors())
          .hasSize(1);
    }
  }

  @Test
  void collectorFlagsKnowTheCollectorsOf015() {
    assertThat(PostgresCollector.builder().build().enabledCollectors())
        .containsExactly(
            "database",
            "locks",
            "replication",
            "replication_slot",
            "stat_bgwriter",
            "stat_database",
            "stat_user_tables",
            "statio_user_tables",
            "wal");
    assertThat(
            PostgresCollector.builder()
                .collector("postmaster", true)
                .collector("wal", false)
                .build()
                .enabledCollectors())
        .contains("postmaster")
        .doesNotContain("wal");
    assertThatThrownBy(() -> PostgresCollector.builder().collector("bogus", true))
        .hasMessageContaining("Unknown collector 'bogus'")
        .hasMessageContaining("stat_statements");
  }
}
