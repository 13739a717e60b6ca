package io.clustermonitor.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clustermonitor.core.model.ContainerStats;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.HealthStatus;
import io.clustermonitor.core.stats.StatsSnapshot;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Renders a {@link StatsSnapshot} like {@code docker stats --no-stream}: the same columns, units
 * and rounding (docker/cli {@code formatter/stats.go} and go-units), plus a HEALTH column and a
 * summary line. Pure functions of the snapshot; the JSON form carries the same values.
 *
 * <pre>
 * NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS      HEALTH
 * burner    49.71%    852KiB / 64MiB      1.30%     0B / 0B   0B / 0B     1         -
 * 1 running, 0 healthy, 0 unhealthy
 * </pre>
 */
final class StatusView {
  static final List<String> COLUMNS =
      List.of(
          "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS", "HEALTH");

  /** Shown for values a container does not have yet (no stats sample so far). */
  static final String NO_VALUE = "--";

  private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusView() {}

  /** One table line: a running container and its stats ({@code null} while none are known). */
  record Row(ContainerSummary container, ContainerStats stats) {}

  /** Running containers sorted by name, each with its stats if the snapshot has them. */
  static List<Row> rows(StatsSnapshot snapshot) {
    List<Row> rows = new ArrayList<>();
    for (ContainerSummary c : snapshot.running()) {
      rows.add(new Row(c, snapshot.stats().get(c.id())));
    }
    rows.sort(Comparator.comparing(r -> r.container().name()));
    return rows;
  }

  /** The table, then the summary line; every line ends with a newline. */
  static String table(StatsSnapshot snapshot) {
    List<List<String>> lines = new ArrayList<>();
    lines.add(COLUMNS);
    for (Row r : rows(snapshot)) {
      lines.add(cells(r));
    }
    return align(lines) + summary(snapshot) + "\n";
  }

  /** {@code 3 running, 1 healthy, 1 unhealthy}. */
  static String summary(StatsSnapshot snapshot) {
    List<ContainerSummary> running = snapshot.running();
    return running.size()
        + " running, "
        + count(running, HealthStatus.HEALTHY)
        + " healthy, "
        + count(running, HealthStatus.UNHEALTHY)
        + " unhealthy";
  }

  private static long count(List<ContainerSummary> running, HealthStatus status) {
    return running.stream().filter(c -> c.health() == status).count();
  }

  /** The cells of one row, formatted as docker does. */
  static List<String> cells(Row r) {
    ContainerStats s = r.stats();
    String health =
        r.container().health() == HealthStatus.NONE ? "-" : r.container().health().engineName();
    if (s == null) {
      return List.of(
          r.container().name(),
          NO_VALUE,
          NO_VALUE + " / " + NO_VALUE,
          NO_VALUE,
          NO_VALUE + " / " + NO_VALUE,
          NO_VALUE + " / " + NO_VALUE,
          NO_VALUE,
          health);
    }
    return List.of(
        r.container().name(),
        s.hasCpuPercent() ? percent(s.cpuPercent()) : NO_VALUE,
        binarySize(s.memoryWorkingSetBytes()) + " / " + binarySize(s.memoryLimitBytes()),
        percent(s.memoryPercent()),
        decimalSize(s.networkReceiveBytes()) + " / " + decimalSize(s.networkTransmitBytes()),
        decimalSize(s.blockReadBytes()) + " / " + decimalSize(s.blockWriteBytes()),
        Long.toString(s.pids()),
        health);
  }

  /**
   * Aligns cells like Go's {@code tabwriter} as docker configures it (min width 10, padding 3); the
   * last column is not padded.
   */
  static String align(List<List<String>> lines) {
    int columns = lines.get(0).size();
    int[] width = new int[columns];
    for (List<String> line : lines) {
      for (int i = 0; i < columns - 1; i++) {
        width[i] = Math.max(width[i], Math.max(line.get(i).length() + 3, 10));
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : lines) {
      for (int i = 0; i < columns; i++) {
        String cell = line.get(i);
        out.append(cell);
        if (i < columns - 1) {
          out.append(" ".repeat(width[i] - cell.length()));
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * The same values as {@link #table} as one JSON object: {@code host}, {@code at}, {@code
   * containers} (percentages rounded to two decimals as in the table, sizes in bytes, {@code null}
   * where the table shows {@code --}) and {@code summary}.
   */
  static String json(StatsSnapshot snapshot) {
    ObjectNode root = JSON.createObjectNode();
    root.put("host", snapshot.host());
    root.put("at", snapshot.at().toString());
    ArrayNode containers = root.putArray("containers");
    for (Row r : rows(snapshot)) {
      ContainerSummary c = r.container();
      ObjectNode o = containers.addObject();
      o.put("id", c.id());
      o.put("name", c.name());
      o.put("image", c.image());
      o.put("state", c.state().engineName());
      o.put("health", c.health().engineName());
      ContainerStats s = r.stats();
      if (s == null) {
        for (String f :
            List.of(
                "cpuPercent",
                "memoryWorkingSetBytes",
                "memoryLimitBytes",
                "memoryLimited",
                "memoryPercent",
                "networkReceiveBytes",
                "networkTransmitBytes",
                "blockReadBytes",
                "blockWriteBytes",
                "pids")) {
          o.putNull(f);
        }
        continue;
      }
      if (s.hasCpuPercent()) {
        o.put("cpuPercent", round2(s.cpuPercent()));
      } else {
        o.putNull("cpuPercent"); // no value yet: one sample only
      }
      o.put("memoryWorkingSetBytes", s.memoryWorkingSetBytes());
      o.put("memoryLimitBytes", s.memoryLimitBytes()); // effective, as docker stats shows it
      o.put("memoryLimited", s.memoryLimited());
      o.put("memoryPercent", round2(s.memoryPercent()));
      o.put("networkReceiveBytes", s.networkReceiveBytes());
      o.put("networkTransmitBytes", s.networkTransmitBytes());
      o.put("blockReadBytes", s.blockReadBytes());
      o.put("blockWriteBytes", s.blockWriteBytes());
      o.put("pids", s.pids());
    }
    ObjectNode summary = root.putObject("summary");
    List<ContainerSummary> running = snapshot.running();
    summary.put("running", running.size());
    summary.put("healthy", count(running, HealthStatus.HEALTHY));
    summary.put("unhealthy", count(running, HealthStatus.UNHEALTHY));
    return root.toString();
  }

  /** {@code %.2f%%} as Go prints it. */
  static String percent(double value) {
    return round2(value).toPlainString() + "%";
  }

  private static BigDecimal round2(double value) {
    double v = Double.isFinite(value) ? value : 0;
    return new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN);
  }

  /** go-units {@code BytesSize}: base 1024, {@code %.4g}, e.g. {@code 64MiB}, {@code 23.54GiB}. */
  static String binarySize(double bytes) {
    return size(bytes, 1024, BINARY, 4);
  }

  /** go-units {@code HumanSizeWithPrecision(size, 3)}: base 1000, e.g. {@code 1.23kB}. */
  static String decimalSize(double bytes) {
    return size(bytes, 1000, DECIMAL, 3);
  }

  private static String size(double value, double base, String[] units, int precision) {
    int i = 0;
    double v = value;
    while (v >= base && i < units.length - 1) {
      v /= base;
      i++;
    }
    return formatG(v, precision) + units[i];
  }

  /** Go's {@code %.<precision>g}: shortest form, exponent form below 1e-4 or from 1e+precision. */
  static String formatG(double value, int precision) {
    if (value == 0 || !Double.isFinite(value)) {
      return "0";
    }
    BigDecimal rounded =
        new BigDecimal(value).round(new MathContext(precision, RoundingMode.HALF_EVEN));
    int exponent = rounded.precision() - rounded.scale() - 1;
    if (exponent < -4 || exponent >= precision) {
      String mantissa = rounded.movePointLeft(exponent).stripTrailingZeros().toPlainString();
      int abs = Math.abs(exponent);
      return mantissa + "e" + (exponent < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
    }
    return rounded.stripTrailingZeros().toPlainString();
  }
}
