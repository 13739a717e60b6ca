package io.clustermonitor.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@code <pre>{@code ...}</pre>} example in this module's public Javadoc is a tagged region
 * of {@link JavadocExamples}, which is compiled with the tests ({@link JavadocExamplesCheck}).
 */
class JavadocExamplesTest extends JavadocExamplesCheck {
  JavadocExamplesTest() {
    super(
        Path.of("src/test/java/io/clustermonitor/core/docs/JavadocExamples.java"),
        List.of(
            "io/clustermonitor/core/DockerMonitor.java",
            "io/clustermonitor/core/DockerEndpoint.java",
            "io/clustermonitor/core/stats/StatsEngine.java",
            "io/clustermonitor/core/health/HealthChecks.java",
            "io/clustermonitor/core/health/junit/HealthExtension.java",
            "io/clustermonitor/core/cluster/ClusterMonitor.java"));
  }

  @Test
  void extractionReadsBlocksAndRegionsAsWritten() {
    String javadoc =
        String.join(
            "\n",
            "/**",
            " * Text.",
            " *",
            " * <pre>{@code",
            " * &#64;Anno",
            " * if (a) {",
            " *",
            " *   b();",
            " * }",
            " * }</pre>",
            " */");
    List<Block> found = blocks(Path.of("x/Foo.java"), javadoc);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).tag()).isEqualTo("Foo");
    assertThat(found.get(0).line()).isEqualTo(4);
    assertThat(found.get(0).text()).isEqualTo("@Anno\nif (a) {\n\n  b();\n}\n");

    String source =
        String.join(
            "\n",
            "  void m() {",
            "    // tag::Foo[]",
            "    if (a) {",
            "",
            "      b();",
            "    }",
            "    // end::Foo[]",
            "  }");
    assertThat(regions(source)).containsExactly(Map.entry("Foo", "if (a) {\n\n  b();\n}\n"));
  }
}
