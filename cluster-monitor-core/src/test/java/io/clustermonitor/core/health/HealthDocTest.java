package io.clustermonitor.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/health-checks.md shows the code of ComposeProjectHealthIT; this keeps them identical. */
class HealthDocTest {

  @Test
  void theDocShowsTheExampleThatTheBuildRuns() throws Exception {
    String source =
        Files.readString(
            Path.of("src/test/java/io/clustermonitor/core/health/ComposeProjectHealthIT.java"));
    String example =
        source
            .substring(
                source.indexOf("// --8<-- [start:example]\n")
                    + "// --8<-- [start:example]\n".length(),
                source.indexOf("  // --8<-- [end:example]"))
            .stripTrailing();
    String doc = Files.readString(Path.of("../docs/health-checks.md"));

    assertThat(example).contains("HealthExtension.waitFor").contains("composeProject");
    assertThat(doc).contains(example);
  }
}
