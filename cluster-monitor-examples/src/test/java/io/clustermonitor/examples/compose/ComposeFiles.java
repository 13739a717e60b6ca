package io.clustermonitor.examples.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads the files under {@code compose/}: alert rules, rule tests, dashboards, prometheus.yml. */
final class ComposeFiles {

  static final ObjectMapper JSON = new ObjectMapper();

  /** An alert rule and the file it is in. */
  record Alert(String file, String name, String expr, JsonNode node) {}

  /** A PromQL query in a dashboard: a panel target or a template variable. */
  record DashboardQuery(String dashboard, String where, String expr, boolean variable) {}

  private ComposeFiles() {}

  /** The repository's compose/ directory (tests run with the module directory as working dir). */
  static Path dir() {
    Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = cwd; p != null; p = p.getParent()) {
      Path candidate = p.resolve("compose");
      if (Files.isRegularFile(candidate.resolve("docker-compose.yml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no compose/docker-compose.yml above " + cwd);
  }

  static List<Path> ruleFiles() {
    return list(dir().resolve("rules"), ".yml");
  }

  static List<Path> ruleTestFiles() {
    return list(dir().resolve("rules/tests"), ".yml");
  }

  static List<Path> dashboardFiles() {
    return list(dir().resolve("grafana/dashboards"), ".json");
  }

  static List<Alert> alerts() {
    List<Alert> alerts = new ArrayList<>();
    for (Path file : ruleFiles()) {
      for (JsonNode group : readYaml(file).path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          if (rule.has("alert")) {
            alerts.add(
                new Alert(
                    file.getFileName().toString(),
                    rule.get("alert").asText(),
                    rule.path("expr").asText(),
                    rule));
          }
        }
      }
    }
    return alerts;
  }

  static List<DashboardQuery> dashboardQueries() {
    List<DashboardQuery> queries = new ArrayList<>();
    for (Path file : dashboardFiles()) {
      JsonNode d = readJson(file);
      String name = file.getFileName().toString();
      for (JsonNode panel : d.path("panels")) {
        for (JsonNode target : panel.path("targets")) {
          queries.add(
              new DashboardQuery(
                  name, panel.path("title").asText(), target.path("expr").asText(), false));
        }
      }
      for (JsonNode v : d.path("templating").path("list")) {
        if ("query".equals(v.path("type").asText())) {
          JsonNode query = v.path("query");
          String expr = query.isObject() ? query.path("query").asText() : query.asText();
          queries.add(new DashboardQuery(name, "$" + v.path("name").asText(), expr, true));
        }
      }
    }
    return queries;
  }

  /**
   * Reads a YAML file as a tree through SnakeYAML, which resolves anchors, aliases and merge keys
   * ({@code <<: *x}) as docker-compose does.
   */
  static JsonNode readYaml(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      return JSON.valueToTree(tree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<Path> list(Path dir, String suffix) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
