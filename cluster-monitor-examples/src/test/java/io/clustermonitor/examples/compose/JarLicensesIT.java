package io.clustermonitor.examples.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The shaded cluster-monitor.jar carries our LICENSE and NOTICE, the list of bundled libraries and
 * their own license files (the shade filter used to drop every dependency's).
 */
class JarLicensesIT {

  @Test
  void theJarCarriesOurLicenseAndNoticeAndTheDependenciesLicenses() throws Exception {
    Path jar = LiveMetricNamesIT.jar();
    Path root = ComposeFiles.dir().getParent();
    try (JarFile j = new JarFile(jar.toFile())) {
      assertThat(read(j, "META-INF/LICENSE")).isEqualTo(Files.readString(root.resolve("LICENSE")));
      assertThat(read(j, "META-INF/NOTICE")).isEqualTo(Files.readString(root.resolve("NOTICE")));
      String thirdParty = read(j, "META-INF/THIRD-PARTY.txt");
      assertThat(thirdParty)
          .contains(
              "com.github.docker-java:docker-java-core:jar:",
              "io.prometheus:prometheus-metrics-model:jar:",
              "org.postgresql:postgresql:jar:",
              "redis.clients:jedis:jar:",
              "info.picocli:picocli:jar:")
          .doesNotContain("io.clustermonitor:");
      List<String> licenses =
          j.stream()
              .map(ZipEntry::getName)
              .filter(n -> n.startsWith("META-INF/licenses/") && !n.endsWith("/"))
              .toList();
      assertThat(licenses)
          .contains(
              "META-INF/licenses/jackson-databind-jar/META-INF/LICENSE",
              "META-INF/licenses/jackson-databind-jar/META-INF/NOTICE",
              "META-INF/licenses/httpclient5-jar/META-INF/NOTICE",
              "META-INF/licenses/jna-jar/META-INF/LGPL2.1",
              "META-INF/licenses/postgresql-jar/META-INF/LICENSE",
              "META-INF/licenses/slf4j-api-jar/META-INF/LICENSE.txt");
      assertThat(read(j, "META-INF/licenses/httpclient5-jar/META-INF/NOTICE"))
          .contains("The Apache Software Foundation");
    }
  }

  private static String read(JarFile j, String name) throws Exception {
    ZipEntry e = j.getEntry(name);
    assertThat(e).as(name + " in the jar").isNotNull();
    try (var in = j.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
