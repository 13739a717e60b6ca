package io.clustermonitor.core.model;

/**
 * Facts about a Docker engine and its host.
 *
 * @param host the engine's name (see {@code DockerEndpoint#name})
 * @param engineVersion e.g. {@code 20.10.24}
 * @param apiVersion the negotiated API version in use, e.g. {@code 1.41}
 * @param operatingSystem e.g. {@code Debian GNU/Linux 12 (bookworm)}
 * @param osType {@code linux} or {@code windows}
 * @param architecture e.g. {@code x86_64}
 * @param kernelVersion kernel release
 * @param hostname the engine host's name
 * @param cpus online CPUs
 * @param memoryBytes total host memory
 * @param containers all containers
 * @param containersRunning running
 * @param containersPaused paused
 * @param containersStopped stopped
 * @param images images
 * @param storageDriver e.g. {@code overlay2}
 * @param cgroupDriver {@code cgroupfs} or {@code systemd}
 * @param cgroupVersion {@code 1} or {@code 2}
 * @param statsSource the stats source in use ({@code cgroup}, {@code engine-api}) or {@code none}
 */
public record SystemInfo(
    String host,
    String engineVersion,
    String apiVersion,
    String operatingSystem,
    String osType,
    String architecture,
    String kernelVersion,
    String hostname,
    int cpus,
    long memoryBytes,
    int containers,
    int containersRunning,
    int containersPaused,
    int containersStopped,
    int images,
    String storageDriver,
    String cgroupDriver,
    String cgroupVersion,
    String statsSource) {}
