package io.clustermonitor.core.model;

/**
 * The Docker engine part of a {@link SystemInfo}.
 *
 * @param version engine version, e.g. {@code 20.10.24}
 * @param apiVersion the negotiated API version in use, e.g. {@code 1.41}
 * @param storageDriver e.g. {@code overlay2}
 * @param cgroupDriver {@code cgroupfs} or {@code systemd}
 * @param cgroupVersion {@code 1} or {@code 2}
 * @param images images stored by the engine
 */
public record EngineInfo(
    String version,
    String apiVersion,
    String storageDriver,
    String cgroupDriver,
    String cgroupVersion,
    int images) {}
