package io.clustermonitor.exporters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.postgres.UserQueries.Usage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UserQueriesTest {
  static UserQueries parse(String yaml) {
    return UserQueries.parse(Path.of("q.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theUpstreamFormatIsReadWithMasterCacheSecondsMappingAndOurTimeout() {
    UserQueries q =
        parse(
            """
            pg_repl:
              query: "SELECT 1 AS lag"
              master: true
              cache_seconds: 30
              timeout: 1500ms
              runonserver: ">=10.0.0"
              metrics:
                - lag:
                    usage: "GAUGE"
                    description: "Replication lag"
            app_state:
              query: "SELECT 'x' AS name, 'up' AS state"
              metrics:
                - name: {usage: LABEL, description: "Name"}
                - state:
                    usage: "MAPPEDMETRIC"
                    description: "State"
                    mapping: {up: 1, down: 0}
            """);

    assertThat(q.queries).hasSize(2);
    UserQueries.Query repl = q.queries.get(0);
    assertThat(repl.master()).isTrue();
    assertThat(repl.cacheSeconds()).isEqualTo(30);
    assertThat(repl.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(repl.runOnServer()).isEqualTo(">=10.0.0");
    assertThat(repl.column("lag").usage()).isEqualTo(Usage.GAUGE);
    UserQueries.Query app = q.queries.get(1);
    assertThat(app.master()).isFalse();
    assertThat(app.column("state").mapping()).containsEntry("up", 1.0).containsEntry("down", 0.0);
    assertThat(q.hashsum).hasSize(64);
  }

  @Test
  void aBadFileIsRejectedWithItsNameAndTheProblem() {
    assertThatThrownBy(() -> parse("a: [unclosed"))
        .hasMessageContaining("q.yaml")
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> parse("a:\n  metrics:\n    - x: {usage: GAUGE}\n"))
        .hasMessageContaining("'query' is missing");
    assertThatThrownBy(() -> parse("a:\n  query: SELECT 1\n  metrics:\n    - x: {usage: NUMBER}\n"))
        .hasMessageContaining("unknown usage 'NUMBER'");
    assertThatThrownBy(() -> parse("a:\n  query: SELECT 1\n"))
        .hasMessageContaining("'metrics' must be a non-empty list");
    assertThatThrownBy(
            () -> parse("a:\n  query: SELECT 1\n  metrics:\n    - x: {usage: MAPPEDMETRIC}\n"))
        .hasMessageContaining("MAPPEDMETRIC needs a 'mapping'");
    assertThatThrownBy(
            () ->
                parse(
                    "a:\n  query: SELECT 1\n  cache_seconds: -1\n  metrics:\n    - x: {usage: GAUGE}\n"))
        .hasMessageContaining("cache_seconds");
    assertThatThrownBy(() -> parse("- just\n- a list\n")).hasMessageContaining("expected a map");
    assertThatThrownBy(() -> UserQueries.load(Path.of("/nonexistent/queries.yaml")))
        .hasMessageContaining("/nonexistent/queries.yaml");
  }

  @Test
  void valuesAreConvertedAsGoConvertsThem() {
    assertThat(Legacy.number(null)).isNaN();
    assertThat(Legacy.number(true)).isEqualTo(1);
    assertThat(Legacy.number("12.5")).isEqualTo(12.5);
    assertThat(Legacy.number("abc")).isNaN();
    assertThat(Legacy.number(new java.math.BigDecimal("7"))).isEqualTo(7);
    assertThat(Legacy.number(new Timestamp(1_700_000_000_900L))).isEqualTo(1_700_000_000);
    assertThat(Legacy.text(null)).isEmpty();
    assertThat(Legacy.text(42L)).isEqualTo("42");
    assertThat(Legacy.goDurationMillis("1h2m3.5s")).isEqualTo(3_723_500);
    assertThat(Legacy.goDurationMillis("250ms")).isEqualTo(250);
    assertThat(Legacy.goDurationMillis("-1")).isNaN();
    assertThat(Legacy.goDurationMillis("00:00:01")).isNaN();
  }

  @Test
  void runOnServerRangesAreSemverRanges() {
    assertThat(Legacy.versionMatches("", "15.18.0")).isTrue();
    assertThat(Legacy.versionMatches(">=10.0.0", "15.18.0")).isTrue();
    assertThat(Legacy.versionMatches(">=10.0.0 <15.0.0", "15.18.0")).isFalse();
    assertThat(Legacy.versionMatches("<9.6.0 || >=15.0.0", "15.18.0")).isTrue();
    assertThat(Legacy.versionMatches("=15.18.0", "15.18.0")).isTrue();
    assertThat(Legacy.versionMatches(">16", "15.18.0")).isFalse();
  }
}
