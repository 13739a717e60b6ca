package io.clustermonitor.exporters;

/**
 * Thrown by a collector whose target has nothing to report on this host (for example, the kernel
 * file it reads does not exist). The SDK records {@code <ns>_scrape_collector_success 0}, as
 * node_exporter does for its {@code ErrNoData}, but logs it at debug level only, so a host without
 * the hardware does not log a warning on every scrape.
 */
public final class NoDataException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message naming what is missing.
   *
   * @param message what the host does not have, e.g. the file that does not exist
   */
  public NoDataException(String message) {
    super(message);
  }
}
