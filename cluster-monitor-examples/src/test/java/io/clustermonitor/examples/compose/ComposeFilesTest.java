package io.clustermonitor.examples.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clustermonitor.examples.compose.ComposeFiles.Alert;
import io.clustermonitor.examples.compose.ComposeFiles.DashboardQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Structure of the compose files, checked without any tool or service. */
class ComposeFilesTest {

  @Test
  void thereAreAtLeast25AlertRulesWithUniqueNames() {
    List<Alert> alerts = ComposeFiles.alerts();
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(25);
    assertThat(alerts.stream().map(Alert::name)).doesNotHaveDuplicates();
  }

  @Test
  void theRulesCoverEverythingTheIssueAsksFor() {
    Set<String> names = ComposeFiles.alerts().stream().map(Alert::name).collect(Collectors.toSet());
    assertThat(names)
        .contains(
            // containers: down, absent, high CPU, high memory, throttling, restarts, OOM, unhealthy
            "ContainerDown",
            "ContainerAbsent",
            "ContainerHighCpu",
            "ContainerHighMemory",
            "ContainerCpuThrottled",
            "ContainerRestarting",
            "ContainerOomKilled",
            "ContainerUnhealthy",
            // host: memory, disk space and inodes, fill prediction, CPU, iowait
            "HostOutOfMemory",
            "HostOutOfDiskSpace",
            "HostOutOfInodes",
            "HostDiskWillFillIn24Hours",
            "HostHighCpuLoad",
            "HostCpuHighIowait",
            // PostgreSQL: down, exporter error, connections, deadlocks, locks, replication lag
            "PostgresqlDown",
            "PostgresqlExporterError",
            "PostgresqlTooManyConnections",
            "PostgresqlDeadlocks",
            "PostgresqlTooManyLocks",
            "PostgresqlReplicationLag",
            // Redis: down, memory, connections, rejected connections, missing backup
            "RedisDown",
            "RedisOutOfMemory",
            "RedisTooManyConnections",
            "RedisRejectedConnections",
            "RedisMissingBackup",
            // the monitoring: target down, collector failing
            "TargetDown",
            "ClusterMonitorCollectorFailing");
  }

  @Test
  void everyAlertHasASeverityASummaryAndADescription() {
    for (Alert a : ComposeFiles.alerts()) {
      assertThat(a.node().path("labels").path("severity").asText())
          .as(a.name() + " severity")
          .isIn("critical", "warning");
      assertThat(a.node().path("annotations").path("summary").asText())
          .as(a.name() + " summary")
          .isNotBlank();
      assertThat(a.node().path("annotations").path("description").asText())
          .as(a.name() + " description")
          .isNotBlank();
    }
  }

  @Test
  void everyAlertHasARuleTestWhereItFiresAndOneWhereItDoesNot() {
    Map<String, int[]> cases = new TreeMap<>(); // name -> {firing, silent}
    Set<String> testedFiles = new HashSet<>();
    for (Path file : ComposeFiles.ruleTestFiles()) {
      JsonNode doc = ComposeFiles.readYaml(file);
      doc.path("rule_files")
          .forEach(f -> testedFiles.add(Path.of(f.asText()).getFileName().toString()));
      for (JsonNode test : doc.path("tests")) {
        for (JsonNode t : test.path("alert_rule_test")) {
          int[] c = cases.computeIfAbsent(t.path("alertname").asText(), k -> new int[2]);
          if (t.path("exp_alerts").size() > 0) {
            c[0]++;
          } else {
            c[1]++;
          }
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (Alert a : ComposeFiles.alerts()) {
      int[] c = cases.getOrDefault(a.name(), new int[2]);
      if (c[0] == 0) {
        missing.add(a.name() + " (no firing case)");
      }
      if (c[1] == 0) {
        missing.add(a.name() + " (no silent case)");
      }
    }
    assertThat(missing).isEmpty();
    assertThat(testedFiles)
        .containsAll(
            ComposeFiles.ruleFiles().stream().map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void prometheusLoadsTheRuleFilesAndSendsAlertsToAlertmanager() {
    JsonNode prom = ComposeFiles.readYaml(ComposeFiles.dir().resolve("prometheus.yml"));
    assertThat(prom.path("rule_files").get(0).asText()).isEqualTo("rules/*.yml");
    assertThat(
            prom.path("alerting")
                .path("alertmanagers")
                .get(0)
                .path("static_configs")
                .get(0)
                .path("targets")
                .get(0)
                .asText())
        .isEqualTo("alertmanager:9093");
  }

  @Test
  void everyTargetHasAJobWithTheIntervalTheIssueAsksFor() {
    JsonNode prom = ComposeFiles.readYaml(ComposeFiles.dir().resolve("prometheus.yml"));
    String global = prom.path("global").path("scrape_interval").asText();
    Map<String, String> intervals = new TreeMap<>();
    for (JsonNode job : prom.path("scrape_configs")) {
      intervals.put(job.path("job_name").asText(), job.path("scrape_interval").asText(global));
    }
    assertThat(intervals)
        .containsEntry("containers", "10s")
        .containsEntry("postgres", "30s")
        .containsEntry("redis", "15s")
        .containsEntry("node", "30s")
        .containsKeys("prometheus", "alertmanager", "grafana", "minio");
  }

  @Test
  void dashboardsUseTheProvisionedDatasourceAndHaveUniqueUids() {
    JsonNode ds =
        ComposeFiles.readYaml(
            ComposeFiles.dir().resolve("grafana/provisioning/datasources/prometheus.yml"));
    String uid = ds.path("datasources").get(0).path("uid").asText();
    assertThat(uid).isNotBlank();
    List<Path> files = ComposeFiles.dashboardFiles();
    assertThat(files.stream().map(p -> p.getFileName().toString()))
        .contains("containers.json", "host.json", "postgres.json", "redis.json");
    Set<String> uids = new HashSet<>();
    for (Path f : files) {
      JsonNode d = ComposeFiles.readJson(f);
      assertThat(uids.add(d.path("uid").asText())).as("unique uid in " + f).isTrue();
      for (JsonNode panel : d.path("panels")) {
        assertThat(panel.path("datasource").path("uid").asText())
            .as(f.getFileName() + ": " + panel.path("title").asText())
            .isEqualTo(uid);
        assertThat(panel.path("targets").size()).isPositive();
      }
    }
  }

  @Test
  void everyRuleAndDashboardQueryReadsAtLeastOneMetric() {
    for (Alert a : ComposeFiles.alerts()) {
      assertThat(PromQlMetricNames.of(a.expr())).as(a.name()).isNotEmpty();
    }
    for (DashboardQuery q : ComposeFiles.dashboardQueries()) {
      assertThat(
              q.variable()
                  ? PromQlMetricNames.ofGrafanaVariable(q.expr())
                  : PromQlMetricNames.of(q.expr()))
          .as(q.dashboard() + ": " + q.where())
          .isNotEmpty();
    }
  }

  /**
   * Families of cAdvisor kinds that are off by default (cAdvisor 0.47 ignoreMetrics): a dashboard
   * or rule reading one needs the container exporter's --disable_metrics list to leave its kind
   * out.
   */
  private static final Map<String, String> OPT_IN_KIND_PREFIXES =
      Map.of(
          "container_processes", "process",
          "container_file_descriptors", "process",
          "container_sockets", "process",
          "container_threads", "process",
          "container_ulimits_soft", "process",
          "container_network_tcp_usage", "tcp",
          "container_network_udp_usage", "udp",
          "container_network_advance_tcp", "advtcp",
          "container_hugetlb_", "hugetlb",
          "container_memory_numa_pages", "memory_numa");

  /** The container-exporter's and postgres-exporter's command lines in compose and stack.sh. */
  private static Map<String, List<String>> exporterCommands() throws Exception {
    Map<String, List<String>> out = new TreeMap<>();
    JsonNode services =
        ComposeFiles.readYaml(ComposeFiles.dir().resolve("docker-compose.yml")).path("services");
    for (String svc : List.of("container-exporter", "postgres-exporter")) {
      List<String> args = new ArrayList<>();
      services.path(svc).path("command").forEach(a -> args.add(a.asText()));
      out.put("compose " + svc, args);
    }
    String stack = Files.readString(ComposeFiles.dir().resolveSibling("scripts/stack.sh"));
    Matcher m =
        Pattern.compile("command: \\[(\"(container|postgres)-exporter\"[^\\]]*)\\]").matcher(stack);
    while (m.find()) {
      List<String> args = new ArrayList<>();
      Matcher a = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
      while (a.find()) {
        args.add(a.group(1));
      }
      out.put("stack.sh " + m.group(2) + "-exporter", args);
    }
    return out;
  }

  @Test
  void theContainerExporterEnablesEveryOptInKindTheDashboardsAndRulesRead() throws Exception {
    Set<String> read = new HashSet<>();
    ComposeFiles.alerts().forEach(a -> read.addAll(PromQlMetricNames.of(a.expr())));
    for (DashboardQuery q : ComposeFiles.dashboardQueries()) {
      read.addAll(
          q.variable()
              ? PromQlMetricNames.ofGrafanaVariable(q.expr())
              : PromQlMetricNames.of(q.expr()));
    }
    Set<String> needed = new TreeSet<>();
    for (String metric : read) {
      OPT_IN_KIND_PREFIXES.forEach(
          (prefix, kind) -> {
            if (metric.startsWith(prefix)) {
              needed.add(kind);
            }
          });
    }
    assertThat(needed)
        .as("the containers dashboard charts container_processes")
        .contains("process");
    Map<String, List<String>> commands = exporterCommands();
    assertThat(commands).containsKeys("compose container-exporter", "stack.sh container-exporter");
    commands.forEach(
        (where, args) -> {
          if (!where.endsWith("container-exporter")) {
            return;
          }
          List<String> disable = new ArrayList<>();
          List<String> enable = new ArrayList<>();
          for (String arg : args) {
            if (arg.startsWith("--disable_metrics=")) {
              disable.addAll(List.of(arg.substring(18).split(",")));
            } else if (arg.startsWith("--enable_metrics=")) {
              enable.addAll(List.of(arg.substring(17).split(",")));
            }
          }
          Set<String> on =
              io.clustermonitor.exporters.container.MetricKinds.resolve(disable, enable);
          assertThat(on).as(where + " " + args).containsAll(needed);
        });
  }

  @Test
  void thePostgresExportersCollectorFlagsExistInPostgresExporter015() throws Exception {
    // postgres_exporter 0.15.0's collectors (collector/*.go registerCollector); postmaster is off
    // by default there and the PostgresqlRestarted rule reads pg_postmaster_start_time_seconds.
    Set<String> collectors =
        Set.of(
            "database",
            "database_wraparound",
            "locks",
            "long_running_transactions",
            "postmaster",
            "process_idle",
            "replication",
            "replication_slot",
            "stat_activity_autovacuum",
            "stat_bgwriter",
            "stat_database",
            "stat_statements",
            "stat_user_tables",
            "stat_wal_receiver",
            "statio_user_indexes",
            "statio_user_tables",
            "wal",
            "xlog_location");
    Map<String, List<String>> commands = exporterCommands();
    assertThat(commands).containsKeys("compose postgres-exporter", "stack.sh postgres-exporter");
    commands.forEach(
        (where, args) -> {
          if (!where.endsWith("postgres-exporter")) {
            return;
          }
          assertThat(args).as(where).contains("--collector.postmaster");
          for (String arg : args) {
            Matcher c = Pattern.compile("--(?:no-)?collector\\.([a-z_]+)").matcher(arg);
            if (c.lookingAt()) {
              assertThat(collectors).as(where + ": " + arg).contains(c.group(1));
            }
          }
        });
  }

  @Test
  void everyServiceHasLimitsReservationsAHealthCheckAndLogRotation() {
    JsonNode services =
        ComposeFiles.readYaml(ComposeFiles.dir().resolve("docker-compose.yml")).path("services");
    assertThat(services.size()).isEqualTo(11);
    services
        .properties()
        .forEach(
            e -> {
              JsonNode s = e.getValue();
              String n = e.getKey();
              JsonNode res = s.path("deploy").path("resources");
              assertThat(res.path("limits").path("memory").asText()).as(n).isNotBlank();
              assertThat(res.path("limits").path("cpus").asText()).as(n).isNotBlank();
              assertThat(res.path("reservations").path("memory").asText()).as(n).isNotBlank();
              assertThat(res.path("reservations").path("cpus").asText()).as(n).isNotBlank();
              assertThat(s.path("healthcheck").path("test").size()).as(n).isPositive();
              assertThat(s.path("logging").path("driver").asText()).as(n).isEqualTo("json-file");
              assertThat(s.path("logging").path("options").path("max-size").asText())
                  .as(n)
                  .isNotBlank();
              if (s.path("image").asText().startsWith("${CM_IMAGE")) {
                // The busybox probe, not a JVM per check (compose/probe.sh).
                assertThat(s.path("healthcheck").path("test").get(1).asText())
                    .as(n)
                    .isEqualTo("/app/bin/probe");
                assertThat(s.path("healthcheck").path("test").toString())
                    .as(n)
                    .doesNotContain("java");
              }
            });
  }

  @Test
  void theDatabaseExportersAreHealthyOnlyWhenTheyReachTheirTarget() {
    JsonNode services =
        ComposeFiles.readYaml(ComposeFiles.dir().resolve("docker-compose.yml")).path("services");
    assertThat(services.path("postgres-exporter").path("healthcheck").path("test").toString())
        .contains("/metrics", "\"pg_up\"");
    assertThat(services.path("redis-exporter").path("healthcheck").path("test").toString())
        .contains("/metrics", "\"redis_up\"");
  }

  @Test
  void theDockerGroupIdHasNoDefaultAndEveryHostPortIsASetting() throws Exception {
    String yml = Files.readString(ComposeFiles.dir().resolve("docker-compose.yml"));
    // 999 is not the docker group on Debian (108, 105...): a missing DOCKER_GID stops compose.
    assertThat(yml).contains("${DOCKER_GID:?").doesNotContain("DOCKER_GID:-");
    JsonNode services =
        ComposeFiles.readYaml(ComposeFiles.dir().resolve("docker-compose.yml")).path("services");
    services
        .properties()
        .forEach(
            e ->
                e.getValue()
                    .path("ports")
                    .forEach(
                        p ->
                            assertThat(p.asText())
                                .as(e.getKey())
                                .matches(
                                    "\\$\\{CM_BIND:-127\\.0\\.0\\.1\\}:\\$\\{[A-Z_]+_PORT:-\\d+\\}:\\d+")));
    String env = Files.readString(ComposeFiles.dir().resolve(".env.example"));
    assertThat(env).doesNotContainPattern("(?m)^DOCKER_GID=");
  }

  @Test
  void resourceLimitsApplyWithDockerCompose1ThroughCompatibilityMode() throws Exception {
    // docker-compose 1.x applies deploy.resources only with --compatibility: stack.sh passes it and
    // the README says so; Compose v2 and Swarm apply them as they are.
    assertThat(Files.readString(ComposeFiles.dir().getParent().resolve("scripts/stack.sh")))
        .contains("docker-compose --compatibility");
    assertThat(Files.readString(ComposeFiles.dir().resolve("README.md")))
        .contains("--compatibility");
  }

  @Test
  void everySecretAServiceReadsIsMountedIntoItAndDefined() {
    JsonNode compose = ComposeFiles.readYaml(ComposeFiles.dir().resolve("docker-compose.yml"));
    Set<String> defined = new HashSet<>();
    compose.path("secrets").properties().forEach(e -> defined.add(e.getKey()));
    Pattern secretPath = Pattern.compile("/run/secrets/([A-Za-z0-9_.-]+)");
    compose
        .path("services")
        .properties()
        .forEach(
            e -> {
              Set<String> mounted = new HashSet<>();
              e.getValue().path("secrets").forEach(x -> mounted.add(x.asText()));
              assertThat(defined).as(e.getKey()).containsAll(mounted);
              Matcher m = secretPath.matcher(e.getValue().toString());
              while (m.find()) {
                assertThat(mounted).as(e.getKey() + " reads " + m.group()).contains(m.group(1));
              }
              e.getValue()
                  .path("environment")
                  .properties()
                  .forEach(
                      v -> {
                        if (v.getKey().endsWith("_FILE")
                            && !v.getValue().asText().startsWith("/")) {
                          // MinIO's entrypoint takes a secret name under /run/secrets.
                          assertThat(mounted).as(v.getKey()).contains(v.getValue().asText());
                        }
                      });
            });
  }

  @Test
  void everySecretTheComposeFileUsesIsAFileUnderSecretsAndGitignored() throws Exception {
    JsonNode compose = ComposeFiles.readYaml(ComposeFiles.dir().resolve("docker-compose.yml"));
    JsonNode secrets = compose.path("secrets");
    assertThat(secrets.size()).isGreaterThanOrEqualTo(5);
    for (JsonNode secret : secrets) {
      assertThat(secret.path("file").asText()).startsWith("./secrets/");
    }
    String gitignore = Files.readString(ComposeFiles.dir().getParent().resolve(".gitignore"));
    assertThat(gitignore).contains("compose/secrets/*", "compose/.env");
    // No password is written into the compose file or .env.example.
    for (String f : List.of("docker-compose.yml", ".env.example")) {
      String text = Files.readString(ComposeFiles.dir().resolve(f));
      assertThat(text)
          .doesNotContainPattern(
              "(?i)(password|pass|secret)(?![a-z_]*_file)[a-z_]*[ \\t]*[:=][ \\t]*[^\\s/$]");
    }
  }
}
