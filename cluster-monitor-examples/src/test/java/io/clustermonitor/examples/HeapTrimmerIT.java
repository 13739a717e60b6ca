package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The trimmer in a real JVM with the launcher's collector settings, read from the launcher the
 * build writes: garbage in the old generation is collected and its heap given back to the OS
 * without anybody calling for it.
 */
class HeapTrimmerIT {
  /** The launcher's options the trimmer depends on: the collector, heap sizes and resizing. */
  private static final Pattern HEAP_OPTION =
      Pattern.compile(
          "(?<=\\s|\")(-XX:\\+UseSerialGC|-Xm[snx]\\d+[mk]|-XX:M(?:in|ax)HeapFreeRatio=\\d+"
              + "|-XX:-ShrinkHeapInSteps)(?=\\s|\")");

  static List<String> launcherHeapOptions() throws Exception {
    List<String> options = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("target", "bin", "cluster-monitor"))) {
      if (!line.trim().startsWith("opts=")) {
        continue; // comments and the rest
      }
      Matcher m = HEAP_OPTION.matcher(line);
      while (m.find()) {
        if (!options.contains(m.group(1))) {
          options.add(m.group(1));
        }
      }
    }
    return options;
  }

  @Test
  void theLauncherHasTheHeapSettingsTheTrimmerIsFor() throws Exception {
    assertThat(launcherHeapOptions())
        .as("the launcher's heap options")
        .contains("-XX:+UseSerialGC", "-XX:-ShrinkHeapInSteps")
        .anyMatch(o -> o.startsWith("-Xmx"))
        .anyMatch(o -> o.startsWith("-XX:MaxHeapFreeRatio="));
  }

  @Test
  void theOldGenerationIsGivenBackAfterItsContentBecameGarbage() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(java.toString()));
    cmd.addAll(launcherHeapOptions());
    cmd.addAll(
        List.of("-cp", System.getProperty("java.class.path"), HeapTrimmerProbe.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("the probe ended").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(cmd + "\n" + out).isZero();
    assertThat(out).contains("given back");
  }
}
