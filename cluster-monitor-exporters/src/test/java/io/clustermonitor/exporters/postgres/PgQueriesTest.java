package io.clustermonitor.exporters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PgQueriesTest {
  @Test
  void settingsAreConvertedToSecondsAndBytesAsPostgresExporterDoes() {
    PgQueries.Setting buffers =
        PgQueries.setting(
            "shared_buffers",
            "16384",
            "8kB",
            "Sets the number of shared memory buffers used by the server.",
            "integer");
    assertThat(buffers.name()).isEqualTo("pg_settings_shared_buffers_bytes");
    assertThat(buffers.value()).isEqualTo(134217728.0);
    assertThat(buffers.help())
        .isEqualTo(
            "Sets the number of shared memory buffers used by the server. [Units converted to"
                + " bytes.]");

    assertThat(PgQueries.setting("checkpoint_timeout", "300", "s", "x", "integer").name())
        .isEqualTo("pg_settings_checkpoint_timeout_seconds");
    assertThat(PgQueries.setting("autovacuum_vacuum_cost_delay", "2", "ms", "x", "real").value())
        .isEqualTo(0.002);
    assertThat(PgQueries.setting("log_rotation_age", "1440", "min", "x", "integer").value())
        .isEqualTo(86400.0);
    assertThat(PgQueries.setting("work_mem", "4096", "kB", "x", "integer").value())
        .isEqualTo(4194304.0);
    assertThat(PgQueries.setting("statement_timeout", "-1", "ms", "x", "integer").value())
        .isEqualTo(-1.0);
    assertThat(PgQueries.setting("max_connections", "50", "", "y", "integer").name())
        .isEqualTo("pg_settings_max_connections");
    assertThat(PgQueries.setting("fsync", "on", "", "f", "bool").value()).isEqualTo(1.0);
    assertThat(PgQueries.setting("jit", "off", "", "f", "bool").value()).isZero();
    assertThat(PgQueries.setting("log_file_mode", "0600", "", "m", "integer").value())
        .isEqualTo(600.0);
    assertThat(PgQueries.setting("pg_stat_statements.max", "5000", "", "", "integer").name())
        .isEqualTo("pg_settings_pg_stat_statements_max");
    assertThat(PgQueries.setting("pg_stat_statements.max", "5000", "", "", "integer").help())
        .isEqualTo("Server Parameter: pg_stat_statements.max");
    assertThatThrownBy(() -> PgQueries.setting("x", "1", "parsecs", "", "integer"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theShortVersionIsASemanticVersion() {
    assertThat(
            PgQueries.shortVersion(
                "PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by"
                    + " gcc"))
        .isEqualTo("15.18.0");
    assertThat(PgQueries.shortVersion("PostgreSQL 9.6.24 on x86_64")).isEqualTo("9.6.24");
    assertThat(PgQueries.shortVersion("PostgreSQL 17beta1")).isEqualTo("17.0.0");
  }
}
