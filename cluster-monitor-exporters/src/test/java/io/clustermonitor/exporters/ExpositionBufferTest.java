package io.clustermonitor.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.exporters.web.WebRequest;
import io.clustermonitor.exporters.web.WebResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The byte-writing text exposition against a plain reference rendering (the format as specified,
 * built in a {@link StringBuilder} and encoded as UTF-8 at the end), through the real {@code
 * /metrics} handler with pooled buffers and gzip.
 */
class ExpositionBufferTest {

  /** The text format written the simplest way: one string, encoded at the end. */
  private static String reference(List<MetricFamily> families) {
    StringBuilder out = new StringBuilder();
    for (MetricFamily f : families) {
      if (f.samples().isEmpty()) {
        continue;
      }
      out.append("# HELP ")
          .append(f.name())
          .append(' ')
          .append(f.help().replace("\\", "\\\\").replace("\n", "\\n"))
          .append('\n');
      out.append("# TYPE ").append(f.name()).append(' ').append(TextFormat.typeName(f.type()));
      out.append('\n');
      for (MetricFamily.Sample s : f.samples()) {
        out.append(f.name()).append(s.suffix());
        if (!s.labels().isEmpty()) {
          List<String> pairs = new ArrayList<>();
          s.labels()
              .forEach(
                  (k, v) ->
                      pairs.add(
                          k
                              + "=\""
                              + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                              + "\""));
          out.append('{').append(String.join(",", pairs)).append('}');
        }
        out.append(' ');
        TextFormat.appendValue(out, s.value());
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static List<MetricFamily> tricky(int repeat) {
    List<MetricFamily> out = new ArrayList<>();
    for (int r = 0; r < repeat; r++) {
      MetricFamily.Builder b =
          MetricFamily.builder("tricky_" + r, MetricType.GAUGE)
              .help("Größe \\ back\nslash, \"quoted\", 日本 \uD83D\uDE00");
      b.sample(Double.NaN, "k", "nan");
      b.sample(Double.POSITIVE_INFINITY, "k", "pinf");
      b.sample(Double.NEGATIVE_INFINITY, "k", "ninf");
      b.sample(-0.0, "k", "negzero");
      b.sample(0.1 + 0.2, "k", "frac");
      b.sample(-1.5e-7, "k", "small");
      b.sample(9.007199254740991E15, "k", "maxexact");
      b.sample(9.007199254740992E15, "k", "twoTo53");
      b.sample(-9.007199254740991E15, "k", "minexact");
      b.sample(1.7e19, "k", "big");
      b.sample(Long.MIN_VALUE, "k", "longmin");
      b.sample(-42, "k", "neg");
      b.sample(r, "v", "a\"b\\c\nd", "u", "é日\uD83D\uDE00", "e", "");
      b.sample(3);
      out.add(b.build());
      out.add(MetricFamily.builder("empty_" + r, MetricType.COUNTER).help("none").build());
      out.add(
          MetricFamily.builder("s_" + r, MetricType.SUMMARY)
              .help("")
              .summary(Map.of("x", "y"), Map.of(0.5, 1.25), 10.5, 4)
              .build());
    }
    return out;
  }

  @Test
  void bytesEqualTheReferenceRendering() {
    List<MetricFamily> families = tricky(3);
    String expected = reference(families);
    assertThat(TextFormat.toText(families)).isEqualTo(expected);
    ExpositionBuffer buf = new ExpositionBuffer(1); // grows many times
    TextFormat.write(buf, families);
    assertThat(buf.toByteArray()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void handlerBodiesAreExactWithPooledBuffersAndGzip() throws Exception {
    AtomicInteger size = new AtomicInteger(200);
    List<List<MetricFamily>> served = new ArrayList<>();
    MetricsCollector c =
        new MetricsCollector() {
          @Override
          public String name() {
            return "tricky";
          }

          @Override
          public List<MetricFamily> collect() {
            List<MetricFamily> f = tricky(size.get());
            synchronized (served) {
              served.add(f);
            }
            return f;
          }
        };
    Map<String, List<String>> plain = new LinkedHashMap<>();
    plain.put("Accept", List.of("text/plain"));
    Map<String, List<String>> zipped = new LinkedHashMap<>(plain);
    zipped.put("Accept-Encoding", List.of("gzip"));
    try (ExporterServer.Endpoints e =
        ExporterServer.builder()
            .namespace("t")
            .register(c)
            .collectorTimeout(Duration.ofSeconds(60))
            .buildEndpoints()) {
      // a large body, then smaller ones into the same pooled buffer: no stale bytes survive
      for (int n : new int[] {200, 3, 1, 50}) {
        size.set(n);
        for (Map<String, List<String>> headers : List.of(plain, zipped)) {
          WebResponse r = e.handle(WebRequest.of("GET", "/metrics", headers));
          assertThat(r.status()).isEqualTo(200);
          byte[] body = r.body();
          if (headers == zipped) {
            assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
              body = in.readAllBytes();
            }
          } else {
            assertThat(r.header("Content-Encoding")).isNull();
          }
          assertThat(r.header("Content-Type")).isEqualTo(TextFormat.CONTENT_TYPE);
          String text = new String(body, StandardCharsets.UTF_8);
          List<MetricFamily> families;
          synchronized (served) {
            families = served.get(served.size() - 1);
          }
          assertThat(text).startsWith(reference(families));
          assertThat(text.substring(reference(families).length()))
              .startsWith("# HELP t_scrape_collector_success ");
        }
      }
    }
  }

  @Test
  void poolKeepsBoundedBuffersAndHandsOutResetOnes() {
    ExpositionBuffer.Pool pool = new ExpositionBuffer.Pool(1, 16, 1024);
    ExpositionBuffer a = pool.take();
    a.text("hello");
    pool.release(a);
    ExpositionBuffer b = pool.take();
    assertThat(b).isSameAs(a);
    assertThat(b.size()).isZero();
    b.write(new byte[4096]); // grows past maxRetained: not kept
    pool.release(b);
    assertThat(pool.take()).isNotSameAs(b);
  }

  @Test
  void labelSetBehavesAsTheOrderedImmutableMapItReplaces() {
    Map<String, String> src = new LinkedHashMap<>();
    src.put("z", "1");
    src.put("a", "2");
    MetricFamily.Sample s = new MetricFamily.Sample(src, 1);
    assertThat(s.labels()).isEqualTo(src).hasSameHashCodeAs(src);
    assertThat(s.labels().toString()).isEqualTo(src.toString());
    assertThat(new ArrayList<>(s.labels().keySet())).containsExactly("z", "a");
    assertThat(s.labels().get("a")).isEqualTo("2");
    assertThat(s.labels().get("b")).isNull();
    assertThatThrownBy(() -> s.labels().put("b", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
    src.put("b", "3"); // the sample keeps its own copy
    assertThat(s.labels()).hasSize(2);
    // a sample's labels passed to another sample are reused, not copied again
    assertThat(new MetricFamily.Sample(s.labels(), 2).labels()).isSameAs(s.labels());
    // a repeated name in pairs keeps its first place and its last value, as before
    MetricFamily f =
        MetricFamily.builder("d", MetricType.GAUGE).sample(1, "a", "x", "b", "y", "a", "z").build();
    assertThat(f.samples().get(0).labels())
        .containsExactly(Map.entry("a", "z"), Map.entry("b", "y"));
    assertThatThrownBy(() -> MetricFamily.builder("d", MetricType.GAUGE).sample(1, "__x", "1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MetricFamily.builder("d", MetricType.GAUGE).sample(1, "1x", "1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MetricFamily.builder("d", MetricType.GAUGE).sample(1, "a:b", "1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MetricFamily.builder("9x", MetricType.GAUGE).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(MetricFamily.builder("a:b_9", MetricType.GAUGE).build().name()).isEqualTo("a:b_9");
    assertThatThrownBy(() -> new MetricFamily.Sample(Map.of(), 1, "_total"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
