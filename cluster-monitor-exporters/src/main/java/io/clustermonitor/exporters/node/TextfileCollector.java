package io.clustermonitor.exporters.node;

import io.clustermonitor.core.internal.PrometheusText;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * node_exporter's textfile collector: the {@code *.prom} files of {@code
 * --collector.textfile.directory} (a directory, or a glob of directories), parsed with the text
 * format rules by {@link PrometheusText#parseFamilies}.
 *
 * <p>As node_exporter 1.7: a file that cannot be read or parsed, or that carries client-side
 * timestamps, contributes nothing and sets {@code node_textfile_scrape_error 1}; the others still
 * count. {@code node_textfile_mtime_seconds{file}} (full path, whole seconds) for every file read.
 * A family without HELP gets {@code Metric read from <files>}. The same family in several files is
 * merged; where a later file gives it another type or help, or repeats a series, those samples are
 * dropped with a warning (Go's registry drops them at gather time and still answers 200). Samples
 * missing one of the family's label names get it with an empty value. Histograms and summaries are
 * exported as Go's const histograms and summaries: buckets sorted by bound with {@code le="+Inf"}
 * added from {@code _count} when the file has none, quantiles sorted, missing {@code _sum} or
 * {@code _count} as 0.
 */
final class TextfileCollector implements SubCollector {
  private static final Logger LOG = LoggerFactory.getLogger(TextfileCollector.class);

  private final String directory;

  TextfileCollector(String directory) {
    this.directory = directory == null ? "" : directory;
  }

  @Override
  public String name() {
    return "textfile";
  }

  private record Parsed(Path file, PrometheusText.Family family) {}

  @Override
  public void collect(List<MetricFamily> out) {
    boolean errored = false;
    Map<String, Double> mtimes = new TreeMap<>();
    List<Parsed> parsed = new ArrayList<>();
    for (Path dir : directories()) {
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
        for (Path p : s) {
          if (p.getFileName().toString().endsWith(".prom")) {
            files.add(p);
          }
        }
      } catch (IOException | RuntimeException e) {
        errored = true;
        LOG.error("failed to read textfile collector directory {}: {}", dir, e.toString());
        continue;
      }
      files.sort(null);
      for (Path file : files) {
        try {
          List<PrometheusText.Family> families =
              PrometheusText.parseFamilies(Files.readString(file, StandardCharsets.UTF_8));
          for (PrometheusText.Family f : families) {
            if (f.timestamps()) {
              throw new IOException(
                  "textfile "
                      + file
                      + " contains unsupported client-side timestamps,"
                      + " skipping entire file");
            }
          }
          for (PrometheusText.Family f : families) {
            parsed.add(new Parsed(file, f));
          }
          mtimes.put(file.toString(), (double) Files.getLastModifiedTime(file).toMillis() / 1000);
        } catch (IOException | PrometheusText.ParseException | RuntimeException e) {
          errored = true;
          LOG.error("failed to collect textfile data from {}: {}", file, e.getMessage());
        }
      }
    }
    errored |= convert(parsed, out);
    if (!mtimes.isEmpty()) {
      MetricFamily.Builder m =
          MetricFamily.builder("node_textfile_mtime_seconds", MetricType.GAUGE)
              .help("Unixtime mtime of textfiles successfully read.");
      mtimes.forEach((file, t) -> m.sample(Math.floor(t), "file", file));
      out.add(m.build());
    }
    out.add(
        StatCollector.gauge(
            "node_textfile_scrape_error",
            "1 if there was an error opening or reading a file, 0 otherwise",
            errored ? 1 : 0));
  }

  /**
   * One series of a family: a value for counters, gauges and untyped; bucket bounds or quantiles
   * with sum and count for histograms and summaries (Go's text parser's {@code dto.Metric}).
   */
  private static final class Series {
    final Map<String, String> labels;
    double value;
    final TreeMap<Double, Double> points = new TreeMap<>();
    double sum;
    double count;

    Series(Map<String, String> labels) {
      this.labels = labels;
    }
  }

  /**
   * The series of one parsed family. Histogram and summary samples with the same labels apart from
   * {@code le}/{@code quantile} form one series, as Go's parser groups them: {@code _sum} and
   * {@code _count} default to 0, bucket and sample counts are truncated to integers (Go keeps them
   * as {@code uint64}), a repeated bound or quantile keeps its last value and a NaN bound or
   * quantile is ignored.
   */
  private static List<Series> seriesOf(PrometheusText.Family f) {
    String special =
        switch (f.type()) {
          case "histogram" -> "le";
          case "summary" -> "quantile";
          default -> null;
        };
    if (special == null) {
      List<Series> out = new ArrayList<>();
      for (PrometheusText.Sample s : f.samples()) {
        Series one = new Series(s.labels());
        one.value = s.value();
        out.add(one);
      }
      return out;
    }
    Map<Map<String, String>, Series> children = new LinkedHashMap<>();
    for (PrometheusText.Sample s : f.samples()) {
      Map<String, String> key = new LinkedHashMap<>(s.labels());
      String bound = key.remove(special);
      Series c = children.computeIfAbsent(key, Series::new);
      if (s.name().equals(f.name() + "_sum")) {
        c.sum = s.value();
      } else if (s.name().equals(f.name() + "_count")) {
        c.count = truncate(s.value());
      } else if (bound != null) {
        double at = PrometheusText.parseGoFloat(bound);
        if (!Double.isNaN(at)) {
          c.points.put(at, special.equals("le") ? truncate(s.value()) : s.value());
        }
      }
    }
    return new ArrayList<>(children.values());
  }

  private static double truncate(double v) {
    return Double.isFinite(v) ? (double) (long) v : v;
  }

  /** Merges the parsed families into {@code out}; returns whether a family could not be kept. */
  private static boolean convert(List<Parsed> parsed, List<MetricFamily> out) {
    Map<String, List<String>> filesOf = new LinkedHashMap<>();
    for (Parsed p : parsed) {
      filesOf.computeIfAbsent(p.family().name(), k -> new ArrayList<>()).add(p.file().toString());
    }
    Map<String, String> helpOf = new LinkedHashMap<>();
    Map<String, String> typeOf = new LinkedHashMap<>();
    Map<String, List<Series>> seriesOf = new LinkedHashMap<>();
    Map<String, Set<Map<String, String>>> seen = new LinkedHashMap<>();
    boolean errored = false;
    for (Parsed p : parsed) {
      PrometheusText.Family f = p.family();
      String name = f.name();
      String help =
          f.help() != null ? f.help() : "Metric read from " + String.join(", ", filesOf.get(name));
      if (helpOf.containsKey(name)
          && (!helpOf.get(name).equals(help) || !typeOf.get(name).equals(f.type()))) {
        LOG.warn(
            "textfile {}: metric {} has help \"{}\" and type {} but should have \"{}\" and {}:"
                + " its samples are dropped",
            p.file(),
            name,
            help,
            f.type(),
            helpOf.get(name),
            typeOf.get(name));
        continue;
      }
      helpOf.putIfAbsent(name, help);
      typeOf.putIfAbsent(name, f.type());
      for (Series s : seriesOf(f)) {
        if (!seen.computeIfAbsent(name, k -> new HashSet<>()).add(s.labels)) {
          LOG.warn(
              "textfile {}: {}{} was collected before with the same name and label values",
              p.file(),
              name,
              s.labels);
          continue;
        }
        seriesOf.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
      }
    }
    Map<String, MetricType> kept = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : helpOf.entrySet()) {
      String name = e.getKey();
      List<Series> series = seriesOf.getOrDefault(name, List.of());
      Set<String> names = new java.util.TreeSet<>();
      series.forEach(s -> names.addAll(s.labels.keySet()));
      MetricType type =
          switch (typeOf.get(name)) {
            case "counter" -> MetricType.COUNTER;
            case "gauge" -> MetricType.GAUGE;
            case "histogram" -> MetricType.HISTOGRAM;
            case "summary" -> MetricType.SUMMARY;
            default -> MetricType.UNTYPED;
          };
      MetricFamily.Builder b = MetricFamily.builder(name, type).help(e.getValue());
      try {
        for (Series s : series) {
          Map<String, String> sorted = new LinkedHashMap<>();
          for (String n : names) {
            sorted.put(n, s.labels.getOrDefault(n, ""));
          }
          switch (type) {
            case HISTOGRAM -> b.histogram(sorted, s.points, s.sum, s.count);
            case SUMMARY -> b.summary(sorted, s.points, s.sum, s.count);
            default -> b.sample(s.value, sorted);
          }
        }
        if (!b.isEmpty() && !collides(name, type, kept)) {
          out.add(b.build());
          kept.put(name, type);
        }
      } catch (IllegalArgumentException ex) {
        LOG.error("textfile metric {} rejected: {}", name, ex.getMessage());
        errored = true;
      }
    }
    return errored;
  }

  /**
   * Whether {@code name} clashes with a sample name of a family kept before ({@code x_count} of
   * summary {@code x}, or the other way round), which Go's registry drops at gather time.
   */
  private static boolean collides(String name, MetricType type, Map<String, MetricType> kept) {
    List<String> suffixes =
        switch (type) {
          case HISTOGRAM -> List.of("_bucket", "_sum", "_count");
          case SUMMARY -> List.of("_sum", "_count");
          default -> List.of();
        };
    for (String suffix : suffixes) {
      if (kept.containsKey(name + suffix)) {
        LOG.warn("textfile metric {} collides with the family {}: dropped", name, name + suffix);
        return true;
      }
    }
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (name.endsWith(suffix)) {
        MetricType base = kept.get(name.substring(0, name.length() - suffix.length()));
        if (base == MetricType.HISTOGRAM
            || (base == MetricType.SUMMARY && !suffix.equals("_bucket"))) {
          LOG.warn("textfile metric {} collides with the {} of its base name: dropped", name, base);
          return true;
        }
      }
    }
    return false;
  }

  private List<Path> directories() {
    if (directory.isEmpty()) {
      return List.of();
    }
    if (!directory.matches(".*[*?\\[{].*")) {
      return List.of(Path.of(directory));
    }
    Path pattern = Path.of(directory);
    Path parent = pattern.getParent() == null ? Path.of(".") : pattern.getParent();
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(parent)) {
      for (Path p : s) {
        if (m.matches(p) && Files.isDirectory(p)) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      return List.of(pattern); // as Go: not a glob that matched; read it as a directory
    }
    out.sort(null);
    return out.isEmpty() ? List.of(pattern) : out;
  }
}
