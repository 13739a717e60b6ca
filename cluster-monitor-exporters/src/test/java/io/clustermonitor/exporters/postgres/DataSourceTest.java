package io.clustermonitor.exporters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourceTest {
  @TempDir Path dir;

  @Test
  void aUriDataSourceNameGivesHostPortDatabaseUserPasswordAndParameters() {
    DataSource d = DataSource.parse("postgresql://cm%40x:p%2Fw@db.local:6543/app?sslmode=disable");

    assertThat(d.host()).isEqualTo("db.local");
    assertThat(d.port()).isEqualTo(6543);
    assertThat(d.database()).isEqualTo("app");
    assertThat(d.user()).isEqualTo("cm@x");
    assertThat(d.password().reveal()).isEqualTo("p/w");
    assertThat(d.params()).containsEntry("sslmode", "disable");
    assertThat(d.server()).isEqualTo("db.local:6543");
    assertThat(d.toString()).doesNotContain("p/w");
  }

  @Test
  void aKeyValueDataSourceNameIsParsedWithQuotes() {
    DataSource d =
        DataSource.parse(
            "host=10.0.0.1 port=5433 user=mon password='a b\\'c' dbname=postgres sslmode=require");

    assertThat(d.host()).isEqualTo("10.0.0.1");
    assertThat(d.port()).isEqualTo(5433);
    assertThat(d.password().reveal()).isEqualTo("a b'c");
    assertThat(d.params()).containsEntry("sslmode", "require");
    assertThat(DataSource.parse("user=x").host()).isEqualTo("localhost");
    assertThat(DataSource.parse("user=x").port()).isEqualTo(5432);
  }

  @Test
  void severalCommaSeparatedDataSourceNamesGiveSeveralTargets() {
    List<DataSource> list =
        DataSource.fromEnvironment(
            Map.of(
                "DATA_SOURCE_NAME",
                "postgresql://a:1@h1:5432/x?sslmode=disable,postgresql://b:2@h2:5433/y"));

    assertThat(list).extracting(DataSource::server).containsExactly("h1:5432", "h2:5433");
  }

  @Test
  void uriUserAndPasswordCanComeFromVariablesOrFilesTheFileWinningAsIn015() throws IOException {
    Path pass = dir.resolve("pass");
    Files.writeString(pass, "from-file\n");
    Path user = dir.resolve("user");
    Files.writeString(user, "monitor\n");

    DataSource d =
        DataSource.fromEnvironment(
                Map.of(
                    "DATA_SOURCE_URI", "127.0.0.1:55432/cmtest?sslmode=disable",
                    "DATA_SOURCE_USER_FILE", user.toString(),
                    "DATA_SOURCE_PASS_FILE", pass.toString()))
            .get(0);
    assertThat(d.user()).isEqualTo("monitor");
    assertThat(d.password().reveal()).isEqualTo("from-file");
    assertThat(d.database()).isEqualTo("cmtest");

    DataSource e =
        DataSource.fromEnvironment(
                Map.of(
                    "DATA_SOURCE_URI", "h:1/db",
                    "DATA_SOURCE_USER", "u",
                    "DATA_SOURCE_PASS", "p",
                    "DATA_SOURCE_PASS_FILE", pass.toString()))
            .get(0);
    assertThat(e.password().reveal()).isEqualTo("from-file");
    assertThat(e.user()).isEqualTo("u");
  }

  @Test
  void nothingConfiguredIsTheMultiTargetOnlyMode() {
    assertThat(DataSource.fromEnvironment(Map.of())).isEmpty();
    assertThat(DataSource.fromEnvironment(Map.of("DATA_SOURCE_NAME", ""))).isEmpty();
  }

  @Test
  void probeTargetsAreUrisKeyValuePairsOrBareHostPort() {
    DataSource bare = DataSource.parseTarget("db1.local:6543/app");
    assertThat(bare.server()).isEqualTo("db1.local:6543");
    assertThat(bare.database()).isEqualTo("app");
    assertThat(DataSource.parseTarget("db2:5432").database()).isEqualTo("postgres");
    assertThat(DataSource.parseTarget("127.0.0.1:5/x?sslmode=disable").params())
        .containsEntry("sslmode", "disable");
    assertThat(DataSource.parseTarget("postgres://u:pw@h:7/d").password().reveal()).isEqualTo("pw");
    assertThat(DataSource.parseTarget("host=h port=8 user=u").server()).isEqualTo("h:8");
    assertThatThrownBy(() -> DataSource.parseTarget("http://example.com/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a PostgreSQL DSN");
    assertThatThrownBy(() -> DataSource.parseTarget("a b c"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DataSource.parseTarget("h:notaport/db"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DataSource.parseTarget("   "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badDataSourcesAreRejectedWithoutShowingThePassword() {
    assertThatThrownBy(() -> DataSource.parse("postgresql://u:topsecret@/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> DataSource.parse("postgresql://u:top secret@h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> DataSource.parse("host=h port=abc password=topsecret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> DataSource.parse("just-a-word"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                DataSource.fromEnvironment(
                    Map.of("DATA_SOURCE_URI", "h/db", "DATA_SOURCE_PASS_FILE", "/nonexistent/pw")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DATA_SOURCE_PASS_FILE");
  }
}
