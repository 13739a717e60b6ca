package io.clustermonitor.exporters.docs;

import io.clustermonitor.core.DockerMonitor;
import io.clustermonitor.exporters.CollectorBridge;
import io.clustermonitor.exporters.ExporterConfig;
import io.clustermonitor.exporters.ExporterServer;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.Secret;
import io.clustermonitor.exporters.TargetScraper;
import io.clustermonitor.exporters.TargetScraper.Scrape;
import io.clustermonitor.exporters.container.ContainerCollector;
import io.clustermonitor.exporters.container.ContainerMetrics;
import io.clustermonitor.exporters.node.HostMetrics;
import io.clustermonitor.exporters.node.NodeCollector;
import io.clustermonitor.exporters.postgres.DataSource;
import io.clustermonitor.exporters.postgres.PostgresCollector;
import io.clustermonitor.exporters.postgres.PostgresMetrics;
import io.clustermonitor.exporters.redis.RedisCollector;
import io.clustermonitor.exporters.redis.RedisMetrics;
import io.clustermonitor.exporters.selfmetrics.ExporterBuildInfo;
import io.clustermonitor.exporters.selfmetrics.ProcessCollector;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import io.clustermonitor.exporters.web.WebConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The examples of this module's public Javadoc: each {@code <pre>{@code ...}</pre>} block shows
 * exactly one tagged region of this file (checked by {@link JavadocExamplesTest}), so every example
 * compiles against the current API.
 */
final class JavadocExamples {
  private JavadocExamples() {}

  /** The user-written collector the examples register. */
  static final class QueueDepthCollector implements MetricsCollector {
    private final Collection<?> queue;

    QueueDepthCollector() {
      this(List.of());
    }

    QueueDepthCollector(Collection<?> queue) {
      this.queue = queue;
    }

    @Override
    public String name() {
      return "queue";
    }

    @Override
    public List<MetricFamily> collect() {
      return List.of(
          MetricFamily.builder("myapp_queue_depth", MetricType.GAUGE)
              .help("Messages waiting.")
              .sample(queue.size(), "queue", "orders")
              .build());
    }
  }

  static List<MetricFamily> nodeCollector() {
    // tag::NodeCollector[]
    NodeCollector node = NodeCollector.builder().procfs(Path.of("/host/proc")).build();
    List<MetricFamily> families = node.collect();
    // end::NodeCollector[]
    return families;
  }

  static CollectorBridge hostMetrics(PrometheusRegistry registry) {
    // tag::HostMetrics[]
    CollectorBridge host =
        HostMetrics.builder()
            .procfs(Path.of("/host/proc"))
            .sysfs(Path.of("/host/sys"))
            .configure(n -> n.disableDefaults().enable("cpu").enable("meminfo"))
            .register(registry);
    // end::HostMetrics[]
    return host;
  }

  static CollectorBridge collectorBridge() {
    // tag::CollectorBridge[]
    PrometheusRegistry registry = new PrometheusRegistry();
    CollectorBridge bridge =
        CollectorBridge.builder()
            .namespace("myapp")
            .collector(new QueueDepthCollector())
            .timeout(Duration.ofSeconds(2))
            .register(registry);
    // on shutdown: bridge.close();
    // end::CollectorBridge[]
    return bridge;
  }

  static TargetScraper redisCollector() {
    // tag::RedisCollector[]
    RedisCollector redis =
        RedisCollector.builder()
            .address("rediss://cache.example:6380")
            .user("monitor")
            .password("secret")
            .checkKeys("db0=session:*")
            .build();
    List<MetricFamily> families = redis.collect();
    TargetScraper scrape = redis.targetScraper(); // for /scrape?target=...
    // end::RedisCollector[]
    return scrape;
  }

  static CollectorBridge redisMetrics(PrometheusRegistry registry) {
    // tag::RedisMetrics[]
    CollectorBridge redis =
        RedisMetrics.builder("redis://127.0.0.1:6379")
            .configure(r -> r.passwordFile(Path.of("/run/secrets/redis")))
            .register(registry);
    // end::RedisMetrics[]
    return redis;
  }

  static void exporterConfig(String[] args, MetricsCollector collector)
      throws InterruptedException {
    // tag::ExporterConfig[]
    ExporterConfig config = ExporterConfig.parse(args, System.getenv(), "127.0.0.1:9100");
    try (ExporterServer server =
        ExporterServer.builder().config(config).namespace("node").register(collector).start()) {
      server.awaitTermination();
    }
    // end::ExporterConfig[]
  }

  static void webConfig(MetricsCollector collector) {
    // tag::WebConfig[]
    WebConfig web = WebConfig.load(Path.of("/etc/node_exporter/web.yml"));
    web.applyTo(ExporterServer.builder())
        .listenAddress("127.0.0.1:9100")
        .register(collector)
        .start();
    // end::WebConfig[]
  }

  static CollectorBridge postgresMetrics(PrometheusRegistry registry, String password) {
    // tag::PostgresMetrics[]
    CollectorBridge pg =
        PostgresMetrics.builder(
                DataSource.parse("postgresql://monitor@db:5432/app?sslmode=disable")
                    .withPassword(Secret.of(password)))
            .register(registry);
    // end::PostgresMetrics[]
    return pg;
  }

  static List<MetricFamily> postgresCollector() {
    // tag::PostgresCollector[]
    PostgresCollector pg =
        PostgresCollector.builder()
            .dataSources(DataSource.fromEnvironment(System.getenv()))
            .userQueries(Path.of("queries.yaml"))
            .build();
    List<MetricFamily> families = pg.collect();
    // end::PostgresCollector[]
    return families;
  }

  static void targetScraper() {
    // tag::TargetScraper[]
    ExporterServer.builder()
        .target(
            "/scrape",
            query -> {
              List<String> target = query.getOrDefault("target", List.of());
              if (target.size() != 1) {
                throw new IllegalArgumentException("exactly one target= expected");
              }
              return Scrape.of(List.of(RedisCollector.builder().address(target.get(0)).build()));
            })
        .start();
    // end::TargetScraper[]
  }

  static void collectorTestKit(Collection<String> queue) {
    // tag::CollectorTestKit[]
    MetricsCollector collector = new QueueDepthCollector(queue);
    CollectorTestKit.assertValid(collector);
    CollectorTestKit.assertGolden(
        """
        # HELP myapp_queue_depth Messages waiting.
        # TYPE myapp_queue_depth gauge
        myapp_queue_depth{queue="orders"} 3
        """,
        collector);
    // end::CollectorTestKit[]
  }

  static List<MetricFamily> metricFamily() {
    // tag::MetricFamily[]
    MetricFamily load =
        MetricFamily.builder("node_load1", MetricType.GAUGE)
            .help("1m load average.")
            .sample(0.42)
            .build();
    MetricFamily commits =
        MetricFamily.builder("pg_stat_database_xact_commit", MetricType.COUNTER)
            .help("Number of transactions in this database that have been committed")
            .sample(1234, "datid", "5", "datname", "postgres")
            .build();
    // end::MetricFamily[]
    return List.of(load, commits);
  }

  static DataSource secret() throws IOException {
    // tag::Secret[]
    Secret pw = Secret.of(Files.readString(Path.of("/run/secrets/pg")).strip());
    DataSource db = DataSource.parse("postgresql://monitor@db:5432/app").withPassword(pw);
    // end::Secret[]
    return db;
  }

  static void exporterServer() throws InterruptedException {
    // tag::ExporterServer[]
    try (ExporterServer server =
        ExporterServer.builder()
            .listenAddress("127.0.0.1:9400")
            .namespace("myapp")
            .register(new QueueDepthCollector())
            .start()) {
      server.awaitTermination();
    }
    // end::ExporterServer[]
  }

  static void exporterServerExporterMetrics() {
    // tag::ExporterServer#2[]
    ExporterServer.builder()
        .namespace("node")
        .register(NodeCollector.create().subCollectors().toArray(new MetricsCollector[0]))
        .exporterMetrics(new ProcessCollector(), ExporterBuildInfo.node())
        .start();
    // end::ExporterServer#2[]
  }

  static CollectorBridge containerMetrics(DockerMonitor monitor) {
    // tag::ContainerMetrics[]
    PrometheusRegistry registry = new PrometheusRegistry();
    CollectorBridge containers =
        ContainerMetrics.builder(monitor)
            .configure(c -> c.include("^web-.*"))
            .timeout(Duration.ofSeconds(3))
            .register(registry);
    // end::ContainerMetrics[]
    return containers;
  }

  static MetricsCollector containerCollector() {
    // tag::ContainerCollector[]
    DockerMonitor docker = DockerMonitor.fromEnvironment();
    MetricsCollector containers =
        ContainerCollector.builder(docker)
            .exclude("buildx_.*")
            .labelAllowList(List.of("com.docker.compose.service"))
            .build();
    // end::ContainerCollector[]
    return containers;
  }
}
