package io.clustermonitor.core.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks that every active target of a Prometheus server is up, reading {@code /api/v1/targets}.
 * DOWN names each down target with its scrape URL and last error; targets not scraped yet make it
 * DEGRADED; no targets at all is DOWN. Create with {@link HealthChecks#prometheusTargets(String)}:
 *
 * <pre>{@code
 * HealthCheck targets = HealthChecks.prometheusTargets("http://127.0.0.1:9090").job("node");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class PrometheusTargetsCheck implements HealthCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String prometheusUrl;
  private final String job;

  PrometheusTargetsCheck(String prometheusUrl, String job) {
    this.prometheusUrl = Objects.requireNonNull(prometheusUrl, "prometheusUrl");
    this.job = job;
  }

  /**
   * Looks only at the targets of one job (label {@code job} or scrape pool).
   *
   * @throws IllegalArgumentException when {@code job} is blank
   */
  public PrometheusTargetsCheck job(String job) {
    if (job == null || job.isBlank()) {
      throw new IllegalArgumentException("job must not be blank");
    }
    return new PrometheusTargetsCheck(prometheusUrl, job);
  }

  @Override
  public CheckResult check(Duration timeout) {
    String base = prometheusUrl.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    String targetsUrl = base + "/api/v1/targets";
    Http.Response r;
    try {
      URI uri = Http.parse(targetsUrl);
      if (uri.getRawQuery() != null) {
        return CheckResult.down(
            "malformed Prometheus URL '" + prometheusUrl + "': give the base URL without a query");
      }
      r = Http.get(uri, timeout, "application/json");
    } catch (Http.Failure f) {
      return CheckResult.down(f.getMessage()).withDetail("url", targetsUrl);
    }
    return evaluate(r).withDetail("url", targetsUrl);
  }

  private CheckResult evaluate(Http.Response r) {
    JsonNode root;
    try {
      root = JSON.readTree(r.body());
    } catch (JsonProcessingException e) {
      return CheckResult.down(
          "HTTP "
              + r.status()
              + ", answer is not JSON"
              + (r.contentType().isEmpty() ? "" : " (" + r.contentType() + ")")
              + ": "
              + r.snippet());
    }
    if (root == null || !root.isObject()) {
      return CheckResult.down(
          "HTTP " + r.status() + ", answer is not a JSON object: " + r.snippet());
    }
    if (!"success".equals(root.path("status").asText())) {
      String error = root.path("error").asText("");
      return CheckResult.down(
          "HTTP "
              + r.status()
              + ", Prometheus answered status '"
              + root.path("status").asText("")
              + "'"
              + (error.isEmpty() ? "" : ": " + error));
    }
    JsonNode active = root.path("data").path("activeTargets");
    if (!active.isArray()) {
      return CheckResult.down("answer has no data.activeTargets array: " + r.snippet());
    }
    List<String> down = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    Map<String, String> details = new LinkedHashMap<>();
    int total = 0;
    for (JsonNode t : active) {
      String targetJob = t.path("labels").path("job").asText(t.path("scrapePool").asText(""));
      if (job != null && !job.equals(targetJob) && !job.equals(t.path("scrapePool").asText())) {
        continue;
      }
      total++;
      String url = t.path("scrapeUrl").asText("?");
      String health = t.path("health").asText("unknown");
      String lastError = t.path("lastError").asText("");
      String name = url + " (job " + targetJob + ")";
      details.put(url, health + (lastError.isEmpty() ? "" : ": " + lastError));
      if ("down".equals(health)) {
        down.add(name + (lastError.isEmpty() ? "" : ": " + lastError));
      } else if (!"up".equals(health)) {
        unknown.add(name);
      }
    }
    String scope = job == null ? "" : " for job '" + job + "'";
    CheckResult result;
    if (total == 0) {
      result = CheckResult.down("no active targets" + scope);
    } else if (!down.isEmpty()) {
      result =
          CheckResult.down(
              down.size()
                  + " of "
                  + total
                  + " targets down"
                  + scope
                  + ": "
                  + String.join("; ", down));
    } else if (!unknown.isEmpty()) {
      result =
          CheckResult.degraded(
              unknown.size()
                  + " of "
                  + total
                  + " targets not scraped yet"
                  + scope
                  + ": "
                  + String.join("; ", unknown));
    } else {
      result = CheckResult.up(total + (total == 1 ? " target" : " targets") + " up" + scope);
    }
    return result.withDetails(details);
  }

  @Override
  public String toString() {
    return "Prometheus targets at " + prometheusUrl + (job == null ? "" : " (job " + job + ")");
  }
}
