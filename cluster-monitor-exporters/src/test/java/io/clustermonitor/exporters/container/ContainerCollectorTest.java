package io.clustermonitor.exporters.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermonitor.core.EngineUnavailableException;
import io.clustermonitor.core.model.ContainerState;
import io.clustermonitor.core.model.ContainerSummary;
import io.clustermonitor.core.model.SystemInfo;
import io.clustermonitor.core.stats.StatsSnapshot;
import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.testkit.CollectorTestKit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ContainerCollectorTest {

  private static ContainerCollector.Builder collector(Supplier<StatsSnapshot> snapshots) {
    return ContainerCollector.builder(snapshots, Fixtures::systemInfo);
  }

  private static String golden() throws IOException {
    try (InputStream in =
        ContainerCollectorTest.class.getResourceAsStream("container-golden.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void snapshotIsExposedWithCadvisorNamesTypesAndLabels() throws Exception {
    ContainerCollector c =
        collector(Fixtures::snapshot).labelAllowList(List.of("com.docker.compose.service")).build();

    CollectorTestKit.assertValid(c);
    if (System.getProperty("golden.write") != null) {
      java.nio.file.Files.writeString(
          java.nio.file.Path.of(System.getProperty("golden.write")), CollectorTestKit.render(c));
    }
    CollectorTestKit.assertGolden(golden(), c);
  }

  @Test
  void engineDownStillAnswersWithEngineUpZero() {
    ContainerCollector c =
        collector(
                () -> {
                  throw new EngineUnavailableException(
                      "unix:///nope.sock", "connection refused", null);
                })
            .build();

    List<MetricFamily> families = CollectorTestKit.collect(c);

    assertThat(CollectorTestKit.render(families))
        .isEqualTo(
            """
            # HELP container_scrape_error 1 if there was an error while getting container metrics, 0 otherwise
            # TYPE container_scrape_error gauge
            container_scrape_error 1
            # HELP machine_scrape_error 1 if there was an error while getting machine metrics, 0 otherwise.
            # TYPE machine_scrape_error gauge
            machine_scrape_error 1
            # HELP cluster_monitor_engine_up Whether the Docker engine answered (1) or not (0).
            # TYPE cluster_monitor_engine_up gauge
            cluster_monitor_engine_up 0
            """);
  }

  @Test
  void engineReportedDownKeepsCachedMachineFactsAndMarksItDown() {
    AtomicInteger infoCalls = new AtomicInteger();
    StatsSnapshot up = Fixtures.snapshot();
    StatsSnapshot[] current = {up};
    ContainerCollector c =
        ContainerCollector.builder(
                () -> current[0],
                () -> {
                  infoCalls.incrementAndGet();
                  return Fixtures.systemInfo();
                })
            .build();
    CollectorTestKit.collect(c);
    current[0] =
        new StatsSnapshot("local", up.at(), false, "gone", "cgroup", List.of(), Map.of(), Map.of());

    String text = CollectorTestKit.render(c);

    assertThat(text)
        .contains("cluster_monitor_engine_up 0\n")
        .contains("machine_cpu_cores{boot_id=\"\",machine_id=\"\",system_uuid=\"\"} 2\n")
        .contains("cluster_monitor_engine_containers{state=\"running\"} 0\n")
        .doesNotContain("container_cpu_usage_seconds_total");
    assertThat(infoCalls.get()).isEqualTo(1);
  }

  @Test
  void systemInfoIsCachedBetweenScrapes() {
    AtomicInteger infoCalls = new AtomicInteger();
    Supplier<SystemInfo> info =
        () -> {
          infoCalls.incrementAndGet();
          return Fixtures.systemInfo();
        };
    ContainerCollector c =
        ContainerCollector.builder(Fixtures::snapshot, info)
            .systemInfoRefresh(Duration.ofMinutes(10))
            .build();

    for (int i = 0; i < 5; i++) {
      CollectorTestKit.collect(c);
    }

    assertThat(infoCalls.get()).isEqualTo(1);
  }

  @Test
  void failingSystemInfoOnlyLeavesOutMachineFacts() {
    ContainerCollector c =
        ContainerCollector.builder(
                Fixtures::snapshot,
                () -> {
                  throw new EngineUnavailableException("x", "down", null);
                })
            .build();

    String text = CollectorTestKit.render(c);

    assertThat(text)
        .contains("cluster_monitor_engine_up 1\n")
        .contains("container_memory_working_set_bytes{")
        .doesNotContain("machine_cpu_cores");
  }

  @Test
  void includeAndExcludeMatchWholeNames() {
    String included =
        CollectorTestKit.render(collector(Fixtures::snapshot).include("web|burn.*").build());
    String excluded =
        CollectorTestKit.render(collector(Fixtures::snapshot).exclude("burn").build());

    assertThat(included)
        .contains("name=\"web\"", "name=\"burner\"")
        .doesNotContain("name=\"fresh\"");
    assertThat(excluded).contains("name=\"burner\"").contains("name=\"web\"");
    assertThat(CollectorTestKit.render(collector(Fixtures::snapshot).exclude("burner").build()))
        .doesNotContain("name=\"burner\"");
  }

  @Test
  void labelsOutsideTheAllowListAreNeverExposed() {
    String text =
        CollectorTestKit.render(
            collector(Fixtures::snapshot)
                .labelAllowList(List.of("com.docker.compose.service"))
                .build());

    assertThat(text)
        .contains("container_label_com_docker_compose_service=\"web\"")
        .doesNotContain("hidden")
        .doesNotContain("secret_label");
  }

  @Test
  void removedContainersLeaveNoSeries() {
    StatsSnapshot full = Fixtures.snapshot();
    StatsSnapshot[] current = {full};
    ContainerCollector c =
        ContainerCollector.builder(() -> current[0], Fixtures::systemInfo).build();
    assertThat(CollectorTestKit.render(c)).contains(Fixtures.WEB_ID);

    current[0] =
        new StatsSnapshot(
            "local",
            Instant.parse("2026-11-26T18:00:10Z"),
            true,
            "",
            "cgroup",
            full.containers().stream().filter(x -> !x.id().equals(Fixtures.WEB_ID)).toList(),
            full.stats(),
            full.oomEvents());

    assertThat(CollectorTestKit.render(c)).doesNotContain(Fixtures.WEB_ID);
  }

  @Test
  void badBuilderInputIsRejected() {
    assertThatThrownBy(() -> collector(Fixtures::snapshot).include("(unclosed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("include");
    assertThatThrownBy(() -> collector(Fixtures::snapshot).labelAllowList(List.of(" ")))
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> collector(Fixtures::snapshot).systemInfoRefresh(Duration.ZERO))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> ContainerCollector.builder(null, Fixtures::systemInfo))
        .isInstanceOf(NullPointerException.class);
  }

  private static ContainerSummary changed(
      ContainerSummary c, String name, String image, ContainerState state, Map<String, String> l) {
    return new ContainerSummary(
        c.id(),
        name,
        image,
        state,
        c.health(),
        c.createdAt(),
        c.startedAt(),
        c.finishedAt(),
        c.exitCode(),
        c.oomKilled(),
        c.restartCount(),
        l,
        c.limits(),
        c.host());
  }

  private static StatsSnapshot with(StatsSnapshot s, List<ContainerSummary> containers) {
    return new StatsSnapshot(
        s.host(),
        s.at(),
        s.engineUp(),
        s.engineError(),
        s.statsSource(),
        containers,
        s.stats(),
        s.oomEvents());
  }

  @Test
  void cachedLabelSetsFollowEveryChangeOfAContainer() {
    StatsSnapshot base = Fixtures.snapshot();
    List<ContainerSummary> cs = base.containers();
    ContainerSummary web = cs.get(0);
    List<StatsSnapshot> sequence =
        List.of(
            base,
            // renamed, new image, a label value changed
            with(
                base,
                List.of(
                    changed(
                        web,
                        "web-renamed",
                        "other:1",
                        web.state(),
                        Map.of("com.docker.compose.service", "api")),
                    cs.get(1),
                    cs.get(2),
                    cs.get(3))),
            // two containers left, one paused
            with(
                base,
                List.of(
                    changed(web, web.name(), web.image(), ContainerState.PAUSED, web.labels()),
                    cs.get(3))),
            // and everything back as at first
            base,
            base);
    AtomicInteger at = new AtomicInteger();
    ContainerCollector longLived =
        collector(() -> sequence.get(at.get()))
            .labelAllowList(List.of("com.docker.compose.service"))
            .storeContainerLabels(true)
            .build();
    for (int i = 0; i < sequence.size(); i++) {
      at.set(i);
      StatsSnapshot now = sequence.get(i);
      ContainerCollector fresh =
          collector(() -> now)
              .labelAllowList(List.of("com.docker.compose.service"))
              .storeContainerLabels(true)
              .build();
      String expected = CollectorTestKit.render(fresh);
      assertThat(CollectorTestKit.render(longLived)).as("snapshot %d", i).isEqualTo(expected);
    }
    at.set(1);
    assertThat(CollectorTestKit.render(longLived))
        .contains("name=\"web-renamed\"")
        .contains("image=\"other:1\"")
        .contains("container_label_com_docker_compose_service=\"api\"")
        .doesNotContain("name=\"web\"");
    at.set(2);
    assertThat(CollectorTestKit.render(longLived))
        .doesNotContain("name=\"burner\"")
        .doesNotContain("name=\"fresh\"")
        .contains("cluster_monitor_container_state{")
        .contains("state=\"paused\"");
  }
}
