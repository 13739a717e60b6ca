package io.clustermonitor.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.HealthProbe;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerMapperTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** An inspect answer shaped as the Engine API documents {@code State.Health}. */
  private static InspectContainerResponse inspect(String health) throws Exception {
    return JSON.readValue(
        """
        {"Id": "0123456789ab0123456789ab0123456789ab0123456789ab0123456789abcdef",
         "Name": "/web", "Created": "2026-12-01T10:00:00Z", "Path": "sh", "Args": ["-c", "x"],
         "State": {"Status": "running", "Running": true, "Pid": 42,
                   "StartedAt": "2026-12-01T10:00:01Z" %s},
         "Config": {"Image": "busybox", "Env": ["PASSWORD=secret", "MODE=x"]},
         "HostConfig": {"NetworkMode": "none"}}
        """
            .formatted(health),
        InspectContainerResponse.class);
  }

  @Test
  void healthProbesKeepTheEnginesLogOldestFirstWithOutputCut() throws Exception {
    String longOutput = "x".repeat(5000);
    ContainerDetails d =
        ContainerMapper.details(
            inspect(
                """
                , "Health": {"Status": "unhealthy", "FailingStreak": 1, "Log": [
                  {"Start": "2026-12-01T10:00:02.5Z", "End": "2026-12-01T10:00:02.6Z",
                   "ExitCode": 0, "Output": "ok\\n"},
                  {"Start": "2026-12-01T10:00:03Z", "End": "2026-12-01T10:00:04Z",
                   "ExitCode": 1, "Output": "%s"}]}
                """
                    .formatted(longOutput)),
            "local");

    assertThat(d.healthProbes()).hasSize(2);
    HealthProbe first = d.healthProbes().get(0);
    assertThat(first.start()).isEqualTo(Instant.parse("2026-12-01T10:00:02.5Z"));
    assertThat(first.end()).isEqualTo(Instant.parse("2026-12-01T10:00:02.6Z"));
    assertThat(first.exitCode()).isZero();
    assertThat(first.output()).isEqualTo("ok\n");
    assertThat(d.healthProbes().get(1).exitCode()).isEqualTo(1);
    assertThat(d.healthProbes().get(1).output()).hasSize(HealthProbe.MAX_OUTPUT);
    assertThat(d.environmentNames()).containsExactly("PASSWORD", "MODE");
    assertThat(d.toString()).doesNotContain("secret");
  }

  @Test
  void noHealthCheckMeansNoProbes() throws Exception {
    assertThat(ContainerMapper.details(inspect(""), "local").healthProbes()).isEmpty();
  }

  @Test
  void aProbeWithoutTimesOrExitCodeIsKeptWithNullsAndMinusOne() throws Exception {
    ContainerDetails d =
        ContainerMapper.details(
            inspect(", \"Health\": {\"Status\": \"starting\", \"Log\": [{\"Output\": null}]}"),
            "local");
    assertThat(d.healthProbes()).containsExactly(new HealthProbe(null, null, -1, ""));
  }
}
