package io.clustermonitor.core.health;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Checks that a URL answers a GET with an expected status (any 2xx unless told otherwise) and,
 * optionally, a body that contains a text or matches a regex. Redirects are not followed. Create
 * with {@link HealthChecks#http(String)}:
 *
 * <pre>{@code
 * HttpCheck api =
 *     HealthChecks.http("http://127.0.0.1:3001/health")
 *         .expectStatus(200)
 *         .bodyContains("\"status\":\"UP\"");
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@code with}-style method returns a new check. A malformed URL
 * is not rejected up front: the check reports DOWN and says why, so URLs from configuration show up
 * in the report.
 */
public final class HttpCheck implements HealthCheck {
  private final String url;
  private final int[] expectedStatus;
  private final String bodyContains;
  private final Pattern bodyPattern;

  HttpCheck(String url) {
    this(Objects.requireNonNull(url, "url"), new int[0], null, null);
  }

  private HttpCheck(String url, int[] expectedStatus, String bodyContains, Pattern bodyPattern) {
    this.url = url;
    this.expectedStatus = expectedStatus;
    this.bodyContains = bodyContains;
    this.bodyPattern = bodyPattern;
  }

  /**
   * Accepts only these statuses (instead of any 2xx).
   *
   * @throws IllegalArgumentException when none is given or one is outside 100-599
   */
  public HttpCheck expectStatus(int... statuses) {
    if (statuses == null || statuses.length == 0) {
      throw new IllegalArgumentException("expectStatus needs at least one status");
    }
    for (int s : statuses) {
      if (s < 100 || s > 599) {
        throw new IllegalArgumentException("HTTP status must be 100-599, got " + s);
      }
    }
    return new HttpCheck(url, statuses.clone(), bodyContains, bodyPattern);
  }

  /** Requires the body to contain {@code text}. */
  public HttpCheck bodyContains(String text) {
    return new HttpCheck(url, expectedStatus, Objects.requireNonNull(text, "text"), bodyPattern);
  }

  /**
   * Requires the body to contain a match of {@code regex} ({@link java.util.regex.Matcher#find()}).
   *
   * @throws IllegalArgumentException when the regex is invalid
   */
  public HttpCheck bodyMatches(String regex) {
    try {
      return new HttpCheck(
          url,
          expectedStatus,
          bodyContains,
          Pattern.compile(Objects.requireNonNull(regex, "regex")));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid body regex '" + regex + "': " + e.getDescription(), e);
    }
  }

  /** The URL as given. */
  public String url() {
    return url;
  }

  @Override
  public CheckResult check(Duration timeout) {
    Http.Response r;
    try {
      URI uri = Http.parse(url);
      r = Http.get(uri, timeout, "*/*");
    } catch (Http.Failure f) {
      return CheckResult.down(f.getMessage()).withDetail("url", url);
    }
    CheckResult result = evaluate(r).withDetail("url", url).withDetail("status", r.status());
    return result;
  }

  private CheckResult evaluate(Http.Response r) {
    if (!statusOk(r.status())) {
      return CheckResult.down(
          "HTTP "
              + r.status()
              + ", expected "
              + expected()
              + (r.body().isEmpty() ? "" : ": ")
              + r.snippet());
    }
    if (bodyContains != null && !r.body().contains(bodyContains)) {
      return CheckResult.down(
          "HTTP "
              + r.status()
              + " but body does not contain '"
              + bodyContains
              + "': "
              + r.snippet());
    }
    if (bodyPattern != null && !bodyPattern.matcher(r.body()).find()) {
      return CheckResult.down(
          "HTTP " + r.status() + " but body does not match /" + bodyPattern + "/: " + r.snippet());
    }
    return CheckResult.up("HTTP " + r.status());
  }

  private boolean statusOk(int status) {
    if (expectedStatus.length == 0) {
      return status >= 200 && status < 300;
    }
    return Arrays.stream(expectedStatus).anyMatch(s -> s == status);
  }

  private String expected() {
    if (expectedStatus.length == 0) {
      return "2xx";
    }
    return Arrays.stream(expectedStatus)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining("/"));
  }

  @Override
  public String toString() {
    return "GET " + url + " -> " + expected();
  }
}
