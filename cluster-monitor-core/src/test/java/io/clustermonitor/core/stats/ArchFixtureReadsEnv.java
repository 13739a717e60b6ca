package io.clustermonitor.core.stats;

/** Test fixture: a core class reading the process environment itself. */
final class ArchFixtureReadsEnv {
  private ArchFixtureReadsEnv() {}

  static String cgroupRoot() {
    return System.getenv("CLUSTER_MONITOR_CGROUP_ROOT");
  }
}
