package io.clustermonitor.core.model;

/**
 * Cumulative counters of one network interface inside a container.
 *
 * @param name interface name, e.g. {@code eth0}
 */
public record NetworkInterfaceStats(
    String name,
    long receiveBytes,
    long receivePackets,
    long receiveErrors,
    long receiveDropped,
    long transmitBytes,
    long transmitPackets,
    long transmitErrors,
    long transmitDropped) {}
