package io.clustermonitor.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.core.livetest.DockerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The getting-started example runs against the real engine. */
class GettingStartedIT {
  @Test
  void theExamplePrintsTheEngineAndOurContainer() {
    try (DockerCli cli = new DockerCli(GettingStartedIT.class);
        DockerMonitor docker =
            DockerMonitor.connect(DockerEndpoint.builder(DockerCli.DOCKER_HOST).build())) {
      String name = "cm-" + cli.runId().toLowerCase(java.util.Locale.ROOT) + "-example";
      cli.run("--name", name, "--memory", "32m", "IMAGE", "sleep", "600");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();

      GettingStartedExample.print(docker, new PrintStream(bytes, true, StandardCharsets.UTF_8));

      String out = bytes.toString(StandardCharsets.UTF_8);
      assertThat(out).contains("Docker ", "(API 1.", "cgroup v");
      // first snapshot: one sample, so no CPU value yet ("-") unless a second sample was taken
      assertThat(out)
          .containsPattern(name + " +none +(\\d+[.,]\\d\\d%|-) CPU +\\d+ / 33554432 bytes");
    }
  }
}
