package io.clustermonitor.exporters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuaScriptsTest {
  @TempDir Path dir;

  @Test
  void loadReadsEveryCommaSeparatedFileKeyedByTheNameAsGiven() throws Exception {
    Path a = Files.writeString(dir.resolve("a.lua"), "return {'x','1'}");
    Path b = Files.writeString(dir.resolve("b.lua"), "return {}");
    Map<String, String> s = LuaScripts.load(a + ", " + b + ",");
    assertThat(s.keySet()).containsExactly(a.toString(), b.toString());
    assertThat(s.get(a.toString())).isEqualTo("return {'x','1'}");
    assertThat(LuaScripts.load("")).isEmpty();
    assertThat(LuaScripts.load(null)).isEmpty();
  }

  @Test
  void anUnreadableFileIsAClearError() throws Exception {
    Path missing = dir.resolve("missing.lua");
    assertThatThrownBy(() -> LuaScripts.load(missing.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read -script file '" + missing + "': no such file");
    assertThatThrownBy(() -> LuaScripts.load(dir.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read -script file '" + dir + "': ");
  }

  @Test
  void valuesAreNamePairsOfNumbersAsStrings() {
    assertThat(LuaScripts.values(List.of("a", "5", "b", "2.5", "c", "-1e3")))
        .containsExactly(Map.entry("a", 5.0), Map.entry("b", 2.5), Map.entry("c", -1000.0));
    assertThat(LuaScripts.values(List.of())).isEmpty();
    assertThat(LuaScripts.values(null)).isEmpty();
  }

  @Test
  void repliesThatAreNotEvenStringArraysOfNumbersAreRejected() {
    assertThatThrownBy(() -> LuaScripts.values(7L)).hasMessageContaining("must return an array");
    assertThatThrownBy(() -> LuaScripts.values(List.of("a"))).hasMessageContaining("even number");
    assertThatThrownBy(() -> LuaScripts.values(Arrays.asList("a", 5L)))
        .hasMessageContaining("must be strings");
    assertThatThrownBy(() -> LuaScripts.values(List.of("a", "five")))
        .hasMessageContaining("value of 'a' is not a number: 'five'");
  }
}
