package io.clustermonitor.examples.api;

import io.clustermonitor.core.ClusterMonitorException;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus HTTP service discovery ({@code http_sd_configs}) for running containers that opt in
 * with labels, the same convention as the Kubernetes annotations:
 *
 * <ul>
 *   <li>{@code prometheus.io/scrape=true} (required),
 *   <li>{@code prometheus.io/port} (required, 1-65535),
 *   <li>{@code prometheus.io/path} (optional, default {@code /metrics}),
 *   <li>{@code prometheus.io/scheme} (optional, {@code http} or {@code https}).
 * </ul>
 *
 * <p>A container on the host network is scraped at {@code 127.0.0.1:<port>}; otherwise the port
 * must be published and the published address is used ({@code 0.0.0.0} and {@code ::} become {@code
 * 127.0.0.1}). Containers with neither, or with malformed labels, are left out (logged).
 */
final class ServiceDiscovery {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceDiscovery.class);
  static final String SCRAPE = "prometheus.io/scrape";
  static final String PORT = "prometheus.io/port";
  static final String PATH = "prometheus.io/path";
  static final String SCHEME = "prometheus.io/scheme";
  private static final Pattern METRICS_PATH = Pattern.compile("/[A-Za-z0-9/_.~%+-]*");

  private final ReadOnlyDocker docker;

  /** Network facts per container id; they do not change while a container exists. */
  private final Map<String, Networking> networking = new ConcurrentHashMap<>();

  private record Networking(String mode, List<String> ports) {}

  ServiceDiscovery(ReadOnlyDocker docker) {
    this.docker = docker;
  }

  List<Object> targets(StatsSnapshot snapshot) {
    List<Object> groups = new ArrayList<>();
    List<ContainerSummary> running = ApiRoutes.newestFirst(snapshot.running());
    networking.keySet().retainAll(running.stream().map(ContainerSummary::id).toList());
    for (ContainerSummary c : running) {
      Map<String, String> labels = c.labels();
      if (!"true".equalsIgnoreCase(labels.getOrDefault(SCRAPE, "").trim())) {
        continue;
      }
      int port = port(labels.get(PORT));
      String path = labels.getOrDefault(PATH, "/metrics").trim();
      String scheme = labels.getOrDefault(SCHEME, "http").trim().toLowerCase(java.util.Locale.ROOT);
      if (port < 0 || !METRICS_PATH.matcher(path).matches() || !scheme.matches("https?")) {
        LOG.info(
            "service discovery: skipping {} ({}={}, {}={}, {}={})",
            c.name(),
            PORT,
            labels.get(PORT),
            PATH,
            labels.get(PATH),
            SCHEME,
            labels.get(SCHEME));
        continue;
      }
      String address = address(c, port);
      if (address == null) {
        continue;
      }
      Map<String, Object> group = new LinkedHashMap<>();
      group.put("targets", List.of(address));
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("__metrics_path__", path);
      meta.put("__scheme__", scheme);
      meta.put("container", c.name());
      meta.put("__meta_docker_container_id", c.id());
      meta.put("__meta_docker_container_name", c.name());
      meta.put("__meta_docker_container_image", c.image());
      meta.put("__meta_docker_host", c.host());
      if (c.composeProject() != null) {
        meta.put("__meta_docker_compose_project", c.composeProject());
      }
      if (c.composeService() != null) {
        meta.put("__meta_docker_compose_service", c.composeService());
      }
      group.put("labels", meta);
      groups.add(group);
    }
    return groups;
  }

  static int port(String value) {
    if (value == null || !value.trim().matches("[0-9]{1,5}")) {
      return -1;
    }
    int p = Integer.parseInt(value.trim());
    return p >= 1 && p <= 65535 ? p : -1;
  }

  private String address(ContainerSummary c, int port) {
    Networking n = networking.get(c.id());
    if (n == null) {
      try {
        ContainerDetails d = docker.container(c.id());
        n = new Networking(d.networkMode(), d.ports());
        networking.put(c.id(), n);
      } catch (ClusterMonitorException e) {
        LOG.debug("service discovery: cannot inspect {}", c.name(), e);
        return null;
      }
    }
    String a = address(n.mode(), n.ports(), port);
    if (a == null) {
      LOG.info(
          "service discovery: {} asks for port {} but is neither on the host network nor"
              + " publishes it",
          c.name(),
          port);
    }
    return a;
  }

  /**
   * The scrape address for a network mode and published ports ({@code
   * hostIp:hostPort->port/proto}), or {@code null}.
   */
  static String address(String networkMode, List<String> ports, int port) {
    if ("host".equals(networkMode)) {
      return "127.0.0.1:" + port;
    }
    for (String p : ports) {
      int arrow = p.lastIndexOf("->");
      if (arrow < 0) {
        continue;
      }
      String target = p.substring(arrow + 2);
      int slash = target.indexOf('/');
      String containerPort = slash < 0 ? target : target.substring(0, slash);
      String proto = slash < 0 ? "tcp" : target.substring(slash + 1);
      if (!containerPort.equals(Integer.toString(port)) || !proto.equals("tcp")) {
        continue;
      }
      String published = p.substring(0, arrow);
      int colon = published.lastIndexOf(':');
      if (colon < 0) {
        continue;
      }
      String ip = published.substring(0, colon);
      String hostPort = published.substring(colon + 1);
      if (port(hostPort) < 0) {
        continue;
      }
      if (ip.isEmpty() || ip.equals("0.0.0.0") || ip.equals("::") || ip.equals("[::]")) {
        ip = "127.0.0.1";
      } else if (ip.contains(":") && !ip.startsWith("[")) {
        ip = "[" + ip + "]";
      }
      return ip + ":" + hostPort;
    }
    return null;
  }
}
