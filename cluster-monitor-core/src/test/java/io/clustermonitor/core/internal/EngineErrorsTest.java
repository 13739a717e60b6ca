package io.clustermonitor.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.clustermonitor.core.ClusterMonitorException;
import io.clustermonitor.core.ContainerNotFoundException;
import io.clustermonitor.core.DockerEndpoint;
import io.clustermonitor.core.EngineTimeoutException;
import io.clustermonitor.core.EngineUnavailableException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EngineErrorsTest {
  private static final DockerEndpoint ENDPOINT =
      DockerEndpoint.builder("tcp://127.0.0.1:2375")
          .connectTimeout(Duration.ofSeconds(2))
          .readTimeout(Duration.ofSeconds(7))
          .build();

  @Test
  void notFoundForAContainerIsContainerNotFound() {
    ClusterMonitorException e =
        EngineErrors.translate(ENDPOINT, "web", new NotFoundException("No such container: web"));

    assertThat(e).isInstanceOf(ContainerNotFoundException.class);
    assertThat(((ContainerNotFoundException) e).container()).isEqualTo("web");
    assertThat(e.getCause()).isInstanceOf(NotFoundException.class);
  }

  @Test
  void otherHttpErrorsNameTheStatus() {
    ClusterMonitorException e =
        EngineErrors.translate(ENDPOINT, null, new InternalServerErrorException("boom\nstack"));

    assertThat(e).hasMessage("Docker engine at tcp://127.0.0.1:2375 answered HTTP 500: boom");
  }

  @Test
  void theEnginesJsonMessageIsKept() {
    assertThat(EngineErrors.engineMessage("Status 409: {\"message\":\"conflict: in use\"}\n"))
        .isEqualTo("conflict: in use");
  }

  @Test
  void refusedAndMissingSocketsAreUnavailable() {
    assertThat(
            EngineErrors.translate(
                ENDPOINT, null, new RuntimeException(new ConnectException("Connection refused"))))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessage("Docker engine unavailable at tcp://127.0.0.1:2375: Connection refused");
    assertThat(EngineErrors.translate(ENDPOINT, null, new NoSuchFileException("/x.sock")))
        .isInstanceOf(EngineUnavailableException.class);
  }

  @Test
  void aReadTimeoutIsATimeoutWithTheReadTimeout() {
    ClusterMonitorException e =
        EngineErrors.translate(
            ENDPOINT, "web", new RuntimeException(new SocketTimeoutException("Read timed out")));

    assertThat(e).isInstanceOf(EngineTimeoutException.class);
    assertThat(((EngineTimeoutException) e).timeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(e).hasMessageContaining("within 7000 ms");
  }

  @Test
  void anInterruptKeepsTheInterruptFlag() {
    try {
      ClusterMonitorException e =
          EngineErrors.translate(ENDPOINT, null, new RuntimeException(new InterruptedException()));

      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(e).hasMessageContaining("Interrupted");
    } finally {
      Thread.interrupted(); // clear for the next test
    }
  }

  @Test
  void ourOwnExceptionsPassThrough() {
    ContainerNotFoundException original = new ContainerNotFoundException("x", null);

    assertThat(EngineErrors.translate(ENDPOINT, "x", original)).isSameAs(original);
  }
}
