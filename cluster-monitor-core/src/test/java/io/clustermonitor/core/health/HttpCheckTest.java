package io.clustermonitor.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static StubServer server;
  private static int closedPort;

  @BeforeAll
  static void start() throws Exception {
    server =
        new StubServer()
            .answer("/ok", 200, "application/json", "{\"status\":\"UP\"}")
            .answer("/unavailable", 503, "text/plain", "maintenance")
            .answer("/redirect", 302, "text/plain", "")
            .answer("/slow", 200, "text/plain", "late", 30_000);
    closedPort = StubServer.closedPort();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "2xx answers are UP",
            (Function<String, HttpCheck>) u -> HealthChecks.http(u + "/ok"),
            CheckStatus.UP,
            "HTTP 200"),
        Arguments.of(
            "a 503 is DOWN with the body",
            (Function<String, HttpCheck>) u -> HealthChecks.http(u + "/unavailable"),
            CheckStatus.DOWN,
            "HTTP 503, expected 2xx: maintenance"),
        Arguments.of(
            "a redirect is not followed",
            (Function<String, HttpCheck>) u -> HealthChecks.http(u + "/redirect"),
            CheckStatus.DOWN,
            "HTTP 302, expected 2xx"),
        Arguments.of(
            "an expected 302 is UP",
            (Function<String, HttpCheck>)
                u -> HealthChecks.http(u + "/redirect").expectStatus(301, 302),
            CheckStatus.UP,
            "HTTP 302"),
        Arguments.of(
            "an unexpected 200 is DOWN",
            (Function<String, HttpCheck>) u -> HealthChecks.http(u + "/ok").expectStatus(204),
            CheckStatus.DOWN,
            "HTTP 200, expected 204"),
        Arguments.of(
            "a 404 is DOWN",
            (Function<String, HttpCheck>) u -> HealthChecks.http(u + "/nothing-here"),
            CheckStatus.DOWN,
            "HTTP 404, expected 2xx"),
        Arguments.of(
            "body contains",
            (Function<String, HttpCheck>) u -> HealthChecks.http(u + "/ok").bodyContains("\"UP\""),
            CheckStatus.UP,
            "HTTP 200"),
        Arguments.of(
            "body lacks text",
            (Function<String, HttpCheck>) u -> HealthChecks.http(u + "/ok").bodyContains("DOWN"),
            CheckStatus.DOWN,
            "HTTP 200 but body does not contain 'DOWN': {\"status\":\"UP\"}"),
        Arguments.of(
            "body matches",
            (Function<String, HttpCheck>)
                u -> HealthChecks.http(u + "/ok").bodyMatches("\"status\":\\s*\"UP\""),
            CheckStatus.UP,
            "HTTP 200"),
        Arguments.of(
            "body does not match",
            (Function<String, HttpCheck>) u -> HealthChecks.http(u + "/ok").bodyMatches("^ready$"),
            CheckStatus.DOWN,
            "HTTP 200 but body does not match /^ready$/"),
        Arguments.of(
            "closed port",
            (Function<String, HttpCheck>)
                u -> HealthChecks.http("http://127.0.0.1:" + closedPort + "/"),
            CheckStatus.DOWN,
            "connection refused by 127.0.0.1:" + closedPort),
        Arguments.of(
            "unknown host",
            (Function<String, HttpCheck>)
                u -> HealthChecks.http("http://no-such-host.invalid:8080/health"),
            CheckStatus.DOWN,
            "unknown host 'no-such-host.invalid'"),
        Arguments.of(
            "no scheme",
            (Function<String, HttpCheck>) u -> HealthChecks.http("127.0.0.1:8080/health"),
            CheckStatus.DOWN,
            "malformed URL '127.0.0.1:8080/health': no scheme (use http:// or https://)"),
        Arguments.of(
            "relative",
            (Function<String, HttpCheck>) u -> HealthChecks.http("/health"),
            CheckStatus.DOWN,
            "malformed URL '/health': no scheme (use http:// or https://)"),
        Arguments.of(
            "wrong scheme",
            (Function<String, HttpCheck>) u -> HealthChecks.http("ftp://127.0.0.1/x"),
            CheckStatus.DOWN,
            "malformed URL 'ftp://127.0.0.1/x': unsupported scheme 'ftp' (use http or https)"),
        Arguments.of(
            "no host",
            (Function<String, HttpCheck>) u -> HealthChecks.http("http:///health"),
            CheckStatus.DOWN,
            "malformed URL 'http:///health': no host"),
        Arguments.of(
            "space in host",
            (Function<String, HttpCheck>) u -> HealthChecks.http("http://exa mple/"),
            CheckStatus.DOWN,
            "malformed URL 'http://exa mple/': Illegal character in authority"),
        Arguments.of(
            "empty",
            (Function<String, HttpCheck>) u -> HealthChecks.http(""),
            CheckStatus.DOWN,
            "malformed URL '': empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersAndBadInputBecomeAStatusWithAClearReason(
      String name, Function<String, HttpCheck> check, CheckStatus status, String reason) {
    CheckResult r = check.apply(server.url("")).check(TIMEOUT);
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.reason()).startsWith(reason);
  }

  @Test
  void aSlowServerPastTheTimeoutIsDownWithinTheTimeout() {
    long start = System.nanoTime();
    CheckResult r = HealthChecks.http(server.url("/slow")).check(Duration.ofMillis(300));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(r.status()).isEqualTo(CheckStatus.DOWN);
    assertThat(r.reason()).isEqualTo("no answer from 127.0.0.1:" + server.port() + " within 300ms");
  }

  @Test
  void theResultNamesTheUrlAndStatus() {
    CheckResult r = HealthChecks.http(server.url("/ok")).check(TIMEOUT);
    assertThat(r.details()).containsEntry("url", server.url("/ok")).containsEntry("status", "200");
  }

  @Test
  void badArgumentsAreRejectedWhenTheCheckIsBuilt() {
    HttpCheck check = HealthChecks.http("http://127.0.0.1/");
    assertThatThrownBy(() -> check.expectStatus(99)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> check.expectStatus()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> check.bodyMatches("(unclosed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid body regex '(unclosed'");
    assertThatThrownBy(() -> HealthChecks.http(null)).isInstanceOf(NullPointerException.class);
  }
}
