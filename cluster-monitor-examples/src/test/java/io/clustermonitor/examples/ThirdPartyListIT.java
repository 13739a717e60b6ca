package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Each runnable jar lists, in {@code META-INF/THIRD-PARTY.txt}, exactly the artifacts it bundles
 * (every listed artifact's content is in the jar, every bundled artifact's Maven metadata is
 * listed) and keeps license folders only of artifacts it lists: the exporters jar leaves out the
 * Docker side, and its list and license folders say so.
 */
class ThirdPartyListIT {
  private static final Path TARGET = Path.of("target");
  private static final Pattern LISTED =
      Pattern.compile("^\\s+([^:\\s]+):([^:\\s]+):jar:([^:\\s]+):", Pattern.MULTILINE);
  private static final Path REPOSITORY =
      Path.of(
          System.getProperty(
              "maven.repo.local",
              Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
  private static final Pattern POM =
      Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/pom\\.properties");
  private static final Pattern LICENSE_DIR = Pattern.compile("META-INF/licenses/([^/]+)-jar/");

  @Test
  void theFullJarListsWhatItBundles() throws IOException {
    Set<String> listed = checkedList(TARGET.resolve("cluster-monitor.jar"));
    assertThat(listed)
        .contains("com.github.docker-java:docker-java-core", "org.bouncycastle:bcprov-jdk18on");
  }

  @Test
  void theExportersJarListsOnlyWhatItBundles() throws IOException {
    Set<String> listed = checkedList(TARGET.resolve("cluster-monitor-exporters.jar"));
    assertThat(listed)
        .contains("org.eclipse.jetty:jetty-server", "org.postgresql:postgresql")
        .noneMatch(a -> a.startsWith("com.github.docker-java:"))
        .noneMatch(a -> a.startsWith("org.bouncycastle:"))
        .noneMatch(a -> a.startsWith("org.apache.httpcomponents."))
        .doesNotContain("com.google.guava:guava", "org.apache.commons:commons-lang3");
  }

  /** The jar's list, after checking it against the bundled metadata and license folders. */
  private static Set<String> checkedList(Path jar) throws IOException {
    assertThat(jar).as("built in the package phase").exists();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry list = zip.getEntry("META-INF/THIRD-PARTY.txt");
      assertThat(list).as(jar + " has a third-party list").isNotNull();
      String text;
      try (InputStream in = zip.getInputStream(list)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Map<String, String> versions = new TreeMap<>();
      Matcher m = LISTED.matcher(text);
      while (m.find()) {
        versions.put(m.group(1) + ":" + m.group(2), m.group(3));
      }
      Set<String> listed = versions.keySet();
      Set<String> bundled = new TreeSet<>();
      Set<String> licenseDirs = new TreeSet<>();
      for (ZipEntry e : Collections.list(zip.entries())) {
        Matcher pom = POM.matcher(e.getName());
        if (pom.matches() && !pom.group(1).startsWith("io.clustermonitor")) {
          bundled.add(pom.group(1) + ":" + pom.group(2));
        }
        Matcher dir = LICENSE_DIR.matcher(e.getName());
        if (dir.lookingAt()) {
          licenseDirs.add(dir.group(1));
        }
      }
      assertThat(listed).as(jar + ": listed artifacts").isNotEmpty().containsAll(bundled);
      // Many artifacts carry no Maven metadata: each listed one must have its own first class or
      // resource in the jar, so nothing is listed that the shade step left out.
      for (Map.Entry<String, String> a : versions.entrySet()) {
        String entry = firstEntry(a.getKey(), a.getValue());
        if (entry != null) {
          assertThat(zip.getEntry(entry))
              .as(jar + ": " + a.getKey() + " is listed, so its " + entry + " is bundled")
              .isNotNull();
        }
      }
      Set<String> listedIds = new TreeSet<>();
      listed.forEach(a -> listedIds.add(a.substring(a.indexOf(':') + 1)));
      assertThat(listedIds)
          .as(jar + ": license folders of listed artifacts")
          .containsAll(licenseDirs);
      return listed;
    }
  }

  /**
   * The first class or resource outside {@code META-INF/} of the artifact's jar in the local
   * repository, or null when it has none (an empty placeholder such as Guava's {@code
   * listenablefuture}).
   */
  private static String firstEntry(String artifact, String version) throws IOException {
    String[] ga = artifact.split(":");
    Path file =
        REPOSITORY
            .resolve(ga[0].replace('.', '/'))
            .resolve(ga[1])
            .resolve(version)
            .resolve(ga[1] + "-" + version + ".jar");
    assertThat(file).as("the resolved " + artifact).exists();
    try (ZipFile dep = new ZipFile(file.toFile())) {
      return Collections.list(dep.entries()).stream()
          .map(ZipEntry::getName)
          .filter(
              n ->
                  !n.endsWith("/")
                      && !n.startsWith("META-INF/")
                      && !n.endsWith("module-info.class"))
          .findFirst()
          .orElse(null);
    }
  }
}
