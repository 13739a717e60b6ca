package io.clustermonitor.exporters.node;

import java.io.IOException;

/**
 * node_exporter's {@code ErrNoData}: the host has no such files (no bonding, no InfiniBand, ...).
 * The collector emits nothing and, as in node_exporter 1.7, reports {@code success 0}.
 */
final class NoDataException extends IOException {
  private static final long serialVersionUID = 1L;

  NoDataException(String message) {
    super(message);
  }
}
