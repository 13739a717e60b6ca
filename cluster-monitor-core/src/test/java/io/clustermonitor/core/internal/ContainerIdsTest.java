package io.clustermonitor.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerIdsTest {

  @Test
  void acceptsIdsNamesAndALeadingSlash() {
    assertThat(ContainerIds.check("3024d4facaf0")).isEqualTo("3024d4facaf0");
    assertThat(ContainerIds.check("/web-1_a.b")).isEqualTo("web-1_a.b");
    assertThat(ContainerIds.check("a".repeat(64))).hasSize(64);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "/"})
  void blankIsRejected(String value) {
    assertThatThrownBy(() -> ContainerIds.check(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("container id or name");
  }

  @Test
  void nullIsRejected() {
    assertThatThrownBy(() -> ContainerIds.check(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be blank");
  }

  @Test
  void tooLongIsRejected() {
    assertThatThrownBy(() -> ContainerIds.check("a".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc", "a/b", "a b", "x?y=1", "-leading", "é", "a\nb", "%2e%2e"})
  void charactersNoIdOrNameHasAreRejected(String value) {
    assertThatThrownBy(() -> ContainerIds.check(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a container id or name");
  }
}
