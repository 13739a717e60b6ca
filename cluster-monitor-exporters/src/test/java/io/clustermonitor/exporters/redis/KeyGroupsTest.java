package io.clustermonitor.exporters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyGroupsTest {
  @Test
  void parseReadsOneCsvRecordTrimsAndDropsEmptyFields() {
    assertThat(KeyGroups.parse(" ^(%a+):, ,^(cm)%-kg ,")).containsExactly("^(%a+):", "^(cm)%-kg");
    assertThat(KeyGroups.parse("\"^(a),(b)\",x")).containsExactly("^(a),(b)", "x");
    assertThat(KeyGroups.parse("\"say \"\"hi\"\"\"")).containsExactly("say \"hi\"");
    assertThat(KeyGroups.parse("")).isEmpty();
    assertThat(KeyGroups.parse(null)).isEmpty();
  }

  @Test
  void badCsvIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> KeyGroups.parse("a\"b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bare '\"'");
    assertThatThrownBy(() -> KeyGroups.parse("\"abc"))
        .hasMessageContaining("unterminated quoted field");
    assertThatThrownBy(() -> KeyGroups.parse("\"a\"b")).hasMessageContaining("extraneous");
  }

  @Test
  void validLuaPatternsPass() {
    for (String p :
        List.of(
            "^(.*)$",
            "^user:(%d+):",
            "[%w_]+",
            "[]]",
            "[^]a]",
            "%bxy",
            "%f[%w]%w+",
            "(a)(b)%1%2",
            "()x",
            "a-b*c+d?",
            "%%",
            "[a-z%-]")) {
      KeyGroups.validate(p);
    }
  }

  @Test
  void malformedLuaPatternsAreRejectedNamingThePatternAndTheProblem() {
    String[][] cases = {
      {"abc%", "ends with '%'"},
      {"[abc", "missing ']'"},
      {"[%", "missing ']'"},
      {"%b(", "missing arguments to '%b'"},
      {"%fx", "missing '[' after '%f'"},
      {"(abc", "unfinished capture"},
      {"abc)", "invalid pattern capture"},
      {"(a)%2", "invalid capture index"},
      {"(a%1)", "invalid capture index"},
      {"%0", "invalid capture index"},
      {"(".repeat(33) + ")".repeat(33), "too many captures"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> KeyGroups.parse("ok," + c[0]))
          .as(c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + c[0] + "'")
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void limitKeepsTheGroupsUsingMostMemoryAndSumsTheRestAsOverflow() {
    List<KeyGroups.Group> groups =
        List.of(
            new KeyGroups.Group("small", 10, 100),
            new KeyGroups.Group("big", 1, 1000),
            new KeyGroups.Group("tieMoreKeys", 5, 500),
            new KeyGroups.Group("tieFewerKeys", 2, 500),
            new KeyGroups.Group("b-tie", 2, 50),
            new KeyGroups.Group("a-tie", 2, 50));
    assertThat(KeyGroups.limit(groups, 6)).isSameAs(groups);
    assertThat(KeyGroups.limit(groups, 2))
        .containsExactly(
            new KeyGroups.Group("big", 1, 1000),
            new KeyGroups.Group("tieFewerKeys", 2, 500),
            new KeyGroups.Group(KeyGroups.OVERFLOW, 19, 700));
    assertThat(KeyGroups.limit(groups, 5))
        .containsExactly(
            new KeyGroups.Group("big", 1, 1000),
            new KeyGroups.Group("tieFewerKeys", 2, 500),
            new KeyGroups.Group("tieMoreKeys", 5, 500),
            new KeyGroups.Group("small", 10, 100),
            new KeyGroups.Group("a-tie", 2, 50),
            new KeyGroups.Group(KeyGroups.OVERFLOW, 2, 50));
    assertThat(KeyGroups.limit(groups, 0))
        .containsExactly(new KeyGroups.Group(KeyGroups.OVERFLOW, 22, 2200));
  }
}
