package io.clustermonitor.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/getting-started.md shows exactly the example that compiles here. */
class GettingStartedDocTest {
  private static final Path SOURCE =
      Path.of("src/test/java/io/clustermonitor/core/docs/GettingStartedExample.java");
  private static final Path DOC = Path.of("../docs/getting-started.md");

  static String between(String text, String start, String end) {
    int s = text.indexOf(start);
    int e = text.indexOf(end, s + 1);
    assertThat(s).as("marker %s", start).isNotNegative();
    assertThat(e).as("marker %s", end).isGreaterThan(s);
    return text.substring(text.indexOf('\n', s) + 1, text.lastIndexOf('\n', e) + 1);
  }

  static String unindent(String block, int spaces) {
    StringBuilder out = new StringBuilder();
    for (String line : block.split("\n", -1)) {
      out.append(line.startsWith(" ".repeat(spaces)) ? line.substring(spaces) : line.strip())
          .append('\n');
    }
    return out.toString().stripTrailing() + "\n";
  }

  @Test
  void theDocumentedExampleIsTheCompiledOne() throws IOException {
    String code =
        unindent(between(Files.readString(SOURCE), "// tag::example[]", "// end::example[]"), 2);
    String doc = Files.readString(DOC);
    String block = between(doc, "<!-- example:start -->", "<!-- example:end -->");

    assertThat(block).isEqualTo("```java\n" + code + "```\n");
  }
}
