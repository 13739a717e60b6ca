package io.clustermonitor.exporters.postgres;

import static io.clustermonitor.exporters.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermonitor.exporters.MetricFamily;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresCollectorTest {
  @Test
  void aServerThatNeverAnswersCostsOnlyTheCollectionTimeoutAndGivesUpZero() throws Exception {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (Exception e) {
                  // closed
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      try (PostgresCollector pg =
          PostgresCollector.builder()
              .dataSources(
                  List.of(
                      DataSource.parse(
                          "host=127.0.0.1 port="
                              + silent.getLocalPort()
                              + " user=u password=never-shown-pw sslmode=disable")))
              .collectionTimeout(Duration.ofMillis(500))
              .build()) {
        long start = System.nanoTime();
        List<MetricFamily> f = pg.collect();
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(ms).isLessThan(5_000);
        assertThat(value(f, "pg_up")).isZero();
        assertThat(value(f, "pg_exporter_last_scrape_error")).isEqualTo(1);
        assertThat(value(f, "pg_exporter_scrapes_total")).isEqualTo(1);
        assertThat(f).noneMatch(m -> m.name().startsWith("pg_settings_"));
      }
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
