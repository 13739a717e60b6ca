package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import java.util.List;

/** One node_exporter sub-collector; throws to report {@code success 0}. */
interface SubCollector {
  String name();

  void collect(List<MetricFamily> out) throws Exception;
}
