package io.clustermonitor.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The check behind each module's {@code JavadocExamplesTest} (shared through core's test-jar):
 * every {@code <pre>{@code ...}</pre>} example in the module's public Javadoc is a tagged region of
 * the module's {@code JavadocExamples}, which is compiled with the tests. The n-th block of {@code
 * Foo.java} is the region {@code // tag::Foo[]} (n = 1) or {@code // tag::Foo#n[]}.
 */
public abstract class JavadocExamplesCheck {
  private static final Path MAIN = Path.of("src/main/java");

  private final Path examples;
  private final List<String> entryPoints;

  /**
   * @param examples the module's compiled examples source, relative to the module directory
   * @param entryPoints public sources (relative to {@code src/main/java}) that must show an example
   */
  protected JavadocExamplesCheck(Path examples, List<String> entryPoints) {
    this.examples = examples;
    this.entryPoints = List.copyOf(entryPoints);
  }

  private static final Pattern TAG = Pattern.compile("^\\s*// tag::([\\w#]+)\\[]\\s*$");
  private static final Pattern END = Pattern.compile("^\\s*// end::([\\w#]+)\\[]\\s*$");

  /** One Javadoc example: where it is and its text. */
  record Block(String tag, Path file, int line, String text) {}

  /** Each Javadoc example equals its region, and each region is shown. */
  @Test
  public void everyJavadocExampleIsACompiledRegion() throws IOException {
    Map<String, String> regions = regions(Files.readString(examples));
    List<Block> blocks = blocks();
    assertThat(blocks).as("Javadoc examples found under %s", MAIN).isNotEmpty();

    Set<String> used = new TreeSet<>();
    for (Block b : blocks) {
      assertThat(regions)
          .as(
              "%s:%d: Javadoc example has no region // tag::%s[] in %s",
              b.file(), b.line(), b.tag(), examples)
          .containsKey(b.tag());
      assertThat(b.text())
          .as(
              "%s:%d: Javadoc example differs from region %s of %s",
              b.file(), b.line(), b.tag(), examples)
          .isEqualTo(regions.get(b.tag()));
      used.add(b.tag());
    }
    assertThat(new TreeSet<>(regions.keySet()))
        .as("regions of %s that no Javadoc shows", examples)
        .isEqualTo(used);
  }

  /** Each listed entry point shows at least one example. */
  @Test
  public void everyEntryPointHasAnExample() {
    List<Block> blocks = blocks();
    for (String entry : entryPoints) {
      Path file = MAIN.resolve(entry);
      assertThat(file).exists();
      assertThat(blocks).as("examples in %s", file).anyMatch(b -> b.file().equals(file));
    }
  }

  static List<Block> blocks() {
    List<Block> blocks = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        if (MAIN.relativize(file).toString().matches("(.*/)?internal/.*")) {
          continue;
        }
        blocks.addAll(blocks(file, Files.readString(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return blocks;
  }

  static List<Block> blocks(Path file, String source) {
    String type = file.getFileName().toString().replaceFirst("\\.java$", "");
    List<Block> blocks = new ArrayList<>();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].contains("<pre>{@code")) {
        continue;
      }
      int start = i;
      StringBuilder text = new StringBuilder();
      for (i++; i < lines.length && !lines[i].contains("}</pre>"); i++) {
        text.append(unescape(lines[i].replaceFirst("^\\s*\\*( |$)", ""))).append('\n');
      }
      assertThat(i)
          .as("%s:%d: <pre>{@code without }</pre>", file, start + 1)
          .isLessThan(lines.length);
      int n = blocks.size() + 1;
      blocks.add(new Block(n == 1 ? type : type + "#" + n, file, start + 1, text.toString()));
    }
    return blocks;
  }

  static String unescape(String line) {
    return line.replace("&#64;", "@")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#125;", "}")
        .replace("&#123;", "{")
        .replace("&amp;", "&");
  }

  static Map<String, String> regions(String source) {
    Map<String, String> regions = new LinkedHashMap<>();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher tag = TAG.matcher(lines[i]);
      if (!tag.matches()) {
        continue;
      }
      List<String> body = new ArrayList<>();
      int j = i + 1;
      for (; j < lines.length && !END.matcher(lines[j]).matches(); j++) {
        body.add(lines[j]);
      }
      assertThat(j)
          .as("line %d: // tag::%s[] without end", i + 1, tag.group(1))
          .isLessThan(lines.length);
      Matcher end = END.matcher(lines[j]);
      assertThat(end.matches() && end.group(1).equals(tag.group(1)))
          .as("line %d: // end::%s[] expected", j + 1, tag.group(1))
          .isTrue();
      assertThat(regions.put(tag.group(1), unindent(body)))
          .as("region %s defined twice", tag.group(1))
          .isNull();
      i = j;
    }
    return regions;
  }

  static String unindent(List<String> body) {
    int indent =
        body.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder out = new StringBuilder();
    for (String line : body) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString();
  }
}
