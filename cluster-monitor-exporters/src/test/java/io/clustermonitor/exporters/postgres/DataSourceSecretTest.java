package io.clustermonitor.exporters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.Secret;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The password of a {@link DataSource} never prints, compares or hashes by its value. */
class DataSourceSecretTest {
  private static final String PW = "s3cr3t-Pg-pw";

  @Test
  void secretNeverShowsOrComparesItsValue() {
    Secret a = Secret.of(PW);
    Secret b = Secret.of(PW);
    assertThat(a.toString()).isEqualTo("******").doesNotContain(PW);
    assertThat(a).isNotEqualTo(b).isEqualTo(a);
    assertThat(a.hashCode()).isNotEqualTo(PW.hashCode());
    assertThat(a.reveal()).isEqualTo(PW);
    assertThat(Secret.of("").isEmpty()).isTrue();
    assertThatThrownBy(() -> Secret.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("secret value");
  }

  @Test
  void dataSourceHidesThePasswordInEveryPublicView() {
    DataSource d = DataSource.parse("postgresql://monitor:" + PW + "@db:5432/app?sslmode=disable");
    assertThat(d.toString()).doesNotContain(PW);
    assertThat(d.password().toString()).doesNotContain(PW);
    assertThat(String.valueOf(d.password())).isEqualTo("******");
    assertThat(d.password().reveal()).isEqualTo(PW);

    // equals/hashCode look only at whether a password is set, never at its value
    DataSource other = d.withCredentials(null, "another-password");
    assertThat(other).isEqualTo(d).hasSameHashCodeAs(d);
    DataSource none = d.withPassword(null);
    assertThat(none).isNotEqualTo(d);
    assertThat(d.hashCode())
        .isEqualTo(
            DataSource.of("db", 5432, "app", "monitor", "x", Map.of("sslmode", "disable"))
                .hashCode());
    assertThat(d.withDatabase("other")).isNotEqualTo(d);
  }
}
