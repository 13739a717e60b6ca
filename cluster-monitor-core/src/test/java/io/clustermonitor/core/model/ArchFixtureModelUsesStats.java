package io.clustermonitor.core.model;

import io.clustermonitor.core.stats.StatsEngine;

/** Test fixture: a model class that depends on core.stats, closing a model ↔ stats cycle. */
final class ArchFixtureModelUsesStats {
  private ArchFixtureModelUsesStats() {}

  static String host(StatsEngine engine) {
    return engine.host();
  }
}
