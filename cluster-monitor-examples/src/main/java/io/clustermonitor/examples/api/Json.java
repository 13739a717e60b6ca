package io.clustermonitor.examples.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermonitor.core.model.AggregateStats;
import io.clustermonitor.core.model.BlockDeviceStats;
import io.clustermonitor.core.model.ContainerDetails;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.HealthProbe;
import io.clustermonitor.core.model.NetworkInterfaceStats;
import io.clustermonitor.core.model.ResourceLimits;
import io.clustermonitor.core.model.SystemInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shapes of the API, written field by field from the model records. Nothing is serialized
 * by reflection, so a field added to a record (or an environment value) can never leak into an
 * answer without a change here.
 *
 * <p>The container list, the largest and most requested answer, is streamed field by field ({@link
 * #summaries}) with the generator of the same factory, so it has exactly the bytes {@link #bytes}
 * gives for the list of {@link #summary} maps, without building those maps.
 */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  /** Bytes of the list per container, about: the first guess of the output buffer's size. */
  private static final int SUMMARY_BYTES = 768;

  private Json() {}

  /** A body already serialized to JSON, answered as is. */
  record Raw(byte[] bytes) {}

  static byte[] bytes(Object value) {
    if (value instanceof Raw r) {
      return r.bytes();
    }
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      // Only maps, lists, strings, numbers and booleans reach here; this cannot happen.
      throw new IllegalStateException("JSON serialization failed", e);
    }
  }

  static String text(Object value) {
    return new String(bytes(value), StandardCharsets.UTF_8);
  }

  static Map<String, Object> error(int status, String code, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("error", code);
    m.put("message", message);
    return m;
  }

  static String instant(Instant i) {
    return i == null ? null : i.toString();
  }

  static Map<String, Object> summary(ContainerSummary c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("shortId", c.shortId());
    m.put("name", c.name());
    m.put("image", c.image());
    m.put("state", c.state().engineName());
    m.put("health", c.health().engineName());
    m.put("createdAt", instant(c.createdAt()));
    m.put("startedAt", instant(c.startedAt()));
    m.put("finishedAt", instant(c.finishedAt()));
    m.put("exitCode", c.exitCode());
    m.put("oomKilled", c.oomKilled());
    m.put("restartCount", c.restartCount());
    m.put("labels", new TreeMap<>(c.labels()));
    m.put("limits", limits(c.limits()));
    m.put("composeProject", c.composeProject());
    m.put("composeService", c.composeService());
    m.put("host", c.host());
    return m;
  }

  /**
   * The JSON array of {@link #summary} of each container, in order, streamed: the same bytes as
   * {@code bytes(list of summary maps)}.
   */
  static byte[] summaries(List<ContainerSummary> containers) {
    ByteArrayBuilder out = new ByteArrayBuilder(Math.max(64, containers.size() * SUMMARY_BYTES));
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartArray();
      for (ContainerSummary c : containers) {
        writeSummary(g, c);
      }
      g.writeEndArray();
    } catch (IOException e) {
      // An in-memory buffer does not fail.
      throw new UncheckedIOException("JSON serialization failed", e);
    }
    return out.toByteArray();
  }

  /** One {@link #summary}, field by field in the same order. */
  private static void writeSummary(JsonGenerator g, ContainerSummary c) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", c.id());
    g.writeStringField("shortId", c.shortId());
    g.writeStringField("name", c.name());
    g.writeStringField("image", c.image());
    g.writeStringField("state", c.state().engineName());
    g.writeStringField("health", c.health().engineName());
    g.writeStringField("createdAt", instant(c.createdAt()));
    g.writeStringField("startedAt", instant(c.startedAt()));
    g.writeStringField("finishedAt", instant(c.finishedAt()));
    g.writeNumberField("exitCode", c.exitCode());
    g.writeBooleanField("oomKilled", c.oomKilled());
    g.writeNumberField("restartCount", c.restartCount());
    g.writeFieldName("labels");
    g.writeStartObject();
    Map<String, String> labels = c.labels();
    String[] keys = labels.keySet().toArray(new String[0]);
    Arrays.sort(keys); // the TreeMap order of summary()
    for (String k : keys) {
      g.writeStringField(k, labels.get(k));
    }
    g.writeEndObject();
    ResourceLimits l = c.limits();
    g.writeFieldName("limits");
    g.writeStartObject();
    g.writeNumberField("memoryLimitBytes", l.memoryLimitBytes());
    g.writeBooleanField("memoryLimited", l.memoryLimited());
    g.writeNumberField("memorySwapLimitBytes", l.memorySwapLimitBytes());
    g.writeNumberField("cpuLimitCores", l.cpuLimitCores());
    g.writeNumberField("cpuQuotaMicros", l.cpuQuotaMicros());
    g.writeNumberField("cpuPeriodMicros", l.cpuPeriodMicros());
    g.writeNumberField("cpuShares", l.cpuShares());
    g.writeNumberField("nanoCpus", l.nanoCpus());
    g.writeNumberField("pidsLimit", l.pidsLimit());
    g.writeEndObject();
    g.writeStringField("composeProject", c.composeProject());
    g.writeStringField("composeService", c.composeService());
    g.writeStringField("host", c.host());
    g.writeEndObject();
  }

  static Map<String, Object> limits(ResourceLimits l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("memoryLimitBytes", l.memoryLimitBytes()); // 0: no limit
    m.put("memoryLimited", l.memoryLimited());
    m.put("memorySwapLimitBytes", l.memorySwapLimitBytes());
    m.put("cpuLimitCores", l.cpuLimitCores());
    m.put("cpuQuotaMicros", l.cpuQuotaMicros());
    m.put("cpuPeriodMicros", l.cpuPeriodMicros());
    m.put("cpuShares", l.cpuShares());
    m.put("nanoCpus", l.nanoCpus());
    m.put("pidsLimit", l.pidsLimit());
    return m;
  }

  /** Details; {@code environmentNames} carries names only, by the record's own contract. */
  static Map<String, Object> details(ContainerDetails d) {
    Map<String, Object> m = summary(d.summary());
    m.put("command", d.command());
    m.put("workingDir", d.workingDir());
    m.put("user", d.user());
    m.put("environmentNames", d.environmentNames());
    m.put("pid", d.pid());
    m.put("networkMode", d.networkMode());
    m.put("restartPolicy", d.restartPolicy());
    m.put("mounts", d.mounts());
    m.put("ports", d.ports());
    m.put("healthCheckCommand", d.healthCheckCommand());
    List<Map<String, Object>> probes = new ArrayList<>();
    for (HealthProbe p : d.healthProbes()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("start", instant(p.start()));
      e.put("end", instant(p.end()));
      e.put("exitCode", p.exitCode());
      e.put("output", p.output());
      probes.add(e);
    }
    m.put("healthProbes", probes);
    return m;
  }

  static Map<String, Object> stats(ContainerStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("name", s.name());
    m.put("host", s.host());
    m.put("read", instant(s.read()));
    m.put("cpuPercent", s.hasCpuPercent() ? s.cpuPercent() : null); // null: no value yet
    m.put("cpuSeconds", s.cpuSeconds());
    m.put("onlineCpus", s.current().cpu().onlineCpus());
    m.put("cpuThrottledPeriods", s.current().cpu().throttledPeriods());
    m.put("memoryUsageBytes", s.memoryUsageBytes());
    m.put("memoryWorkingSetBytes", s.memoryWorkingSetBytes());
    m.put("memoryLimitBytes", s.memoryLimitBytes()); // effective: host memory without a limit
    m.put("memoryLimited", s.memoryLimited());
    m.put("memoryPercent", s.memoryPercent());
    m.put("networkReceiveBytes", s.networkReceiveBytes());
    m.put("networkTransmitBytes", s.networkTransmitBytes());
    m.put("blockReadBytes", s.blockReadBytes());
    m.put("blockWriteBytes", s.blockWriteBytes());
    m.put("pids", s.pids());
    List<Object> nets = new ArrayList<>();
    for (NetworkInterfaceStats n : s.networks()) {
      Map<String, Object> nm = new LinkedHashMap<>();
      nm.put("name", n.name());
      nm.put("receiveBytes", n.receiveBytes());
      nm.put("receivePackets", n.receivePackets());
      nm.put("transmitBytes", n.transmitBytes());
      nm.put("transmitPackets", n.transmitPackets());
      nets.add(nm);
    }
    m.put("networks", nets);
    List<Object> devices = new ArrayList<>();
    for (BlockDeviceStats b : s.current().blockDevices()) {
      Map<String, Object> bm = new LinkedHashMap<>();
      bm.put("device", b.device());
      bm.put("readBytes", b.readBytes());
      bm.put("writeBytes", b.writeBytes());
      devices.add(bm);
    }
    m.put("blockDevices", devices);
    return m;
  }

  static Map<String, Object> aggregate(AggregateStats a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", instant(a.at()));
    m.put("containers", a.containers());
    m.put("cpuPercent", a.cpuPercent());
    m.put("memoryWorkingSetBytes", a.memoryWorkingSetBytes());
    m.put("memoryLimitBytes", a.memoryLimitBytes());
    m.put("networkReceiveBytes", a.networkReceiveBytes());
    m.put("networkTransmitBytes", a.networkTransmitBytes());
    m.put("blockReadBytes", a.blockReadBytes());
    m.put("blockWriteBytes", a.blockWriteBytes());
    m.put("pids", a.pids());
    return m;
  }

  static Map<String, Object> systemInfo(SystemInfo s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", s.host());
    m.put("engineVersion", s.engine().version());
    m.put("apiVersion", s.engine().apiVersion());
    m.put("operatingSystem", s.machine().operatingSystem());
    m.put("osType", s.machine().osType());
    m.put("architecture", s.machine().architecture());
    m.put("kernelVersion", s.machine().kernelVersion());
    m.put("hostname", s.machine().hostname());
    m.put("cpus", s.machine().cpus());
    m.put("memoryBytes", s.machine().memoryBytes());
    m.put("containers", s.counts().total());
    m.put("containersRunning", s.counts().running());
    m.put("containersPaused", s.counts().paused());
    m.put("containersStopped", s.counts().stopped());
    m.put("images", s.engine().images());
    m.put("storageDriver", s.engine().storageDriver());
    m.put("cgroupDriver", s.engine().cgroupDriver());
    m.put("cgroupVersion", s.engine().cgroupVersion());
    m.put("statsSource", s.statsSource());
    return m;
  }
}
