package io.clustermonitor.exporters.redis;

import java.util.List;
import java.util.Map;

/**
 * The key-group, Lua-script and client-list options of a scrape ({@code --check-key-groups}, {@code
 * --max-distinct-key-groups}, {@code --script}, {@code --export-client-list}, {@code
 * --export-client-port}), parsed and loaded at start.
 *
 * @param keyGroups validated Lua patterns, in order
 * @param scripts script file name (as given) to its text, in the order given
 */
record Extras(
    List<String> keyGroups,
    long maxDistinctKeyGroups,
    Map<String, String> scripts,
    boolean exportClientList,
    boolean exportClientPort) {

  /** None of them (upstream's defaults: at most 100 distinct key groups). */
  static final Extras NONE = new Extras(List.of(), 100, Map.of(), false, false);

  Extras {
    keyGroups = List.copyOf(keyGroups);
    scripts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(scripts));
  }
}
