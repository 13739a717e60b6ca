package io.clustermonitor.exporters.selfmetrics;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.MetricsCollector;
import io.clustermonitor.exporters.internal.BuildInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The Go exporters' {@code <exporter>_build_info} gauge (constant 1), with their label names:
 *
 * <ul>
 *   <li>{@link #node()} and {@link #postgres()}: prometheus/common's version collector, labels
 *       {@code branch, goarch, goos, goversion, revision, tags, version};
 *   <li>{@link #redis()}: redis_exporter's own, labels {@code version, commit_sha, build_date,
 *       golang_version}.
 * </ul>
 *
 * Values for us: {@code version} is the cluster-monitor version; {@code goversion} and {@code
 * golang_version} hold the Java runtime, spelled like Go's ({@code go1.21.4}) as {@code java}
 * followed by {@code java.version}, e.g. {@code java17.0.15}; {@code goos}/{@code goarch} are the
 * JVM's OS and architecture in Go's spelling ({@code linux}, {@code amd64}, {@code arm64}); {@code
 * revision}, {@code commit_sha}, {@code branch}, {@code build_date} and {@code tags} are {@code
 * unknown} unless given, as in a Go build without ldflags.
 */
public final class ExporterBuildInfo implements MetricsCollector {
  private final MetricFamily family;

  private ExporterBuildInfo(MetricFamily family) {
    this.family = family;
  }

  /** {@code node_exporter_build_info}. */
  public static ExporterBuildInfo node() {
    return versionCollector("node_exporter", "unknown", "unknown");
  }

  /** {@code postgres_exporter_build_info}. */
  public static ExporterBuildInfo postgres() {
    return versionCollector("postgres_exporter", "unknown", "unknown");
  }

  /** {@code redis_exporter_build_info}. */
  public static ExporterBuildInfo redis() {
    return redis("unknown", "unknown");
  }

  /**
   * {@code <program>_build_info} as prometheus/common's {@code version.NewCollector(program)}
   * writes it.
   */
  public static ExporterBuildInfo versionCollector(String program, String revision, String branch) {
    Objects.requireNonNull(program, "program");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("branch", orUnknown(branch));
    labels.put("goarch", goArch());
    labels.put("goos", goOs());
    labels.put("goversion", javaVersion());
    labels.put("revision", orUnknown(revision));
    labels.put("tags", "unknown");
    labels.put("version", BuildInfo.version());
    return new ExporterBuildInfo(
        MetricFamily.builder(program + "_build_info", MetricType.GAUGE)
            .help(
                "A metric with a constant '1' value labeled by version, revision, branch,"
                    + " goversion from which "
                    + program
                    + " was built, and the goos and goarch for the build.")
            .sample(1, labels)
            .build());
  }

  /** {@code redis_exporter_build_info} with a commit and build date. */
  public static ExporterBuildInfo redis(String commitSha, String buildDate) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("version", BuildInfo.version());
    labels.put("commit_sha", orUnknown(commitSha));
    labels.put("build_date", orUnknown(buildDate));
    labels.put("golang_version", javaVersion());
    return new ExporterBuildInfo(
        MetricFamily.builder("redis_exporter_build_info", MetricType.GAUGE)
            .help("redis exporter build_info")
            .sample(1, labels)
            .build());
  }

  /** {@code java} + {@code java.version}, e.g. {@code java17.0.15}: what goversion holds. */
  public static String javaVersion() {
    return "java" + System.getProperty("java.version", "unknown");
  }

  static String goOs() {
    String os = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);
    if (os.startsWith("windows")) {
      return "windows";
    }
    if (os.startsWith("mac")) {
      return "darwin";
    }
    return os.replaceAll("[^a-z0-9]", "");
  }

  static String goArch() {
    String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i486", "i586", "i686" -> "386";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      default -> arch;
    };
  }

  private static String orUnknown(String s) {
    return s == null || s.isBlank() ? "unknown" : s;
  }

  /** The family's name, e.g. {@code node_exporter_build_info}. */
  public String metricName() {
    return family.name();
  }

  @Override
  public String name() {
    return "build_info";
  }

  @Override
  public List<MetricFamily> collect() {
    return List.of(family);
  }
}
