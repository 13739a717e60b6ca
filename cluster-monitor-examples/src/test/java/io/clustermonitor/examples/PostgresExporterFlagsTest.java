package io.clustermonitor.examples;

import static io.clustermonitor.examples.ApiProxyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.postgres.PostgresCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * postgres_exporter 0.15's command line (cmd/postgres_exporter/main.go, its collector flags and
 * exporter-toolkit's web and log flags, as {@code ../shared/reference} lists them) is parsed by
 * {@code postgres-exporter} as our own options; {@code --web.systemd-socket} is the one flag taken
 * and ignored with a WARN (see GoCommandLineIT).
 */
class PostgresExporterFlagsTest {
  @Test
  void every015FlagIsOneOfOurOptions() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--web.listen-address=127.0.0.1:0",
                "--web.listen-address=[::1]:0",
                "--web.telemetry-path=/pgm",
                "--web.config.file=web.yml",
                "--log.level=debug",
                "--log.format=json",
                "--config.file=pe.yml",
                "--disable-default-metrics",
                "--disable-settings-metrics",
                "--auto-discover-databases",
                "--exclude-databases=a,b",
                "--include-databases=c",
                "--extend.query-path=q.yaml",
                "--constantLabels=env=prod",
                "--metric-prefix=pgx",
                "--dumpmaps"));
    List<String> negated =
        new ArrayList<>(
            List.of(
                "--no-disable-default-metrics",
                "--no-disable-settings-metrics",
                "--no-auto-discover-databases",
                "--no-dumpmaps"));
    for (String name : PostgresCollector.knownCollectors()) {
      args.add("--collector." + name);
      negated.add("--no-collector." + name);
    }
    PostgresExporterCommand cmd = new PostgresExporterCommand();
    new CommandLine(cmd).parseArgs(args.toArray(String[]::new));

    assertThat(cmd.unmatched).isEmpty();
    assertThat(cmd.dumpMaps).isTrue();
    assertThat(cmd.postgres.disableDefaultMetrics).isTrue();
    assertThat(cmd.postgres.autoDiscoverDatabases).isTrue();
    assertThat(cmd.postgres.metricPrefix).isEqualTo("pgx");
    assertThat(cmd.postgres.collectorFlags()).doesNotContainValue(false);

    // kingpin's negated booleans
    PostgresExporterCommand no = new PostgresExporterCommand();
    new CommandLine(no).parseArgs(negated.toArray(String[]::new));

    assertThat(no.unmatched).isEmpty();
    assertThat(no.dumpMaps).isFalse();
    assertThat(no.postgres.disableDefaultMetrics).isFalse();
    assertThat(no.postgres.disableSettingsMetrics).isFalse();
    assertThat(no.postgres.autoDiscoverDatabases).isFalse();
    assertThat(no.postgres.collectorFlags()).doesNotContainValue(true);
  }

  @Test
  void dumpMapsPrintsTheBuiltinMapsAndExitsWithoutServing() {
    PostgresExporterCommand cmd = new PostgresExporterCommand();
    cmd.env = Map.of();

    ApiProxyCommandTest.Run r = run(cmd, "--dumpmaps", "--listen", "127.0.0.1:0");

    assertThat(r.exit()).isZero();
    assertThat(cmd.server).isNull();
    assertThat(r.out())
        .contains("pg_stat_activity\n")
        .contains("pg_stat_archiver")
        .contains("pg_stat_database_conflicts")
        .containsPattern("\n  count +\\{GAUGE ");
    // 0.15's legacy maps only: these moved to its collector package.
    assertThat(r.out()).doesNotContain("pg_locks\n").doesNotContain("pg_stat_bgwriter");
  }
}
