package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The trimmer in a real JVM with the launcher's collector settings: garbage in the old generation
 * is collected and its heap given back to the OS without anybody calling for it.
 */
class HeapTrimmerIT {
  @Test
  void theOldGenerationIsGivenBackAfterItsContentBecameGarbage() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-XX:+UseSerialGC",
                    "-Xms8m",
                    "-Xmx64m",
                    "-Xmn6m",
                    "-XX:MinHeapFreeRatio=10",
                    "-XX:MaxHeapFreeRatio=30",
                    "-XX:-ShrinkHeapInSteps",
                    "-cp",
                    System.getProperty("java.class.path"),
                    HeapTrimmerProbe.class.getName()))
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("the probe ended").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("given back");
  }
}
