package io.clustermonitor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packaged core jar (failsafe runs after {@code package}) declares its JPMS name. */
class ManifestIT {
  @Test
  void theCoreJarHasAnAutomaticModuleName() throws IOException {
    List<Path> jars;
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      jars =
          s.filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith("cluster-monitor-core-")
                        && n.endsWith(".jar")
                        && !n.endsWith("-tests.jar")
                        && !n.endsWith("-sources.jar")
                        && !n.endsWith("-javadoc.jar");
                  })
              .toList();
    }
    assertThat(jars).as("the core jar in target/").hasSize(1);
    try (JarFile jar = new JarFile(jars.get(0).toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("io.clustermonitor.core");
    }
  }
}
