package io.clustermonitor.exporters.docs;

import io.clustermonitor.core.docs.JavadocExamplesCheck;
import java.nio.file.Path;
import java.util.List;

/**
 * Every {@code <pre>{@code ...}</pre>} example in this module's public Javadoc is a tagged region
 * of {@link JavadocExamples}, which is compiled with the tests ({@link JavadocExamplesCheck}).
 */
class JavadocExamplesTest extends JavadocExamplesCheck {
  JavadocExamplesTest() {
    super(
        Path.of("src/test/java/io/clustermonitor/exporters/docs/JavadocExamples.java"),
        List.of(
            "io/clustermonitor/exporters/ExporterServer.java",
            "io/clustermonitor/exporters/CollectorBridge.java",
            "io/clustermonitor/exporters/container/ContainerMetrics.java",
            "io/clustermonitor/exporters/node/HostMetrics.java",
            "io/clustermonitor/exporters/postgres/PostgresMetrics.java",
            "io/clustermonitor/exporters/redis/RedisMetrics.java"));
  }
}
