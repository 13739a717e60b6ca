package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** {@code node_time_seconds}, the time zone offset and the clock sources. */
final class TimeCollector implements SubCollector {
  private static final DateTimeFormatter ZONE = DateTimeFormatter.ofPattern("zzz", Locale.ROOT);

  private final HostPaths paths;
  private final Clock clock;

  TimeCollector(HostPaths paths, Clock clock) {
    this.paths = paths;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "time";
  }

  @Override
  public void collect(List<MetricFamily> out) throws IOException {
    Instant now = clock.instant();
    out.add(
        StatCollector.gauge(
            "node_time_seconds",
            "System time in seconds since epoch (1970).",
            now.getEpochSecond() + now.getNano() / 1e9));
    ZoneId zoneId = clock.getZone();
    ZonedDateTime zoned = now.atZone(zoneId);
    out.add(
        MetricFamily.builder("node_time_zone_offset_seconds", MetricType.GAUGE)
            .help("System time zone offset in seconds.")
            .sample(zoned.getOffset().getTotalSeconds(), "time_zone", ZONE.format(zoned))
            .build());
    Path dir = paths.sys("devices/system/clocksource");
    if (!Files.isDirectory(dir)) {
      return;
    }
    MetricFamily.Builder available =
        MetricFamily.builder("node_time_clocksource_available_info", MetricType.GAUGE)
            .help("Available clocksources read from '/sys/devices/system/clocksource'.");
    MetricFamily.Builder current =
        MetricFamily.builder("node_time_clocksource_current_info", MetricType.GAUGE)
            .help("Current clocksource read from '/sys/devices/system/clocksource'.");
    try (var stream = Files.list(dir)) {
      for (Path p : stream.sorted().toList()) {
        String name = p.getFileName().toString();
        if (!name.startsWith("clocksource")) {
          continue;
        }
        String device = name.substring("clocksource".length());
        Path avail = p.resolve("available_clocksource");
        if (Files.isReadable(avail)) {
          for (String source : HostPaths.text(avail).split("\\s+")) {
            if (!source.isEmpty()) {
              available.sample(1, "clocksource", source, "device", device);
            }
          }
        }
        Path cur = p.resolve("current_clocksource");
        if (Files.isReadable(cur)) {
          current.sample(1, "clocksource", HostPaths.text(cur), "device", device);
        }
      }
    }
    if (!available.isEmpty()) {
      out.add(available.build());
    }
    if (!current.isEmpty()) {
      out.add(current.build());
    }
  }
}
