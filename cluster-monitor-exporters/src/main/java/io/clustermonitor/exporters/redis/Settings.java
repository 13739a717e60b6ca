package io.clustermonitor.exporters.redis;

import java.time.Duration;

/**
 * What one scrape does besides INFO: redis_exporter's process-wide options, immutable. {@code
 * /scrape} copies it with the key-check overrides of a request.
 */
record Settings(
    String namespace,
    Duration timeout,
    String configCommand,
    boolean setClientName,
    boolean pingOnConnect,
    boolean isCluster,
    String checkKeys,
    String checkSingleKeys,
    String checkStreams,
    String checkSingleStreams,
    boolean streamsExcludeConsumerMetrics,
    String countKeys,
    long checkKeysBatchSize,
    boolean includeSystemMetrics,
    boolean includeConfigMetrics,
    boolean redactConfigMetrics,
    boolean excludeLatencyHistogramMetrics,
    boolean disableExportingKeyValues,
    boolean skipCheckKeysForRoleMaster,
    ClientTls tls,
    Extras extras) {

  Settings withKeyChecks(
      String checkKeys,
      String checkSingleKeys,
      String checkStreams,
      String checkSingleStreams,
      String countKeys) {
    return new Settings(
        namespace,
        timeout,
        configCommand,
        setClientName,
        pingOnConnect,
        isCluster,
        checkKeys,
        checkSingleKeys,
        checkStreams,
        checkSingleStreams,
        streamsExcludeConsumerMetrics,
        countKeys,
        checkKeysBatchSize,
        includeSystemMetrics,
        includeConfigMetrics,
        redactConfigMetrics,
        excludeLatencyHistogramMetrics,
        disableExportingKeyValues,
        skipCheckKeysForRoleMaster,
        tls,
        extras);
  }
}
