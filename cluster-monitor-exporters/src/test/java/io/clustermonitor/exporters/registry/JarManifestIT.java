package io.clustermonitor.exporters.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packaged jar names its JPMS module (failsafe runs after {@code package}). */
class JarManifestIT {
  @Test
  void jarHasTheAutomaticModuleName() throws IOException {
    Path jar;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      jar =
          files
              .filter(
                  p ->
                      p.getFileName().toString().matches("cluster-monitor-exporters-[^-]+.*\\.jar"))
              .filter(p -> !p.getFileName().toString().contains("sources"))
              .filter(p -> !p.getFileName().toString().contains("javadoc"))
              .findFirst()
              .orElseThrow();
    }
    try (JarFile f = new JarFile(jar.toFile())) {
      assertThat(f.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("io.clustermonitor.exporters");
    }
  }
}
