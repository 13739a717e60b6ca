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
 * missing one of the family's label names get it with an empty value.
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

  /** Merges the parsed families into {@code out}; returns whether a family could not be kept. */
  private static boolean convert(List<Parsed> parsed, List<MetricFamily> out) {
    Map<String, List<String>> filesOf = new LinkedHashMap<>();
    for (Parsed p : parsed) {
      filesOf.computeIfAbsent(p.family().name(), k -> new ArrayList<>()).add(p.file().toString());
    }
    Map<String, String> helpOf = new LinkedHashMap<>();
    Map<String, String> typeOf = new LinkedHashMap<>();
    Map<String, List<Map<String, String>>> samplesLabels = new LinkedHashMap<>();
    Map<String, List<Double>> samplesValues = new LinkedHashMap<>();
    Map<String, Set<Map<String, String>>> seen = new LinkedHashMap<>();
    boolean errored = false;
    for (Parsed p : parsed) {
      PrometheusText.Family f = p.family();
      String name = f.name();
      if (f.type().equals("histogram") || f.type().equals("summary")) {
        LOG.error(
            "textfile {}: {} is a {}; only counter, gauge and untyped families are supported",
            p.file(),
            name,
            f.type());
        errored = true;
        continue;
      }
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
      for (PrometheusText.Sample s : f.samples()) {
        if (!seen.computeIfAbsent(name, k -> new HashSet<>()).add(s.labels())) {
          LOG.warn(
              "textfile {}: {} was collected before with the same name and label values",
              p.file(),
              s);
          continue;
        }
        samplesLabels.computeIfAbsent(name, k -> new ArrayList<>()).add(s.labels());
        samplesValues.computeIfAbsent(name, k -> new ArrayList<>()).add(s.value());
      }
    }
    for (Map.Entry<String, String> e : helpOf.entrySet()) {
      String name = e.getKey();
      List<Map<String, String>> labels = samplesLabels.getOrDefault(name, List.of());
      Set<String> names = new java.util.TreeSet<>();
      labels.forEach(l -> names.addAll(l.keySet()));
      MetricType type =
          switch (typeOf.get(name)) {
            case "counter" -> MetricType.COUNTER;
            case "gauge" -> MetricType.GAUGE;
            default -> MetricType.UNTYPED;
          };
      MetricFamily.Builder b = MetricFamily.builder(name, type).help(e.getValue());
      List<Double> values = samplesValues.getOrDefault(name, List.of());
      try {
        for (int i = 0; i < labels.size(); i++) {
          Map<String, String> sorted = new LinkedHashMap<>();
          for (String n : names) {
            sorted.put(n, labels.get(i).getOrDefault(n, ""));
          }
          b.sample(values.get(i), sorted);
        }
        if (!b.isEmpty()) {
          out.add(b.build());
        }
      } catch (IllegalArgumentException ex) {
        LOG.error("textfile metric {} rejected: {}", name, ex.getMessage());
        errored = true;
      }
    }
    return errored;
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
