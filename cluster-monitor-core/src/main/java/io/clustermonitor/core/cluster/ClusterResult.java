package io.clustermonitor.core.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answers of all hosts to one {@link ClusterMonitor} query, in the order the hosts were added.
 *
 * @param hosts one result per host
 */
public record ClusterResult<T>(List<HostResult<T>> hosts) {

  /** Copies the list. */
  public ClusterResult {
    hosts = List.copyOf(Objects.requireNonNull(hosts, "hosts"));
  }

  /** Values of the hosts that answered, by host name. */
  public Map<String, T> values() {
    Map<String, T> out = new LinkedHashMap<>();
    for (HostResult<T> r : hosts) {
      if (r.ok()) {
        out.put(r.host(), r.value());
      }
    }
    return out;
  }

  /** Errors of the hosts that failed, by host name. */
  public Map<String, String> failures() {
    Map<String, String> out = new LinkedHashMap<>();
    for (HostResult<T> r : hosts) {
      if (!r.ok()) {
        out.put(r.host(), r.error());
      }
    }
    return out;
  }

  /** Whether every host answered. */
  public boolean allOk() {
    return hosts.stream().allMatch(HostResult::ok);
  }

  /** The result of one host. */
  public HostResult<T> host(String name) {
    for (HostResult<T> r : hosts) {
      if (r.host().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("no host named '" + name + "'");
  }
}
