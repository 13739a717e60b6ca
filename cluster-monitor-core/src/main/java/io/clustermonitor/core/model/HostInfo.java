package io.clustermonitor.core.model;

/**
 * The host part of a {@link SystemInfo}: the machine the engine runs on.
 *
 * @param operatingSystem e.g. {@code Debian GNU/Linux 12 (bookworm)}
 * @param osType {@code linux} or {@code windows}
 * @param architecture e.g. {@code x86_64}
 * @param kernelVersion kernel release
 * @param hostname the engine host's name
 * @param cpus online CPUs
 * @param memoryBytes total host memory
 */
public record HostInfo(
    String operatingSystem,
    String osType,
    String architecture,
    String kernelVersion,
    String hostname,
    int cpus,
    long memoryBytes) {}
