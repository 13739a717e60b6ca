package io.clustermonitor.exporters;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** Runs reference exporters and parses Prometheus text for the compatibility ITs. */
public final class CompatSupport {
  private CompatSupport() {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A free loopback port. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** One HTTP GET; returns status and body. */
  public static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A process we started; {@link #close()} ends it (and only it) by PID. */
  public static final class Started implements AutoCloseable {
    public final Process process;
    public final Path log;

    Started(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    public String log() throws IOException {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts a command with extra environment, output to a temp log file. */
  public static Started start(Map<String, String> env, String... command) throws IOException {
    Path log = Files.createTempFile("cm-compat-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new Started(pb.start(), log);
  }

  /** Fetches {@code url} until it answers 200 (up to 30 s). */
  public static String awaitMetrics(String url) throws IOException, InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    IOException last = null;
    while (System.nanoTime() < end) {
      try {
        HttpResponse<String> r = get(url);
        if (r.statusCode() == 200) {
          return r.body();
        }
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(200);
    }
    throw new IOException("no answer from " + url, last);
  }

  /** A parsed family: type, help, label names of every sample, samples. */
  public record Parsed(
      String name, String type, String help, Set<String> labelNames, List<Sample> samples) {}

  /** A parsed sample. */
  public record Sample(Map<String, String> labels, double value) {}

  /** Parses the Prometheus text format (enough for exporter output). */
  public static Map<String, Parsed> parse(String text) {
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, String> helps = new LinkedHashMap<>();
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    Map<String, Set<String>> labels = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] f = line.split(" ", 4);
        types.put(f[2], f[3]);
        continue;
      }
      if (line.startsWith("# HELP ")) {
        String[] f = line.split(" ", 4);
        helps.put(f[2], f.length > 3 ? f[3] : "");
        continue;
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name;
      Map<String, String> l = new LinkedHashMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        int close = line.lastIndexOf('}');
        parseLabels(line.substring(brace + 1, close), l);
        space = line.indexOf(' ', close);
      } else {
        name = line.substring(0, line.indexOf(' '));
        space = line.indexOf(' ');
      }
      String valueText = line.substring(space + 1).trim().split(" ")[0];
      double value =
          switch (valueText) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(valueText);
          };
      String family = familyOf(name, types);
      samples.computeIfAbsent(family, k -> new ArrayList<>()).add(new Sample(l, value));
      Set<String> names = new TreeSet<>(l.keySet());
      names.remove("quantile");
      names.remove("le");
      labels.computeIfAbsent(family, k -> new TreeSet<>()).addAll(names);
    }
    Map<String, Parsed> out = new LinkedHashMap<>();
    for (String name : new LinkedHashSet<>(types.keySet())) {
      out.put(
          name,
          new Parsed(
              name,
              types.get(name),
              helps.getOrDefault(name, ""),
              labels.getOrDefault(name, Set.of()),
              samples.getOrDefault(name, List.of())));
    }
    return out;
  }

  private static String familyOf(String sample, Map<String, String> types) {
    if (types.containsKey(sample)) {
      return sample;
    }
    for (String suffix : new String[] {"_sum", "_count", "_bucket"}) {
      if (sample.endsWith(suffix)) {
        String base = sample.substring(0, sample.length() - suffix.length());
        if (types.containsKey(base)) {
          return base;
        }
      }
    }
    return sample;
  }

  private static void parseLabels(String s, Map<String, String> out) {
    int i = 0;
    while (i < s.length()) {
      int eq = s.indexOf('=', i);
      if (eq < 0) {
        return;
      }
      String key = s.substring(i, eq).trim();
      if (key.startsWith(",")) {
        key = key.substring(1).trim();
      }
      int j = eq + 2;
      StringBuilder v = new StringBuilder();
      while (j < s.length() && s.charAt(j) != '"') {
        char c = s.charAt(j);
        if (c == '\\' && j + 1 < s.length()) {
          char n = s.charAt(++j);
          v.append(n == 'n' ? '\n' : n);
        } else {
          v.append(c);
        }
        j++;
      }
      out.put(key, v.toString());
      i = j + 1;
      while (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == ' ')) {
        i++;
      }
    }
  }

  /** The value of the first sample with these labels, or NaN. */
  public static double value(Map<String, Parsed> families, String name, String... labels) {
    Parsed p = families.get(name);
    if (p == null) {
      return Double.NaN;
    }
    outer:
    for (Sample s : p.samples()) {
      for (int i = 0; i < labels.length; i += 2) {
        if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
          continue outer;
        }
      }
      return s.value();
    }
    return Double.NaN;
  }

  /** Runs {@code promtool check metrics} on text; returns its combined output lines. */
  public static List<String> promtool(String text) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
            .redirectErrorStream(true)
            .start();
    Thread writer =
        new Thread(
            () -> {
              try (var out = p.getOutputStream()) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
              } catch (IOException e) {
                // promtool exited early; its output says why
              }
            });
    writer.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    writer.join(30_000);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("promtool did not finish");
    }
    List<String> lines = new ArrayList<>();
    for (String l : output.split("\n")) {
      if (!l.isBlank()) {
        lines.add(l.strip());
      }
    }
    return lines;
  }

  /** The metric name a promtool lint line is about ({@code name: problem}). */
  public static String lintSubject(String line) {
    int colon = line.indexOf(':');
    return colon < 0 ? line : line.substring(0, colon);
  }

  /**
   * Checks every family of ours that the reference also has: same type and label names. Returns the
   * differences as readable lines (empty when compatible).
   */
  public static List<String> differences(
      Map<String, Parsed> ours, Map<String, Parsed> theirs, Set<String> names) {
    List<String> diffs = new ArrayList<>();
    for (String name : names) {
      Parsed o = ours.get(name);
      Parsed t = theirs.get(name);
      if (o == null || t == null) {
        diffs.add(name + ": ours " + (o != null) + ", reference " + (t != null));
        continue;
      }
      if (!o.type().equals(t.type())) {
        diffs.add(name + ": type " + o.type() + " vs reference " + t.type());
      }
      if (!o.labelNames().equals(t.labelNames())) {
        diffs.add(name + ": labels " + o.labelNames() + " vs reference " + t.labelNames());
      }
    }
    return diffs;
  }
}
